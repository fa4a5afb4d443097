package dev.octet;

import dev.octet.kernel.IsaLevel;
import java.nio.file.Path;

/**
 * How to compile a model.
 *
 * @param threads worker threads of the compiled model (default: the machine's cores)
 * @param backend which kernels to use
 * @param cacheDir where compiled native libraries are kept (default: {@code ~/.cache/octet/native})
 * @param isa the ISA level native code is built for, or null for {@link IsaLevel#defaultLevel} (the best this
 *     CPU runs, or {@code -Doctet.isa})
 */
public record CompileOptions(int threads, Backend backend, Path cacheDir, IsaLevel isa) {
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
        return new CompileOptions(n, backend, cacheDir, isa);
    }

    public CompileOptions withBackend(Backend b) {
        return new CompileOptions(threads, b, cacheDir, isa);
    }

    public CompileOptions withCacheDir(Path dir) {
        return new CompileOptions(threads, backend, dir, isa);
    }

    public CompileOptions withIsa(IsaLevel level) {
        return new CompileOptions(threads, backend, cacheDir, level);
    }

    /** The level native code is built for: {@link #isa} where set, else {@link IsaLevel#defaultLevel}. */
    public IsaLevel isaLevel() {
        return isa != null ? isa : IsaLevel.defaultLevel();
    }
}
