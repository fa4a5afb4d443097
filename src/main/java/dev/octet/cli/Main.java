package dev.octet.cli;

import dev.octet.ir.OctetException;
import dev.octet.ir.Storage;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * The `octet` command line. User errors end in one line on stderr and exit code 1; usage errors in exit code 2.
 * Where a command names a model file (a positional parameter labelled MODEL), an error that does not mention the
 * file gets it in front, so that every error line says which file it is about.
 */
@Command(name = "octet", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Compiles trained fp32 CNNs (ONNX) into fast, verified int8 code.",
        subcommands = {InspectCommand.class, RunCommand.class, CompareCommand.class, BenchCommand.class, ZooCommand.class,
                QuantizeCommand.class, CompileCommand.class, ReportCommand.class, TuneCommand.class, LogCommand.class,
                EvalCommand.class, CommandLine.HelpCommand.class})
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
            if (!(e instanceof OctetException)) {
                throw e;
            }
            return fail(commandLine, e.getMessage(), parseResult, e);
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // Large allocations are guarded (Storage); this is the last line of defence for the rest.
            return fail(cli, "out of memory in this JVM's " + Storage.mib(Runtime.getRuntime().maxMemory())
                    + " heap (raise it with -Xmx, e.g. OCTET_JAVA_OPTS=-Xmx8g)", cli.getParseResult(), e);
        }
    }

    private static int fail(CommandLine commandLine, String message, ParseResult parseResult, Throwable e) {
        commandLine.getErr().println("octet: error: "
                + (parseResult == null ? message : withModelFile(message, parseResult)));
        if (Boolean.getBoolean("octet.debug")) {
            e.printStackTrace(commandLine.getErr());
        }
        return 1;
    }

    /** The message with the command's MODEL file in front, unless it already names it. */
    static String withModelFile(String message, ParseResult parseResult) {
        ParseResult sub = parseResult;
        while (sub.subcommand() != null) {
            sub = sub.subcommand();
        }
        for (PositionalParamSpec p : sub.matchedPositionals()) {
            if ("MODEL".equals(p.paramLabel()) && p.getValue() instanceof Path file
                    && !message.contains(file.toString())) {
                return file + ": " + message;
            }
        }
        return message;
    }
}
