package dev.octet.tune;

import dev.octet.codegen.c.CCompiler;
import dev.octet.kernel.IsaLevel;
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

    /** The target code is built for here at the default ISA level (where the tuner measures). */
    public static Target current() {
        return current(IsaLevel.defaultLevel());
    }

    /**
     * The target of code built at {@code level} on this machine: the C compiler's flags for that level and this
     * CPU's features. Records tuned at one level are never applied to a build at another.
     */
    public static Target current(IsaLevel level) {
        return new Target(String.join(" ", CCompiler.flags(level)) + " cpu=" + CpuFeatures.current());
    }

    @Override
    public String toString() {
        return key;
    }
}
