package dev.octet.cli;

import dev.octet.ir.OctetException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `octet` command line. User errors end in one line on stderr and exit code 1; usage errors in exit code 2. */
@Command(name = "octet", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Compiles trained fp32 CNNs (ONNX) into fast, verified int8 code.",
        subcommands = {InspectCommand.class, RunCommand.class, CompareCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of main). */
    public static int execute(String... args) {
        return execute(null, null, args);
    }

    /** Runs the CLI with its output and errors going to the given writers (null: stdout, stderr). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        if (out != null) {
            cli.setOut(out);
        }
        if (err != null) {
            cli.setErr(err);
        }
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof OctetException) {
                commandLine.getErr().println("octet: error: " + e.getMessage());
                if (Boolean.getBoolean("octet.debug")) {
                    e.printStackTrace(commandLine.getErr());
                }
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
