package dev.octet.codegen.c;

import dev.octet.ir.OctetException;
import dev.octet.kernel.IsaLevel;
import dev.octet.kernel.loop.Buffer;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.kernel.loop.Var;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds a model's library from one cached object file per kernel. Models that differ in a few layers (the float
 * fallback compiles one variant per candidate layer; a tuned build differs from the default in a few kernels)
 * share most kernels, but one translation unit per model recompiles all of them. Here each kernel is compiled
 * alone under a name derived from its own text ({@code ok_<hash>}), so the object does not depend on where the
 * kernel sits in the model (its index name {@code kN} shifts when a layer is added); a small export unit then
 * defines each {@code kN} as a call of its object's function, and the linker joins them. Missing objects are
 * compiled in parallel; each is written under a temporary name and moved into place. Every object includes one
 * header that includes Octet's headers, precompiled once per compiler, flags and header text: parsing the headers
 * would otherwise cost more than compiling a kernel.
 */
final class KernelObjects {
    private static final String ALL = "octet_all.h";

    private final Path dir;
    private final CCompiler compiler;
    private final IsaLevel level;
    private final String salt;

    /**
     * @param dir the folder of cached objects
     * @param salt everything besides the kernel's text that determines its object: headers, compiler, flags, CPU
     */
    KernelObjects(Path dir, CCompiler compiler, IsaLevel level, String salt) {
        this.dir = dir;
        this.compiler = compiler;
        this.level = level;
        this.salt = salt;
    }

    /** Links the library of {@code kernels} at {@code library}, compiling only the objects the cache lacks. */
    void link(Headers headers, List<LoopKernel> kernels, Path work, Path library) throws IOException {
        Files.createDirectories(dir);
        Path include = precompiledHeaders(headers, work);
        Map<String, LoopKernel> byHash = new LinkedHashMap<>();
        List<LoopKernel> renamed = new ArrayList<>();
        for (LoopKernel k : kernels) {
            LoopKernel named = rename(k, "ok_" + hash(unit(rename(k, "octet_kernel"))));
            renamed.add(named);
            byHash.putIfAbsent(named.name(), named);
        }
        List<Path> objects = new ArrayList<>();
        List<LoopKernel> missing = new ArrayList<>();
        for (LoopKernel k : byHash.values()) {
            Path o = dir.resolve(k.name() + ".o");
            objects.add(o);
            if (!Files.isRegularFile(o)) {
                missing.add(k);
            }
        }
        compileAll(headers, missing, include, work);
        Path exports = work.resolve("exports.c");
        Files.writeString(exports, exportUnit(kernels, renamed));
        Path exportsObject = work.resolve("exports.o");
        compiler.compileObject(exports, include, exportsObject, level);
        objects.add(exportsObject);
        compiler.link(objects, library, level);
    }

    private void compileAll(Headers headers, List<LoopKernel> missing, Path include, Path work) throws IOException {
        int threads = Math.max(1, Math.min(missing.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "octet-cc");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> done = new ArrayList<>();
            for (LoopKernel k : missing) {
                done.add(pool.submit(() -> {
                    Path src = work.resolve(k.name() + ".c");
                    Path obj = work.resolve(k.name() + ".o");
                    Files.writeString(src, unit(k));
                    compiler.compileObject(src, include, obj, level);
                    LibraryCache.moveIntoPlace(obj, dir.resolve(k.name() + ".o"));
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OctetException oe) {
                throw oe;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OctetException("interrupted while compiling kernels");
        } finally {
            pool.shutdownNow();
        }
    }

    /** The folder with {@value #ALL} (including every header) and its precompiled form, built once per salt. */
    private Path precompiledHeaders(Headers headers, Path work) throws IOException {
        Path cached = dir.resolve("pch-" + hash(ALL));
        if (Files.isRegularFile(cached.resolve(ALL + ".gch"))) {
            return cached;
        }
        Path build = headers.writeTo(work.resolve("pch"));
        StringBuilder all = new StringBuilder("/* Generated by Octet: every header, precompiled once. */\n");
        headers.names().forEach(n -> all.append("#include \"").append(n).append("\"\n"));
        Files.writeString(build.resolve(ALL), all);
        compiler.precompileHeader(build.resolve(ALL), build.resolve(ALL + ".gch"), level);
        try {
            Files.move(build, cached, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isRegularFile(cached.resolve(ALL + ".gch"))) { // not another process's win: a real failure
                throw e;
            }
        }
        return cached;
    }

    /** A kernel's translation unit: the precompiled header, then the function. */
    private static String unit(LoopKernel k) {
        return "/* Generated by Octet. */\n#include \"" + ALL + "\"\n"
                + CPrinter.translationUnit(new Headers(List.of()), List.of(k));
    }

    /** Each index-named kernel as a call of its content-named one (same parameters, in order). */
    private static String exportUnit(List<LoopKernel> kernels, List<LoopKernel> renamed) {
        StringBuilder sb = new StringBuilder("/* Generated by Octet: the exported kernels. */\n");
        sb.append("#include \"" + ALL + "\"\n");
        Map<String, Boolean> declared = new LinkedHashMap<>();
        for (int i = 0; i < kernels.size(); i++) {
            LoopKernel target = renamed.get(i);
            if (declared.putIfAbsent(target.name(), true) == null) {
                sb.append(CPrinter.signature(target)).append(";\n");
            }
            String args = Stream.concat(kernels.get(i).buffers().stream().map(Buffer::name),
                    Stream.concat(kernels.get(i).scalars().stream(), Stream.of(LoopKernel.BEGIN, LoopKernel.END))
                            .map(Var::name)).collect(Collectors.joining(", "));
            sb.append("OCTET_EXPORT ").append(CPrinter.signature(kernels.get(i))).append(" {\n    ")
                    .append(target.name()).append('(').append(args).append(");\n}\n");
        }
        return sb.toString();
    }

    private static LoopKernel rename(LoopKernel k, String name) {
        return new LoopKernel(name, k.buffers(), k.scalars(), k.body());
    }

    private String hash(String unit) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(unit.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
