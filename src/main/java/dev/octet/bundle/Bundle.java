package dev.octet.bundle;

import dev.octet.CompileOptions;
import dev.octet.Octet;
import dev.octet.build.ModelCompiler;
import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.kernel.IsaLevel;
import dev.octet.runtime.CompiledModel;
import dev.octet.runtime.CpuFeatures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * An opened bundle ({@link BundleWriter}), checked whole before anything of it is used: its manifest's format and
 * Octet version, and the SHA-256 of every entry. {@link #instantiate} rebuilds the compiled model by the same
 * lowering that built it, with the stored native library in place of the C compiler: no compiler process starts.
 */
public final class Bundle {
    private final Path file;
    private final BundleManifest manifest;
    private final Map<String, byte[]> entries;
    private Model model;

    private Bundle(Path file, BundleManifest manifest, Map<String, byte[]> entries) {
        this.file = file;
        this.manifest = manifest;
        this.entries = entries;
    }

    /** Whether a file looks like a bundle (a zip), as opposed to an ONNX model: for commands taking either. */
    public static boolean looksLikeBundle(Path file) {
        if (file.getFileName() != null && file.getFileName().toString().endsWith(".octet")) {
            return true;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads and checks a bundle.
     *
     * @throws OctetException (one line naming the file) where it is missing, truncated or not a bundle, was
     *     written by another Octet version or format, or an entry does not match its hash in the manifest
     */
    public static Bundle open(Path file) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        // A corrupt or hostile zip may inflate without end: stop at half the heap, a clear error, not a crash.
        long budget = Math.min(Runtime.getRuntime().maxMemory() / 2, Integer.MAX_VALUE - 8L);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                ZipEntry e = all.nextElement();
                try (InputStream in = zip.getInputStream(e)) {
                    byte[] bytes = in.readNBytes((int) budget + 1);
                    if (bytes.length > budget) {
                        throw new OctetException(file + ": the bundle's entries inflate to more than half of this "
                                + "JVM's heap (raise it with -Xmx, e.g. OCTET_JAVA_OPTS=-Xmx8g)");
                    }
                    budget -= bytes.length;
                    entries.put(e.getName(), bytes);
                }
            }
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new OctetException(file + ": no such file");
        } catch (IOException e) {
            throw new OctetException(file + ": is truncated or corrupt, or not an Octet bundle (" + e.getMessage()
                    + ")");
        }
        byte[] json = entries.remove(BundleWriter.MANIFEST);
        if (json == null) {
            throw new OctetException(file + ": not an Octet bundle (it has no " + BundleWriter.MANIFEST + ")");
        }
        BundleManifest manifest = BundleManifest.fromJson(json, file.toString());
        if (manifest.format() != BundleManifest.FORMAT) {
            throw new OctetException(file + ": the bundle has format " + manifest.format() + "; this Octet reads "
                    + "format " + BundleManifest.FORMAT);
        }
        if (!manifest.octetVersion().equals(Octet.version())) {
            throw new OctetException(file + ": the bundle was written by Octet " + manifest.octetVersion()
                    + " and this is Octet " + Octet.version() + "; compile the model again with this version "
                    + "(octet compile)");
        }
        Set<String> unlisted = new HashSet<>(entries.keySet());
        unlisted.removeAll(manifest.entries().keySet());
        if (!unlisted.isEmpty()) {
            throw new OctetException(file + ": the bundle holds entries its manifest does not list: "
                    + String.join(", ", new java.util.TreeSet<>(unlisted)));
        }
        for (Map.Entry<String, String> e : manifest.entries().entrySet()) {
            byte[] bytes = entries.get(e.getKey());
            if (bytes == null) {
                throw new OctetException(file + ": the bundle lacks its entry " + e.getKey() + " (truncated?)");
            }
            if (!Hashes.sha256(bytes).equals(e.getValue())) {
                throw new OctetException(file + ": the bundle's entry " + e.getKey() + " does not match its SHA-256 "
                        + "in the manifest (the bundle is corrupt or was tampered with)");
            }
        }
        if (!entries.containsKey(BundleWriter.MODEL) || !entries.containsKey(BundleWriter.CONFIGS)) {
            throw new OctetException(file + ": the bundle lacks " + BundleWriter.MODEL + " or "
                    + BundleWriter.CONFIGS);
        }
        return new Bundle(file, manifest, entries);
    }

    public BundleManifest manifest() {
        return manifest;
    }

    Path file() {
        return file;
    }

    /**
     * The model the bundle was compiled from (graph and metadata), read from its checked {@code model.onnx}; its
     * source is the original file name where the manifest has one (it tells the model's family), else the bundle.
     */
    public synchronized Model model() {
        if (model != null) {
            return model;
        }
        try {
            Model m = OnnxImporter.read(dev.octet.frontend.onnx.proto.Onnx.ModelProto.parseFrom(
                    entries.get(BundleWriter.MODEL)), file);
            model = manifest.modelName() == null ? m
                    : new Model(m.graph(), Path.of(manifest.modelName()), m.producer(), m.metadata());
            return model;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new OctetException(file + ": the bundle's " + BundleWriter.MODEL + " is not a valid ONNX model");
        }
    }

    /** The stored tuning log's bytes, or null where the build used none. */
    public byte[] tuningLog() {
        return entries.get(BundleWriter.TUNING);
    }

    /** The stored quantization report's JSON (checked against the manifest), or null where the compile made none. */
    public String quantizationReport() {
        byte[] json = entries.get(BundleWriter.QUANTIZATION);
        return json == null ? null : new String(json, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The compiled model, rebuilt without the C compiler: native kernels from the stored library where this CPU
     * runs its ISA level; otherwise the JVM kernels (exact for int8, within DESIGN's bound for fp32), with one
     * notice saying why.
     *
     * @param options threads and the cache folder the library is extracted to; backend JVM runs a native bundle on
     *     the JVM kernels (any other backend, the ISA level and the kernel configurations are the bundle's)
     * @param notices where the one-line fallback notice goes
     * @throws OctetException where the code this Octet generates for the graph is not the stored library's
     */
    public CompiledModel instantiate(CompileOptions options, Consumer<String> notices) {
        Model model = model();
        CompileOptions base = options.withKeptValues(Set.copyOf(manifest.keptValues()))
                .withConfigs(RecordedConfigs.fromJson(entries.get(BundleWriter.CONFIGS), file.toString()));
        CompileOptions.Backend backend = CompileOptions.Backend.valueOf(manifest.backend());
        byte[] library = entries.get(BundleWriter.LIBRARY);
        if (options.backend() == CompileOptions.Backend.JVM && backend == CompileOptions.Backend.NATIVE) {
            return ModelCompiler.build(model.graph(), base.withBackend(CompileOptions.Backend.JVM), null);
        }
        if (backend != CompileOptions.Backend.NATIVE || library == null) {
            return ModelCompiler.build(model.graph(), base.withBackend(backend == CompileOptions.Backend.NATIVE
                    ? CompileOptions.Backend.JVM : backend), null);
        }
        IsaLevel level = IsaLevel.parse(manifest.isaLevel());
        CpuFeatures cpu = CpuFeatures.current();
        Set<String> missing = level.missingOn(cpu);
        boolean unknownCpu = cpu.flags().isEmpty(); // as IsaLevel.checkRunsOn: the lowest level is assumed to run
        if (!missing.isEmpty() && !(unknownCpu && level == IsaLevel.X86_64_V3)) {
            notices.accept("octet: notice: " + file + ": this CPU lacks " + String.join(", ", missing)
                    + " for the bundle's " + level.id() + " native library; running on the JVM kernels instead");
            return ModelCompiler.build(model.graph(), base.withBackend(CompileOptions.Backend.JVM), null);
        }
        StoredLibrary stored = new StoredLibrary(file, library, manifest.sourceKey(), options.cacheDir());
        return ModelCompiler.build(model.graph(), base.withBackend(CompileOptions.Backend.NATIVE).withIsa(level),
                stored);
    }
}
