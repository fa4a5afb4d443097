package dev.octet.kernel;

import dev.octet.ir.OctetException;
import dev.octet.runtime.CpuFeatures;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The instruction-set levels Octet compiles native code for (DESIGN.md invariant 5: a named level, never
 * {@code -march=native}). Each names its C compiler flags and the CPU features (as /proc/cpuinfo spells them) it
 * needs. Templates ask for the level they build for, since some micro-kernels exist only at a higher level. Levels
 * are ordered: a later one includes everything of an earlier one.
 *
 * <p>The level code is built for by default ({@link #defaultLevel}) is the system property {@code octet.isa} (e.g.
 * {@code -Doctet.isa=x86-64-v3}, for tests and bundles meant for other machines), else the best level this CPU
 * runs ({@link CpuFeatures}, a leaf class with no dependencies of its own).
 */
public enum IsaLevel {
    /** AVX2, FMA, F16C, BMI2 (Haswell and later, Zen and later). */
    X86_64_V3("x86-64-v3", List.of("-march=x86-64-v3"), Set.of("avx", "avx2", "fma", "f16c", "bmi2", "sse4_2")),
    /** x86-64-v4 (AVX-512 F/BW/DQ/VL/CD) plus AVX512-VNNI (vpdpbusd): Ice Lake, Sapphire Rapids, Zen 4. */
    X86_64_V4_VNNI("x86-64-v4+vnni", List.of("-march=x86-64-v4", "-mavx512vnni"), Set.of("avx", "avx2", "fma",
            "f16c", "bmi2", "sse4_2", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd", "avx512_vnni")),
    /**
     * x86-64-v4+vnni plus Intel AMX tiles with int8 dot products (TDPBSUD): Sapphire Rapids and later. The CPU
     * features include the operating system's grant of the tile state ({@link CpuFeatures#AMX_GRANTED}).
     */
    X86_64_V4_AMX("x86-64-v4+amx", List.of("-march=x86-64-v4", "-mavx512vnni", "-mamx-tile", "-mamx-int8"),
            Set.of("avx", "avx2", "fma", "f16c", "bmi2", "sse4_2", "avx512f", "avx512bw", "avx512dq", "avx512vl",
                    "avx512cd", "avx512_vnni", "amx_tile", "amx_int8", CpuFeatures.AMX_GRANTED));

    /** The system property that overrides the detected level. */
    public static final String PROPERTY = "octet.isa";

    private final String id;
    private final List<String> flags;
    private final Set<String> features;

    IsaLevel(String id, List<String> flags, Set<String> features) {
        this.id = id;
        this.flags = flags;
        this.features = features;
    }

    /** The stable name: part of cache keys and tuning-log targets, and what {@link #parse} reads. */
    public String id() {
        return id;
    }

    /** The C compiler flags that select this level. */
    public List<String> compilerFlags() {
        return flags;
    }

    /** The CPU features code of this level may use. */
    public Set<String> requiredFeatures() {
        return features;
    }

    /** Whether 512-bit AVX-512 registers (F/BW/DQ/VL) may be used. */
    boolean hasAvx512() {
        return compareTo(X86_64_V4_VNNI) >= 0;
    }

    /** Whether vpdpbusd (u8·s8 four-way dot products into int32, no intermediate saturation) may be used. */
    boolean hasVnni() {
        return compareTo(X86_64_V4_VNNI) >= 0;
    }

    /** Whether AMX int8 tiles (16×16 int32 += 16×64 s8 · 16×64 u8, exact) may be used. */
    boolean hasAmx() {
        return this == X86_64_V4_AMX;
    }

    /** The features of this level that a CPU with these features lacks (empty where it runs this level). */
    public Set<String> missingOn(CpuFeatures cpu) {
        return features.stream().filter(f -> !cpu.has(f)).collect(Collectors.toCollection(TreeSet::new));
    }

    public boolean runsOn(CpuFeatures cpu) {
        return missingOn(cpu).isEmpty();
    }

    /**
     * The best level a CPU runs; {@link #X86_64_V3} where it runs none (native code then fails to load with a
     * clear message, see {@link #checkRunsOn}).
     */
    public static IsaLevel best(CpuFeatures cpu) {
        IsaLevel best = X86_64_V3;
        for (IsaLevel l : values()) {
            if (l.runsOn(cpu)) {
                best = l;
            }
        }
        return best;
    }

    /** {@code -Doctet.isa} where set, else the best level of this CPU. */
    public static IsaLevel defaultLevel() {
        String name = System.getProperty(PROPERTY, "").trim();
        return name.isEmpty() ? best(CpuFeatures.current()) : parse(name);
    }

    /** The level of that name ({@link #id}). */
    public static IsaLevel parse(String name) {
        for (IsaLevel l : values()) {
            if (l.id.equals(name)) {
                return l;
            }
        }
        throw new OctetException("unknown ISA level '" + name + "' (known: "
                + Arrays.stream(values()).map(IsaLevel::id).collect(Collectors.joining(", ")) + ")");
    }

    /** Refuses code of this level on a CPU that cannot run it (it would die of an illegal instruction). */
    public void checkRunsOn(CpuFeatures cpu, String what) {
        Set<String> missing = missingOn(cpu);
        boolean unknownCpu = cpu.flags().isEmpty(); // features not readable: the lowest level is assumed to run
        if (!missing.isEmpty() && !(unknownCpu && this == X86_64_V3)) {
            throw new OctetException(what + " was built for " + id + ", which this CPU cannot run (it lacks "
                    + String.join(", ", missing) + (missing.contains(CpuFeatures.AMX_GRANTED)
                            ? ", " + CpuFeatures.AMX_GRANTED + " meaning Linux granted this process the AMX tile state"
                            : "") + "); build it for " + best(cpu).id() + " (-D" + PROPERTY + "="
                    + best(cpu).id() + ")");
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
