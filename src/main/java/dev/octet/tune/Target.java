package dev.octet.tune;

import dev.octet.codegen.c.CCompiler;
import dev.octet.runtime.CpuFeatures;

/**
 * What a measured time is valid for: the code-generation flags (ISA level included) and the CPU features of the
 * machine that ran it. A tuning record is applied only where its target equals the current one, so a record made
 * on another CPU or for another ISA level is never used. This is the one place that spells a target; when ISA levels
 * become a type of their own, only {@link #current} changes.
 */
public record Target(String key) {
    public Target {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("empty target");
        }
    }

    /** The target code is built for here: the C compiler's flags and this CPU's features. */
    public static Target current() {
        return new Target(String.join(" ", CCompiler.FLAGS) + " cpu=" + CpuFeatures.current());
    }

    @Override
    public String toString() {
        return key;
    }
}
