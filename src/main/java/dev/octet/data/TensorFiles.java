package dev.octet.data;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.octet.frontend.onnx.TensorProtos;
import dev.octet.frontend.onnx.proto.Onnx.TensorProto;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Tensors in files: NumPy {@code .npy}, or an ONNX TensorProto {@code .pb} (as ONNX's test data sets are). */
public final class TensorFiles {
    private TensorFiles() {
    }

    /** Whether a file name looks like a tensor file this class reads. */
    public static boolean isTensorFile(Path file) {
        String name = file.getFileName().toString().toLowerCase();
        return name.endsWith(".npy") || name.endsWith(".pb");
    }

    /** Reads a .npy or .pb tensor file. */
    public static Tensor load(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > Integer.MAX_VALUE - 64) {
                throw new OctetException(file + ": too large for one tensor (over 2 GiB)");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new OctetException(file + ": no such file");
        } catch (IOException e) {
            throw new OctetException(file + ": cannot read (" + e.getMessage() + ")");
        }
        String name = file.getFileName().toString().toLowerCase();
        if (name.endsWith(".npy")) {
            return Npy.read(bytes, file.toString());
        }
        if (name.endsWith(".pb")) {
            try {
                return TensorProtos.toTensor(TensorProto.parseFrom(bytes), null);
            } catch (InvalidProtocolBufferException e) {
                throw new OctetException(file + ": not an ONNX TensorProto (" + e.getMessage() + ")");
            } catch (OctetException e) {
                throw new OctetException(file + ": " + e.getMessage(), e);
            }
        }
        throw new OctetException(file + ": unknown tensor file type (expected .npy or .pb)");
    }

    /** Writes a tensor as .npy or, for a .pb name, as a TensorProto named {@code name}; atomically. */
    public static void save(Path file, String name, Tensor t) {
        String lower = file.getFileName().toString().toLowerCase();
        byte[] bytes;
        if (lower.endsWith(".npy")) {
            bytes = Npy.write(t);
        } else if (lower.endsWith(".pb")) {
            bytes = TensorProtos.toProto(name, t).toByteArray();
        } else {
            throw new OctetException(file + ": unknown tensor file type (use .npy or .pb)");
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
            try {
                Files.write(tmp, bytes);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new OctetException(file + ": cannot write (" + e.getMessage() + ")");
        }
    }
}
