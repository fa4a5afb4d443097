package dev.octet;

import dev.octet.kernel.ConfigChooser;
import java.nio.file.Path;

/**
 * How to compile a model.
 *
 * @param threads worker threads of the compiled model (default: the machine's cores)
 * @param backend which kernels to use
 * @param cacheDir where compiled native libraries are kept (default: {@code ~/.cache/octet/native})
 * @param configs which kernel configuration to build per workload (default: the templates' defaults; a tuning
 *     log's best records through {@code dev.octet.tune.TunedConfigs})
 */
public record CompileOptions(int threads, Backend backend, Path cacheDir, ConfigChooser configs) {
    public CompileOptions {
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
        return new CompileOptions(Runtime.getRuntime().availableProcessors(), Backend.AUTO, null, null);
    }

    public CompileOptions withThreads(int n) {
        return new CompileOptions(n, backend, cacheDir, configs);
    }

    public CompileOptions withBackend(Backend b) {
        return new CompileOptions(threads, b, cacheDir, configs);
    }

    public CompileOptions withCacheDir(Path dir) {
        return new CompileOptions(threads, backend, dir, configs);
    }

    public CompileOptions withConfigs(ConfigChooser chooser) {
        return new CompileOptions(threads, backend, cacheDir, chooser);
    }
}
