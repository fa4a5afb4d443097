package dev.octet.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.CompileOptions;
import dev.octet.Octet;
import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Graph;
import dev.octet.ir.Model;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import org.junit.jupiter.api.Test;

/** CompiledModel.run on plain float arrays and memory segments, as OrtSession.run on a float[]-backed tensor. */
class PlainDataRunTest {
    private static final TensorType X = TensorType.of(DataType.FLOAT, 1, 2, 3);

    /** y = relu(x) * 2 and z = x + 1: two outputs, so that their order is seen. */
    private static CompiledModel compile(List<Value> inputs) {
        Map<String, Tensor> constants = Map.of("two", Tensor.ofFloats(new int[] {}, 2f),
                "one", Tensor.ofFloats(new int[] {}, 1f));
        List<Node> nodes = List.of(Node.of("r", "Relu", List.of("x"), List.of("h")),
                Node.of("m", "Mul", List.of("h", "two"), List.of("y")),
                Node.of("a", "Add", List.of("x", "one"), List.of("z")));
        TensorType out = inputs.getFirst().type();
        Graph g = new Graph("plain", inputs, List.of(new Value("y", out), new Value("z", out)), nodes, constants,
                Map.of(), Map.of("", 13));
        return Octet.compile(Model.of(g), CompileOptions.defaults().withBackend(CompileOptions.Backend.REFERENCE));
    }

    private static final float[] DATA = {-1.5f, 0, 2, 3.25f, -4, 5};

    @Test
    void aFloatArrayRunsAsTheSameTensorByNameWouldInTheGraphsOutputOrder() {
        try (CompiledModel m = compile(List.of(new Value("x", X)))) {
            SequencedMap<String, Tensor> out = m.run(DATA, 1, 2, 3);
            assertThat(out.sequencedKeySet()).containsExactly("y", "z");
            assertThat(out.firstEntry().getValue().floats()).containsExactly(0, 0, 4, 6.5f, 0, 10);
            assertThat(out.get("z").shape()).containsExactly(1, 2, 3);
            Map<String, Tensor> byName = m.run(Map.of("x", Tensor.ofFloats(new int[] {1, 2, 3}, DATA.clone())));
            assertThat(out.get("z").sameAs(byName.get("z"))).isTrue();
            assertThat(m.run(DATA).get("y").sameAs(byName.get("y"))).as("no shape: the input's static shape").isTrue();
        }
    }

    @Test
    void theArrayIsCopiedSoTheCallerMayReuseIt() {
        try (CompiledModel m = compile(List.of(new Value("x", X)))) {
            float[] data = DATA.clone();
            Tensor z = m.run(data, 1, 2, 3).get("z");
            data[0] = 100;
            assertThat(z.floats()[0]).isEqualTo(-0.5f);
        }
    }

    @Test
    void aMemorySegmentOffHeapOrUnalignedOnTheHeapGivesWhatTheArrayGives() {
        try (CompiledModel m = compile(List.of(new Value("x", X))); Arena arena = Arena.ofConfined()) {
            MemorySegment off = arena.allocate(DATA.length * 4L, 4);
            MemorySegment.copy(DATA, 0, off, ValueLayout.JAVA_FLOAT, 0, DATA.length);
            ByteBuffer bytes = ByteBuffer.allocate(DATA.length * 4 + 1).order(ByteOrder.nativeOrder());
            bytes.position(1);
            for (float f : DATA) {
                bytes.putFloat(f);
            }
            MemorySegment heap = MemorySegment.ofArray(bytes.array()).asSlice(1); // not aligned to 4
            Tensor expected = m.run(DATA, 1, 2, 3).get("y");
            assertThat(m.run(off, 1, 2, 3).get("y").sameAs(expected)).isTrue();
            assertThat(m.run(heap).get("y").sameAs(expected)).isTrue();
            assertThatThrownBy(() -> m.run(heap.asSlice(0, 7), 1, 2, 3)).isInstanceOf(OctetException.class)
                    .hasMessageContaining("input 'x'").hasMessageContaining("7 bytes is not a whole number of floats");
        }
    }

    @Test
    void dataThatDoesNotFitTheShapeOrTheInputIsOneErrorNamingTheInputAndItsShape() {
        try (CompiledModel m = compile(List.of(new Value("x", X)))) {
            assertThatThrownBy(() -> m.run(new float[5], 1, 2, 3)).isInstanceOf(OctetException.class)
                    .hasMessage("input 'x' (f32[1,2,3]): shape [1, 2, 3] needs 6 values, got 5");
            assertThatThrownBy(() -> m.run(DATA, 1, 3, 2)).isInstanceOf(OctetException.class)
                    .hasMessageContaining("input 'x': expected shape f32[1,2,3]");
        }
    }

    @Test
    void aSymbolicInputNeedsTheShapeAndTakesAnyThatTheModelAllows() {
        TensorType open = new TensorType(DataType.FLOAT, List.of(Dim.symbol("n"), Dim.of(2), Dim.of(3)));
        try (CompiledModel m = compile(List.of(new Value("x", open)))) {
            assertThatThrownBy(() -> m.run(DATA)).isInstanceOf(OctetException.class)
                    .hasMessageContaining("input 'x'").hasMessageContaining("give the shape");
            float[] two = new float[12];
            two[7] = 3;
            assertThat(m.run(two, 2, 2, 3).get("y").floats()[7]).isEqualTo(6);
        }
    }

    @Test
    void modelsWithSeveralOrNonFloatInputsAreSentToRunByName() {
        try (CompiledModel m = compile(List.of(new Value("x", X), new Value("unused", X)))) {
            assertThatThrownBy(() -> m.run(DATA, 1, 2, 3)).isInstanceOf(OctetException.class)
                    .hasMessageContaining("is for models with one input; this one has 2")
                    .hasMessageContaining("x f32[1,2,3]").hasMessageContaining("unused")
                    .hasMessageContaining("run(Map<String, Tensor>)");
        }
        TensorType ints = TensorType.of(DataType.INT64, 1, 2, 3);
        Graph g = new Graph("ints", List.of(new Value("i", ints)), List.of(new Value("o", ints)),
                List.of(Node.of("n", "Neg", List.of("i"), List.of("o"))), Map.of(), Map.of(), Map.of("", 13));
        try (CompiledModel m = Octet.compile(Model.of(g), CompileOptions.defaults()
                .withBackend(CompileOptions.Backend.REFERENCE))) {
            assertThatThrownBy(() -> m.run(DATA)).isInstanceOf(OctetException.class)
                    .hasMessageContaining("input 'i' is i64[1,2,3], not float");
        }
    }
}
