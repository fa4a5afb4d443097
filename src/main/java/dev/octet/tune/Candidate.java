package dev.octet.tune;

import dev.octet.codegen.c.CPrinter;
import dev.octet.codegen.c.Headers;
import dev.octet.kernel.Config;
import dev.octet.kernel.loop.LoopKernel;
import java.util.List;

/**
 * One implementation to measure: a C translation unit defining {@code function} with the task's calling
 * convention (buffers, then int64 scalars, then the work range), and the configuration it claims to be. Template
 * candidates are printed from a configuration; external ones come from C files (see {@link ExternalCandidates}).
 *
 * @param source the C source, or null where the configuration could not be instantiated
 * @param problem why it could not be instantiated, or null
 * @param origin "template" or the file an external candidate came from
 */
public record Candidate(Config config, String source, String function, int buffers, int scalars, String origin,
        String problem) {
    static final String FUNCTION = "octet_candidate";
    /** The symbol the harness calls: {@code void octet_tune_entry(void **buffers, const int64_t *scalars, begin, end)}. */
    static final String ENTRY = "octet_tune_entry";

    /** The template's kernel for c, or a candidate that records why there is none (an instantiation error). */
    public static Candidate template(Problem p, Config c) {
        if (p.spaces().stream().noneMatch(s -> s.contains(c))) {
            return failed(c, "not a configuration of a template valid for " + p.key());
        }
        try {
            LoopKernel k = p.kernel(c, FUNCTION);
            String source = CPrinter.translationUnit(Headers.standard(), List.of(k));
            return new Candidate(c, source, FUNCTION, k.buffers().size(), k.scalars().size(), "template", null);
        } catch (RuntimeException e) {
            return failed(c, e.getMessage());
        }
    }

    static Candidate failed(Config c, String why) {
        return new Candidate(c, null, FUNCTION, 0, 0, "template", why == null ? "cannot instantiate" : why);
    }

    /** The source with the harness's entry point appended: it spreads the argument arrays into the call. */
    String withEntry() {
        StringBuilder sb = new StringBuilder(source).append("\n#include <stdint.h>\n")
                .append("__attribute__((visibility(\"default\"))) void ").append(ENTRY)
                .append("(void **b, const int64_t *s, int64_t begin, int64_t end) {\n    ").append(function).append('(');
        for (int i = 0; i < buffers; i++) {
            sb.append("b[").append(i).append("], ");
        }
        for (int i = 0; i < scalars; i++) {
            sb.append("s[").append(i).append("], ");
        }
        return sb.append("begin, end);\n}\n").toString();
    }
}
