package dev.octet.runtime;

import dev.octet.ir.OctetException;
import dev.octet.kernel.IsaLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * A loaded native library of generated kernels, called through the Foreign Function &amp; Memory API. Closing it
 * unloads the library; handles obtained from it must not be used afterwards.
 */
public final class NativeLibrary implements AutoCloseable {
    private final Arena arena;
    private final SymbolLookup symbols;
    private final Path path;

    private NativeLibrary(Arena arena, SymbolLookup symbols, Path path) {
        this.arena = arena;
        this.symbols = symbols;
        this.path = path;
    }

    /**
     * Loads a shared library built for an ISA level: refused with a clear message where this CPU cannot run that
     * level (its code would die of an illegal instruction, taking the JVM with it).
     */
    public static NativeLibrary load(Path path, IsaLevel level) {
        level.checkRunsOn(CpuFeatures.current(), "the native library " + path);
        return load(path);
    }

    /** Loads a shared library; a library that cannot be loaded is a clear error, not a crash. */
    public static NativeLibrary load(Path path) {
        Arena arena = Arena.ofShared();
        try {
            return new NativeLibrary(arena, SymbolLookup.libraryLookup(path, arena), path);
        } catch (IllegalArgumentException | IllegalCallerException e) {
            arena.close();
            throw new OctetException("cannot load the native library " + path + ": " + e.getMessage());
        }
    }

    /** A handle that calls the named function with the given signature. */
    public MethodHandle function(String name, FunctionDescriptor signature) {
        MemorySegment address = symbols.find(name).orElseThrow(() ->
                new OctetException("the native library " + path + " has no function '" + name + "'"));
        return Linker.nativeLinker().downcallHandle(address, signature, Linker.Option.critical(true));
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        arena.close();
    }
}
