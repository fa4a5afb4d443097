package dev.octet.codegen.c;

import dev.octet.io.FileTrees;
import dev.octet.ir.OctetException;
import dev.octet.kernel.IsaLevel;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.CpuFeatures;
import dev.octet.runtime.NativeLibrary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Compiled native libraries on disk, keyed by everything that determines the binary: the generated source, the
 * headers it includes, the C compiler's version, the ISA level and its flags, and the CPU features. A second compile of the same model
 * finds its library here and starts no compiler. Entries are written to a temporary name and moved into place, so
 * a crash never leaves a half-written library under a valid key.
 */
public final class LibraryCache {
    private final Path dir;
    private final CCompiler compiler;
    private final IsaLevel level;

    /** A cache whose libraries are built for {@link IsaLevel#defaultLevel}. */
    public LibraryCache(Path dir, CCompiler compiler) {
        this(dir, compiler, IsaLevel.defaultLevel());
    }

    /**
     * @param dir the cache folder ({@link #defaultDir()} for the user's cache)
     * @param level the ISA level its libraries are built for (the sources must have been built for it too)
     */
    public LibraryCache(Path dir, CCompiler compiler, IsaLevel level) {
        this.dir = dir;
        this.compiler = compiler;
        this.level = level;
    }

    public IsaLevel level() {
        return level;
    }

    /** {@code $OCTET_CACHE}, else {@code ~/.cache/octet}; libraries go in its {@code native} subfolder. */
    public static Path defaultDir() {
        String env = System.getenv("OCTET_CACHE");
        Path base = env != null && !env.isEmpty() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "octet");
        return base.resolve("native");
    }

    /** The library and whether this call had to compile it. */
    public record Entry(Path library, Path source, boolean compiled) {
    }

    /**
     * The library for a C source, loaded: refused with a clear message where this CPU cannot run the cache's level.
     */
    public NativeLibrary load(String source, Headers headers) {
        level.checkRunsOn(CpuFeatures.current(), "native code");
        return NativeLibrary.load(get(source, headers).library(), level);
    }

    /**
     * The library of a model's kernels ({@code source} is their one translation unit, the library's key), loaded;
     * where the cache lacks it, linked from one cached object per kernel ({@link KernelObjects}), so that a model
     * differing from an earlier one in a few kernels compiles only those.
     */
    public NativeLibrary load(String source, Headers headers, List<LoopKernel> kernels) {
        level.checkRunsOn(CpuFeatures.current(), "native code");
        return NativeLibrary.load(build(source, headers, kernels).library(), level);
    }

    /** The library for a C source, compiling it only where the cache has none. */
    public Entry get(String source, Headers headers) {
        return build(source, headers, null);
    }

    /** {@link #get}, building a missing library from per-kernel objects where {@code kernels} is not null. */
    private Entry build(String source, Headers headers, List<LoopKernel> kernels) {
        String key = key(source, headers);
        Path lib = dir.resolve("octet-" + key + ".so");
        Path src = dir.resolve("octet-" + key + ".c");
        if (Files.isRegularFile(lib)) {
            return new Entry(lib, src, false);
        }
        try {
            Files.createDirectories(dir);
            Path work = Files.createTempDirectory(dir, "build-");
            try {
                Path workSrc = work.resolve("kernels.c");
                Files.writeString(workSrc, source);
                Path include = headers.writeTo(work.resolve("include"));
                Path workLib = work.resolve("kernels.so");
                if (kernels == null) {
                    compiler.compile(workSrc, include, workLib, level);
                } else {
                    new KernelObjects(dir.resolve("objects"), compiler, level, salt(headers)).link(headers, kernels,
                            work, workLib);
                }
                moveIntoPlace(workSrc, src);
                moveIntoPlace(workLib, lib);
            } finally {
                FileTrees.delete(work);
            }
        } catch (IOException e) {
            throw new OctetException("cannot write the native library cache " + dir + ": " + e.getMessage());
        }
        return new Entry(lib, src, true);
    }

    private String key(String source, Headers headers) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(source.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(salt(headers).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What determines a binary besides its source: headers, compiler, level and flags, CPU features. */
    private String salt(Headers headers) {
        return String.join("\0", headers.fingerprint(), compiler.version(), level.id(),
                String.join(" ", CCompiler.flags(level)), CpuFeatures.current().toString()) + "\0";
    }

    static void moveIntoPlace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
