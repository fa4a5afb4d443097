package dev.octet;

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
 */
public record CompileOptions(int threads, Backend backend, Path cacheDir, IsaLevel isa, Set<String> keptValues,
        ConfigChooser configs) {
    public CompileOptions {
        keptValues = keptValues == null ? Set.of() : Set.copyOf(keptValues);
        configs = configs == null ? ConfigChooser.defaults() : configs;
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

    public static CompileOptions defaults() {
        return new CompileOptions(Runtime.getRuntime().availableProcessors(), Backend.AUTO, null, null, Set.of(),
                null);
    }

    public CompileOptions withThreads(int n) {
        return new CompileOptions(n, backend, cacheDir, isa, keptValues, configs);
    }

    public CompileOptions withBackend(Backend b) {
        return new CompileOptions(threads, b, cacheDir, isa, keptValues, configs);
    }

    public CompileOptions withCacheDir(Path dir) {
        return new CompileOptions(threads, backend, dir, isa, keptValues, configs);
    }

    public CompileOptions withIsa(IsaLevel level) {
        return new CompileOptions(threads, backend, cacheDir, level, keptValues, configs);
    }

    /** The same, keeping these values stored (see {@code keptValues}). */
    public CompileOptions withKeptValues(Set<String> values) {
        return new CompileOptions(threads, backend, cacheDir, isa, values, configs);
    }

    public CompileOptions withConfigs(ConfigChooser chooser) {
        return new CompileOptions(threads, backend, cacheDir, isa, keptValues, chooser);
    }

    /** The level native code is built for: {@link #isa} where set, else {@link IsaLevel#defaultLevel}. */
    public IsaLevel isaLevel() {
        return isa != null ? isa : IsaLevel.defaultLevel();
    }
}
