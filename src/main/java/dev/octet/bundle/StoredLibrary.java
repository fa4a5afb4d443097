package dev.octet.bundle;

import dev.octet.build.ModelCompiler;
import dev.octet.codegen.c.Headers;
import dev.octet.codegen.c.LibraryCache;
import dev.octet.ir.OctetException;
import dev.octet.kernel.IsaLevel;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.BuildRecord;
import dev.octet.runtime.NativeLibrary;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A bundle's native library as the library source of a build: it checks that the regenerated C source is the one
 * the library was compiled from, extracts the library (once, to the cache folder, under its own hash) and loads it.
 * It never starts a compiler.
 */
final class StoredLibrary implements ModelCompiler.LibrarySource {
    private final Path bundle;
    private final byte[] library;
    private final String sourceKey;
    private final Path cacheDir;

    /** @param cacheDir where the library is extracted to; null for {@link LibraryCache#defaultDir()} */
    StoredLibrary(Path bundle, byte[] library, String sourceKey, Path cacheDir) {
        this.bundle = bundle;
        this.library = library;
        this.sourceKey = sourceKey;
        this.cacheDir = cacheDir != null ? cacheDir : LibraryCache.defaultDir();
    }

    @Override
    public NativeLibrary load(String source, Headers headers, List<LoopKernel> kernels,
            IsaLevel level) {
        String key = BuildRecord.sourceKey(source, headers.fingerprint());
        if (!key.equals(sourceKey)) {
            throw new OctetException(bundle + ": this Octet generates other code for the bundle's graph than the "
                    + "code its library was compiled from (source hash " + key.substring(0, 16) + ", stored "
                    + (sourceKey == null ? "none" : sourceKey.substring(0, Math.min(16, sourceKey.length())))
                    + "); compile the model again");
        }
        return NativeLibrary.load(extract(), level);
    }

    /** The library's file in the cache folder, written there (whole, then moved into place) unless it is already. */
    private Path extract() {
        String hash = Hashes.sha256(library);
        Path target = cacheDir.resolve("bundle-" + hash.substring(0, 32) + ".so");
        try {
            if (Files.isRegularFile(target) && Hashes.sha256(Files.readAllBytes(target)).equals(hash)) {
                return target;
            }
            Files.createDirectories(cacheDir);
            Path tmp = Files.createTempFile(cacheDir, "bundle-", ".part");
            try {
                Files.write(tmp, library);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new OctetException(bundle + ": cannot extract the native library to " + cacheDir + " ("
                    + e.getMessage() + ")");
        }
    }
}
