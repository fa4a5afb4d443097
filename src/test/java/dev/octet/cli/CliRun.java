package dev.octet.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The result of running the CLI in this JVM: exit code, standard output, standard error. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
