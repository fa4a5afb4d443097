package dev.octet.quant;

import dev.octet.ir.Graph;
import dev.octet.ir.GraphPrinter;
import dev.octet.ir.Tensor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Calibration statistics kept on disk, so that a second calibration of the same model on the same images reads no
 * image and runs no model. One file per key; the key is the SHA-256 of everything the statistics depend on (see
 * {@link #key}); a file is written to a temporary name and moved into place, so a reader never sees half of one. A
 * file that cannot be read back (truncated, corrupt, another format) counts as absent and is rewritten.
 */
final class CalibrationCache {
    /** Bumped whenever the statistics or this file format change meaning. */
    static final int FORMAT = 1;
    private static final int MAGIC = 0x4f435441; // "OCTA"

    private final Path dir;

    CalibrationCache(Path dir) {
        this.dir = dir;
    }

    /** {@code $OCTET_CACHE/calib}, else {@code ~/.cache/octet/calib}. */
    static Path defaultDir() {
        String env = System.getenv("OCTET_CACHE");
        Path base = env != null && !env.isEmpty() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "octet");
        return base.resolve("calib");
    }

    /**
     * The key of one calibration: the format version, the graph (its text and every constant's bytes), the
     * backend that runs it (fp32 kernels round differently), the tensors observed (sorted) and the images (names,
     * sizes, modification times and preprocessing; not their pixels).
     */
    static String key(Graph graph, String backend, List<String> sortedTensors, CalibrationImages images) {
        MessageDigest d = sha256();
        d.update(("octet calibration " + FORMAT + " bins " + TensorStatistics.BINS + " backend " + backend + "\n")
                .getBytes(StandardCharsets.UTF_8));
        d.update(GraphPrinter.print(graph).getBytes(StandardCharsets.UTF_8));
        graph.constants().keySet().stream().sorted().forEach(name -> {
            d.update(name.getBytes(StandardCharsets.UTF_8));
            d.update(bytes(graph.constants().get(name)));
        });
        d.update(("tensors " + String.join("\u0000", sortedTensors) + "\n").getBytes(StandardCharsets.UTF_8));
        images.fingerprint(d);
        return HexFormat.of().formatHex(d.digest());
    }

    /** The statistics stored under the key, or null where there are none (or none readable). */
    Map<String, TensorStatistics> read(String key) {
        Path file = file(key);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(
                Files.newInputStream(file))))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT || !in.readUTF().equals(key)) {
                return null;
            }
            int tensors = in.readInt();
            Map<String, TensorStatistics> stats = new LinkedHashMap<>();
            for (int t = 0; t < tensors; t++) {
                String name = in.readUTF();
                long count = in.readLong();
                float min = in.readFloat();
                float max = in.readFloat();
                int exponent = in.readInt();
                boolean signed = in.readBoolean();
                long[] bins = new long[TensorStatistics.BINS];
                int filled = in.readInt();
                for (int i = 0; i < filled; i++) {
                    bins[in.readInt()] = in.readLong();
                }
                stats.put(name, new TensorStatistics(name, count, min, max, exponent, signed, bins));
            }
            return in.read() == -1 ? stats : null;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null; // unreadable or inconsistent: calibrate again and overwrite it
        }
    }

    /** Stores the statistics under the key (atomically: to a temporary file, then moved into place). */
    void write(String key, Map<String, TensorStatistics> stats) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, key.substring(0, 16), ".tmp");
        try {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(
                    Files.newOutputStream(tmp))))) {
                out.writeInt(MAGIC);
                out.writeInt(FORMAT);
                out.writeUTF(key);
                out.writeInt(stats.size());
                for (TensorStatistics s : stats.values()) {
                    out.writeUTF(s.name());
                    out.writeLong(s.count());
                    out.writeFloat(s.min());
                    out.writeFloat(s.max());
                    out.writeInt(s.exponent());
                    out.writeBoolean(!s.isNonNegative());
                    long[] bins = s.bins();
                    out.writeInt((int) java.util.Arrays.stream(bins).filter(c -> c != 0).count());
                    for (int i = 0; i < bins.length; i++) {
                        if (bins[i] != 0) {
                            out.writeInt(i);
                            out.writeLong(bins[i]);
                        }
                    }
                }
            }
            try {
                Files.move(tmp, file(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(key), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    Path file(String key) {
        return dir.resolve(key + ".stats.gz");
    }

    private static byte[] bytes(Tensor t) {
        Object data = t.data();
        ByteBuffer b;
        switch (data) {
            case float[] f -> {
                b = ByteBuffer.allocate(f.length * 4);
                b.asFloatBuffer().put(f);
            }
            case long[] l -> {
                b = ByteBuffer.allocate(l.length * 8);
                b.asLongBuffer().put(l);
            }
            case double[] v -> {
                b = ByteBuffer.allocate(v.length * 8);
                b.asDoubleBuffer().put(v);
            }
            case boolean[] z -> {
                b = ByteBuffer.allocate(z.length);
                for (boolean v : z) {
                    b.put((byte) (v ? 1 : 0));
                }
            }
            case String[] strings -> {
                return String.join("\u0000", strings).getBytes(StandardCharsets.UTF_8);
            }
            default -> throw new IllegalStateException("constant storage " + data.getClass());
        }
        return b.array();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
