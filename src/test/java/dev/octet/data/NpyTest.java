package dev.octet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.DataType;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    /** A .npy file as numpy writes it, header text given. */
    private static byte[] npy(String header, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        out.write(h.length & 0xFF);
        out.write(h.length >> 8);
        out.writeBytes(h);
        out.writeBytes(data);
        return out.toByteArray();
    }

    @Test
    void writesWhatNumpyWritesForFloat32() {
        byte[] bytes = Npy.write(Tensor.ofFloats(new int[] {2, 3}, 1, 2, 3, 4, 5, 6));
        String header = new String(bytes, 10, 118, StandardCharsets.ISO_8859_1);
        assertThat(header).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }").endsWith("\n");
        assertThat(bytes.length).isEqualTo(128 + 24);
        assertThat(ByteBuffer.wrap(bytes, 128, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat()).isEqualTo(1f);
    }

    @Test
    void roundTripsEveryElementType() {
        Tensor[] tensors = {Tensor.ofFloats(new int[] {3}, 1.5f, -0f, Float.NaN),
            Tensor.of(DataType.DOUBLE, new int[] {1, 1}, new double[] {Math.PI}),
            Tensor.of(DataType.FLOAT16, new int[] {2}, new float[] {0.5f, 65504f}),
            Tensor.ofLongs(DataType.UINT8, new int[] {2}, 0, 255), Tensor.ofLongs(DataType.INT8, new int[] {1}, -128),
            Tensor.ofLongs(DataType.INT64, new int[] {}, Long.MIN_VALUE),
            Tensor.ofLongs(DataType.UINT32, new int[] {1}, 0xFFFF_FFFFL), Tensor.ofBooleans(new int[] {2}, true, false)};
        for (Tensor t : tensors) {
            assertThat(Npy.read(Npy.write(t), "t").sameAs(t)).as(t.toString()).isTrue();
        }
    }

    @Test
    void readsBigEndianAndOneDimensionalShapes() {
        byte[] data = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putInt(7).putInt(-1).array();
        Tensor t = Npy.read(npy("{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }\n", data), "t");
        assertThat(t.dtype()).isEqualTo(DataType.INT32);
        assertThat(t.shape()).containsExactly(2);
        assertThat(t.longs()).containsExactly(7, -1);
    }

    @Test
    void rejectsWhatItCannotReadWithOneLine() {
        assertThatThrownBy(() -> Npy.read("hello".getBytes(), "x.npy")).isInstanceOf(OctetException.class)
                .hasMessageContaining("x.npy: not a .npy file");
        assertThatThrownBy(() -> Npy.read(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }\n",
                new byte[16]), "f.npy")).hasMessageContaining("Fortran-order");
        assertThatThrownBy(() -> Npy.read(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000,), }\n",
                new byte[16]), "t.npy")).hasMessageContaining("truncated");
        assertThatThrownBy(() -> Npy.read(npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }\n",
                new byte[8]), "c.npy")).hasMessageContaining("'c8' is not supported");
    }

    @Test
    void tensorFilesReadNpyAndOnnxTensorProtos(@TempDir Path dir) {
        Tensor t = Tensor.ofFloats(new int[] {1, 2}, 0.25f, -3f);
        for (String name : new String[] {"t.npy", "t.pb"}) {
            Path file = dir.resolve(name);
            TensorFiles.save(file, "x", t);
            assertThat(TensorFiles.load(file).sameAs(t)).as(name).isTrue();
        }
        assertThatThrownBy(() -> TensorFiles.save(dir.resolve("t.txt"), "x", t)).isInstanceOf(OctetException.class)
                .hasMessageContaining("use .npy or .pb");
    }
}
