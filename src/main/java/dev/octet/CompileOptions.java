package dev.octet;

import dev.octet.data.Preprocessing;
import dev.octet.kernel.ConfigChooser;
import dev.octet.kernel.IsaLevel;
import java.nio.file.Path;
import java.util.Set;

/**
 * How to compile a model.
 *
 * @param threads worker threads of the compiled model (default: the machine's cores)
 * @param backend which kernels to use
 * @param cacheDir where compiled native libraries are kept (default: {@code ~/.cache/octet/native})
 * @param isa the ISA level native code is built for, or null for {@link IsaLevel#defaultLevel} (the best this
 *     CPU runs, or {@code -Doctet.isa})
 * @param keptValues values the compiled model must compute and store even where a pass would fold them away (a
 *     per-channel scale folded into a Conv) or fusion would compute them inside a larger step (a Conv's output an
 *     epilogue absorbs), so that a tapped run can hand them out (calibration)
 * @param configs which kernel configuration to build per workload (default: the templates' defaults; a tuning
 *     log's best records through {@code dev.octet.tune.TunedConfigs})
 * @param preprocessing how {@link dev.octet.runtime.CompiledModel#run(java.awt.image.BufferedImage)} turns images
 *     into the input tensor, or null for the convention of the model's family where Octet knows it (PP-OCR,
 *     BlazeFace, M-LSD: {@link dev.octet.data.ModelFamily}). It is an option of the compile, not of the compiled
 *     model, because only the compile sees what tells the family (the model's file name and metadata) and can
 *     refuse a preprocessing that does not fit the input before anything is built.
 * @param tuningLog a tuning log (JSON lines, as {@code octet tune} writes) whose best records the build applies,
 *     replacing {@code configs}; with {@code tuningTrials} the records of that tuning are appended to it first
 * @param tuningTrials candidates to measure before the build, in all, scheduled over the model's kernels (as {@code
 *     octet compile --tune N}); 0 for none. Needs a C compiler and a {@code tuningLog}
 */
public record CompileOptions(int threads, Backend backend, Path cacheDir, IsaLevel isa, Set<String> keptValues,
        ConfigChooser configs, Preprocessing preprocessing, Path tuningLog, int tuningTrials) {
    public CompileOptions {
        keptValues = keptValues == null ? Set.of() : Set.copyOf(keptValues);
        configs = configs == null ? ConfigChooser.defaults() : configs;
        if (tuningTrials < 0) {
            throw new dev.octet.ir.OctetException("a tuning budget of " + tuningTrials + " trials: it cannot be "
                    + "negative");
        }
    }

    /** Which kernels run the model. */
    public enum Backend {
        /** Native kernels compiled by the system C compiler; the JVM backend where there is no C compiler. */
        AUTO,
        /** Native kernels; an error where there is no C compiler. */
        NATIVE,
        /**
         * Java kernels taking the native kernels' arguments (the Vector API where {@code --add-modules
         * jdk.incubator.vector} is given, else scalar Java, several times slower): no C compiler needed.
         */
        JVM,
        /** The reference interpreter: exact and slow, the oracle. */
        REFERENCE
    }

    /** The machine's cores as threads, the AUTO backend, the default ISA level and kernel configurations. */
    public static CompileOptions defaults() {
        return new CompileOptions(Runtime.getRuntime().availableProcessors(), Backend.AUTO, null, null, Set.of(),
                null, null, null, 0);
    }

    /** The same with {@code n} worker threads. */
    public CompileOptions withThreads(int n) {
        return new CompileOptions(n, backend, cacheDir, isa, keptValues, configs, preprocessing, tuningLog,
                tuningTrials);
    }

    /** The same with another backend. */
    public CompileOptions withBackend(Backend b) {
        return new CompileOptions(threads, b, cacheDir, isa, keptValues, configs, preprocessing, tuningLog,
                tuningTrials);
    }

    /** The same, keeping compiled native libraries in {@code dir}. */
    public CompileOptions withCacheDir(Path dir) {
        return new CompileOptions(threads, backend, dir, isa, keptValues, configs, preprocessing, tuningLog,
                tuningTrials);
    }

    /** The same, building native code for {@code level} (null: the default level). */
    public CompileOptions withIsa(IsaLevel level) {
        return new CompileOptions(threads, backend, cacheDir, level, keptValues, configs, preprocessing, tuningLog,
                tuningTrials);
    }

    /** The same, keeping these values stored (see {@code keptValues}). */
    public CompileOptions withKeptValues(Set<String> values) {
        return new CompileOptions(threads, backend, cacheDir, isa, values, configs, preprocessing, tuningLog,
                tuningTrials);
    }

    /** The same with another kernel configuration chooser (a tuning log's: {@code TunedConfigs.load}). */
    public CompileOptions withConfigs(ConfigChooser chooser) {
        return new CompileOptions(threads, backend, cacheDir, isa, keptValues, chooser, preprocessing, tuningLog,
                tuningTrials);
    }

    /** The same, turning images into inputs with {@code p} (see {@code preprocessing}; null: the family's). */
    public CompileOptions withPreprocessing(Preprocessing p) {
        return new CompileOptions(threads, backend, cacheDir, isa, keptValues, configs, p, tuningLog, tuningTrials);
    }

    /** The same, building with the best records of {@code log} (see {@code tuningLog}; null for none). */
    public CompileOptions withTuningLog(Path log) {
        return new CompileOptions(threads, backend, cacheDir, isa, keptValues, configs, preprocessing, log,
                tuningTrials);
    }

    /**
     * The same, tuning the model's kernels for {@code trials} candidates in all before the build, into the
     * {@link #withTuningLog tuning log} (see {@code tuningTrials}).
     */
    public CompileOptions withTuningTrials(int trials) {
        return new CompileOptions(threads, backend, cacheDir, isa, keptValues, configs, preprocessing, tuningLog,
                trials);
    }

    /** The level native code is built for: {@link #isa} where set, else {@link IsaLevel#defaultLevel}. */
    public IsaLevel isaLevel() {
        return isa != null ? isa : IsaLevel.defaultLevel();
    }
}
