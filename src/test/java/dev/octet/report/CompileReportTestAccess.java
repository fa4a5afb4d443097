package dev.octet.report;

import dev.octet.ir.Graph;

/** The report tests' small model, for the CLI tests of another package. */
public final class CompileReportTestAccess {
    private CompileReportTestAccess() {
    }

    public static Graph twoConvs() {
        return CompileReportTest.twoConvs();
    }
}
