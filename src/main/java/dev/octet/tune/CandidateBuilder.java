package dev.octet.tune;

import dev.octet.codegen.c.CCompiler;
import dev.octet.codegen.c.Headers;
import dev.octet.ir.OctetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Compiles candidates into shared libraries, several at once, each under a time limit; libraries are cached by
 * a hash of their source, the headers, the compiler's version and flags, so a resumed session compiles nothing twice.
 */
final class CandidateBuilder {
    /** A built library, or the error that kept it from being built (with build time in seconds). */
    record Built(Candidate candidate, Path library, ErrorCode error, String message, double seconds) {
    }

    private final CCompiler cc;
    private final Path dir;
    private final long timeoutSeconds;
    private final int threads;
    private Path include;

    CandidateBuilder(CCompiler cc, Path dir, long timeoutSeconds, int threads) {
        this.cc = cc;
        this.dir = dir;
        this.timeoutSeconds = timeoutSeconds;
        this.threads = Math.max(1, threads);
    }

    /** Builds every candidate; the call returns when all are done (no measurement overlaps a build). */
    List<Built> buildAll(List<Candidate> candidates) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, Math.max(1, candidates.size())));
        try {
            List<Future<Built>> futures = new ArrayList<>();
            for (Candidate c : candidates) {
                futures.add(pool.submit(() -> build(c)));
            }
            List<Built> out = new ArrayList<>();
            for (Future<Built> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OctetException("interrupted while building candidates");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private Built build(Candidate c) throws IOException {
        long t0 = System.nanoTime();
        if (c.source() == null) {
            return new Built(c, null, ErrorCode.INSTANTIATION_ERROR, c.problem(), 0);
        }
        String source = c.withEntry();
        Headers headers = Headers.standard();
        dev.octet.kernel.IsaLevel level = dev.octet.kernel.IsaLevel.defaultLevel();
        // The level's flags are part of the key: a library built for x86-64-v4 must not serve a run for v3.
        Path lib = dir.resolve("cand-" + Sha.of(source, headers.fingerprint(), cc.version(),
                String.join(" ", CCompiler.FLAGS), String.join(" ", level.compilerFlags())) + ".so");
        if (Files.isRegularFile(lib)) {
            return new Built(c, lib, ErrorCode.NO_ERROR, null, seconds(t0));
        }
        Path work = Files.createTempDirectory(dir, "build-");
        try {
            Path src = work.resolve("candidate.c");
            Files.writeString(src, source);
            Path out = work.resolve("candidate.so");
            cc.compile(src, includeDir(), out, level, timeoutSeconds);
            Files.move(out, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Built(c, lib, ErrorCode.NO_ERROR, null, seconds(t0));
        } catch (CCompiler.Timeout e) {
            return new Built(c, null, ErrorCode.BUILD_TIMEOUT, e.getMessage(), seconds(t0));
        } catch (OctetException e) {
            return new Built(c, null, ErrorCode.COMPILE_ERROR, e.getMessage(), seconds(t0));
        } finally {
            Measurer.deleteTree(work);
        }
    }

    private synchronized Path includeDir() throws IOException {
        if (include == null) {
            Headers h = Headers.standard();
            include = h.writeTo(dir.resolve("include-" + Sha.of(h.fingerprint())));
        }
        return include;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
