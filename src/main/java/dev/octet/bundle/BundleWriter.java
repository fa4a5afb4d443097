package dev.octet.bundle;

import dev.octet.Octet;
import dev.octet.frontend.onnx.OnnxWriter;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.runtime.BuildRecord;
import dev.octet.runtime.CompiledModel;
import dev.octet.runtime.NativeLibrary;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a compiled model as a bundle: a zip of {@code manifest.json}, {@code model.onnx} (the graph the compiler
 * was given, with the model's metadata), {@code kernels.so} (the native library, where there is one),
 * {@code configs.json} (the configuration chosen per workload) and {@code tuning.jsonl} (the tuning log the build
 * used, where one was given) and {@code quantization.json} (the measured quantization report, where the compile
 * made one: {@code octet report} cannot measure it again without the calibration images). Packed weights are not stored: they are re-packed at load from the graph's constants
 * (deterministic, and cheap next to reading them). The file is written to a temporary name and moved into place,
 * so it appears whole or not at all.
 */
public final class BundleWriter {
    static final String MANIFEST = "manifest.json";
    static final String MODEL = "model.onnx";
    static final String LIBRARY = "kernels.so";
    static final String CONFIGS = "configs.json";
    static final String TUNING = "tuning.jsonl";
    static final String QUANTIZATION = "quantization.json";

    private BundleWriter() {
    }

    /**
     * Writes the bundle.
     *
     * @param compiled a model compiled by Octet (it records how it was built)
     * @param source the model it was compiled from, or null: its metadata (e.g. a recognizer's character list) is
     *     stored with the graph, and its file name, which tells its family (preprocessing, decoding)
     * @param tuningLog the tuning log the build used, stored for provenance, or null
     * @return the manifest written
     * @throws OctetException where the model does not record its build or the file cannot be written
     */
    public static BundleManifest write(CompiledModel compiled, Model source, Path tuningLog,
            Path file) {
        return write(compiled, source, tuningLog, null, file);
    }

    /**
     * {@link #write(CompiledModel, Model, Path, Path)} with the quantization report's JSON stored too.
     *
     * @param quantizationReport {@code QuantizationReport.toJson()} of the compile's quantization, or null
     */
    public static BundleManifest write(CompiledModel compiled, Model source, Path tuningLog,
            String quantizationReport, Path file) {
        BuildRecord build = compiled.buildRecord().orElseThrow(() -> new OctetException(
                "this compiled model does not record how it was built; compile it with Octet.compile to save it"));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Map<String, String> metadata = source == null ? Map.of() : source.metadata();
        String modelName = source == null || source.source() == null ? null
                : String.valueOf(source.source().getFileName());
        entries.put(MODEL, OnnxWriter.toProto(new Model(build.input(), null, "", metadata)).toByteArray());
        NativeLibrary library = compiled.nativeLibrary().orElse(null);
        if (library != null) {
            entries.put(LIBRARY, read(library.path(), "the native library"));
        }
        entries.put(CONFIGS, RecordedConfigs.toJson(build.configs()));
        if (tuningLog != null) {
            entries.put(TUNING, read(tuningLog, "the tuning log"));
        }
        if (quantizationReport != null) {
            entries.put(QUANTIZATION, quantizationReport.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Map<String, String> hashes = new LinkedHashMap<>();
        entries.forEach((name, bytes) -> hashes.put(name, Hashes.sha256(bytes)));
        List<String> features = build.level() == null ? List.of()
                : new ArrayList<>(new java.util.TreeSet<>(build.level().requiredFeatures()));
        BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT, Octet.version(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), modelName, build.backend(),
                build.level() == null ? null : build.level().id(), features, build.sourceKey(),
                BundleManifest.WEIGHTS_REPACKED, new ArrayList<>(new java.util.TreeSet<>(build.keptValues())), hashes);
        writeZip(file, manifest, entries);
        return manifest;
    }

    private static void writeZip(Path file, BundleManifest manifest, Map<String, byte[]> entries) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + "."
                + System.nanoTime() + ".part");
        try {
            Files.createDirectories(dir);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16);
                    ZipOutputStream zip = new ZipOutputStream(out)) {
                put(zip, MANIFEST, manifest.toJson());
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    put(zip, e.getKey(), e.getValue());
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new OctetException(file + ": cannot write the bundle (" + e.getMessage() + ")");
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // The write already failed or the file moved; nothing more to do.
            }
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTime(0); // the manifest carries the time; equal inputs give equal entries
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }

    private static byte[] read(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new OctetException("cannot read " + what + " " + file + " (" + e.getMessage() + ")");
        }
    }
}
