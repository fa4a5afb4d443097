package dev.octet.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * The instruction-set features of this CPU that Octet's generated code may use, read from /proc/cpuinfo. The
 * system property {@code octet.cpu.features} (comma-separated, e.g. "avx2,fma") overrides the detection, so tests
 * can pretend to be a CPU without a feature.
 */
public record CpuFeatures(Set<String> flags) {
    /** The features Octet cares about; the others in /proc/cpuinfo do not change generated code. */
    private static final Set<String> RELEVANT = Set.of("sse4_2", "avx", "avx2", "fma", "f16c", "bmi2",
            "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd", "avx512_vnni", "avx_vnni");

    public CpuFeatures {
        flags = Set.copyOf(new TreeSet<>(flags));
    }

    private static final CpuFeatures DETECTED = detect();

    /** This machine's features (or the override). */
    public static CpuFeatures current() {
        String override = System.getProperty("octet.cpu.features");
        if (override != null) {
            return new CpuFeatures(Set.of(Arrays.stream(override.split(",")).map(String::trim)
                    .filter(s -> !s.isEmpty()).toArray(String[]::new)));
        }
        return DETECTED;
    }

    private static CpuFeatures detect() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    Set<String> found = new TreeSet<>();
                    for (String f : line.substring(line.indexOf(':') + 1).trim().split("\\s+")) {
                        if (RELEVANT.contains(f)) {
                            found.add(f);
                        }
                    }
                    return new CpuFeatures(found);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux or not readable: assume nothing beyond the JVM's own portability (the lowest level).
        }
        return new CpuFeatures(Set.of());
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    /** A stable text form for cache keys and tuning-log targets. */
    @Override
    public String toString() {
        return String.join(",", new TreeSet<>(flags));
    }
}
