package dev.octet.runtime;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * The instruction-set features of this CPU that Octet's generated code may use, read from /proc/cpuinfo. The
 * system property {@code octet.cpu.features} (comma-separated, e.g. "avx2,fma") overrides the detection, so tests
 * can pretend to be a CPU without a feature.
 *
 * <p>AMX tiles need more than the CPU: Linux hands the tile state to a process only on request (arch_prctl
 * ARCH_REQ_XCOMP_PERM for XTILEDATA), and a tile instruction without it dies of SIGILL. Where the CPU lists
 * amx_tile, detection makes that request once (the grant is per process and also covers the generated libraries,
 * which repeat it) and adds the pseudo-feature {@link #AMX_GRANTED} only if Linux grants it.
 */
public record CpuFeatures(Set<String> flags) {
    /** Not a /proc/cpuinfo flag: the operating system granted this process the AMX tile state. */
    public static final String AMX_GRANTED = "amx_granted";
    /** The features Octet cares about; the others in /proc/cpuinfo do not change generated code. */
    private static final Set<String> RELEVANT = Set.of("sse4_2", "avx", "avx2", "fma", "f16c", "bmi2",
            "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd", "avx512_vnni", "avx_vnni", "amx_tile",
            "amx_int8");
    private static final long SYS_ARCH_PRCTL = 158;
    private static final long ARCH_REQ_XCOMP_PERM = 0x1023;
    private static final long XFEATURE_XTILEDATA = 18;

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
                    if (found.contains("amx_tile") && requestAmxTiles()) {
                        found.add(AMX_GRANTED);
                    }
                    return new CpuFeatures(found);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux or not readable: assume nothing beyond the JVM's own portability (the lowest level).
        }
        return new CpuFeatures(Set.of());
    }

    /** Asks Linux for the AMX tile state of this process (x86-64 only); false where refused or not askable. */
    private static boolean requestAmxTiles() {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle syscall = linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(1));
            return (long) syscall.invokeExact(SYS_ARCH_PRCTL, ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA) == 0;
        } catch (Throwable t) {
            return false; // no native access or not Linux: the AMX level is simply not offered
        }
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
