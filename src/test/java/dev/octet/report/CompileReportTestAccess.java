package dev.octet.report;

import dev.octet.build.ModelCompiler;
import dev.octet.ir.Graph;
import dev.octet.kernel.Config;
import dev.octet.kernel.KernelUse;
import java.util.Map;

/** The report tests' small model, for the CLI tests of another package. */
public final class CompileReportTestAccess {
    private CompileReportTestAccess() {
    }

    public static Graph twoConvs() {
        return CompileReportTest.twoConvs();
    }

    /**
     * The workload key of a node's kernel and a configuration of its default template other than the defaults: a
     * choice that tuning could have made.
     */
    public static Map.Entry<String, Config> anotherConfig(Graph g, String node) {
        KernelUse u = ModelCompiler.kernelUses(g).stream().filter(k -> k.node().name().equals(node)).findFirst()
                .orElseThrow(() -> new AssertionError("no kernel for " + node));
        Config other = u.request().spaces().getFirst().all().stream().filter(c -> !c.equals(u.request().defaults()))
                .findFirst().orElseThrow(() -> new AssertionError("a space of one point for " + node));
        return Map.entry(u.request().key(), other);
    }
}
