package dev.octet.tune;

import dev.octet.codegen.c.CPrinter;
import dev.octet.codegen.c.Headers;
import dev.octet.kernel.Config;
import dev.octet.kernel.loop.LoopKernel;
import java.util.HashMap;
import java.util.List;

/**
 * Candidates that misbehave on purpose, with the task's calling convention: each wraps the template's correct
 * kernel for a configuration (named {@code real}) and does something wrong around it. Their configurations carry a
 * "planted" knob no template has, so they can be told apart in records.
 */
final class Planted {
    private Planted() {
    }

    /** A candidate whose body, after the correct kernel's definition, is {@code body} (C, may call real(...)). */
    static Candidate around(Problem p, Config base, String tag, String body) {
        LoopKernel real = p.kernel(base, "real");
        String params = CPrinter.signature(real).substring(("void real").length());
        StringBuilder args = new StringBuilder();
        for (var b : real.buffers()) {
            args.append(b.name()).append(", ");
        }
        for (var s : real.scalars()) {
            args.append(s.name()).append(", ");
        }
        String call = "real(" + args + "begin, end)";
        String source = CPrinter.translationUnit(Headers.standard(), List.of(real)) + "\nvoid "
                + Candidate.FUNCTION + params + " {\n" + body.replace("REAL", call) + "\n}\n";
        var values = new HashMap<>(base.values());
        values.put("planted_" + tag, 1);
        return new Candidate(new Config(base.template(), values), source, Candidate.FUNCTION, real.buffers().size(),
                real.scalars().size(), "planted:" + tag, null);
    }

    static Candidate crashing(Problem p, Config base) {
        return around(p, base, "segfault", "REAL; *(volatile int *) 0 = 1;");
    }

    static Candidate aborting(Problem p, Config base) {
        return around(p, base, "trap", "REAL; __builtin_trap();");
    }

    static Candidate hanging(Problem p, Config base) {
        return around(p, base, "hang", "for (volatile int spin = 1; spin; ) { }");
    }

    static Candidate notCompiling(Problem p, Config base) {
        return around(p, base, "syntax", "REAL this is not C;");
    }

    /** Correct everywhere but the first output element, which is off by one unit (fp32: 1.0; int8: one step). */
    static Candidate offByOne(Problem p, Config base, String output) {
        return around(p, base, "off_by_one", "REAL; if (begin == 0) " + output + "[0] += 1;");
    }

    /** Fast and wrong: writes zeros over a batch-1 output of {@code elements} values, computing nothing. */
    static Candidate zeros(Problem p, Config base, String output, String elements) {
        return around(p, base, "zeros", "if (begin == 0) { for (int64_t i = 0; i < " + elements + "; i++) " + output
                + "[i] = 0; }");
    }

    /** Skips the last work item: its outputs stay as the parent filled them (NaN, or the fill byte). */
    static Candidate skipsLastItem(Problem p, Config base) {
        return around(p, base, "skip_last", "if (end > begin) { end -= 1; } REAL;");
    }
}
