package dev.octet.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.CompileOptions;
import dev.octet.build.ModelCompiler;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.runtime.CompiledModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decision budget counts argmax agreements along each output's last axis, and refuses outputs without one. */
class OutputAgreementTest {
    private static final CompileOptions REFERENCE = CompileOptions.defaults()
            .withBackend(CompileOptions.Backend.REFERENCE);

    /** y = x · scale, x of shape {@code shape}, scale broadcast along the last axis. */
    private static CompiledModel scaled(int[] shape, float... scale) {
        TensorType t = TensorType.of(DataType.FLOAT, java.util.Arrays.stream(shape).asLongStream().toArray());
        Graph g = new Graph("scaled", List.of(new Value("x", t)), List.of(new Value("y", t)),
                List.of(Node.of("m", "Mul", List.of("x", "s"), List.of("y"))),
                Map.of("s", Tensor.ofFloats(new int[] {scale.length}, scale)), Map.of(), Map.of("", 13));
        return ModelCompiler.compile(g, REFERENCE);
    }

    @Test
    void theShareOfKeptDecisionsIsCountedPerPositionOfTheLastAxis() {
        // two positions of three classes: fp32 decides 2 and 0; the candidate's third class shrinks, so the
        // first position now decides 1 and the second keeps 0
        Map<String, Tensor> in = Map.of("x", Tensor.ofFloats(new int[] {1, 2, 3}, new float[] {1, 2, 3, 3, 2, 1}));
        try (CompiledModel fp32 = scaled(new int[] {1, 2, 3}, 1, 1, 1);
                CompiledModel candidate = scaled(new int[] {1, 2, 3}, 1, 1, 0.1f)) {
            OutputAgreement a = new OutputAgreement(fp32, List.of(in, in));
            assertThat(a.topAgreement(fp32)).isEqualTo(1.0);
            assertThat(a.topAgreement(candidate)).isEqualTo(0.5);
            FallbackBudget.Check check = FallbackBudget.minTopAgreement(0.75).against(fp32, List.of(in));
            assertThat(check.holds(check.value(fp32))).isTrue();
            assertThat(check.holds(check.value(candidate))).isFalse();
            assertThat(check.describe()).isEqualTo("share of fp32's argmax decisions kept >= 0.75 on 1 held-out "
                    + "input(s)");
        }
    }

    @Test
    void anOutputWithoutAClassAxisIsRefusedWithAClearMessage() {
        Map<String, Tensor> in = Map.of("x", Tensor.ofFloats(new int[] {1, 1, 4, 1}, new float[] {1, 2, 3, 4}));
        try (CompiledModel fp32 = scaled(new int[] {1, 1, 4, 1}, 1)) {
            OutputAgreement a = new OutputAgreement(fp32, List.of(in));
            assertThatThrownBy(() -> a.topAgreement(fp32)).isInstanceOf(OctetException.class)
                    .hasMessageContaining("no model output has a class axis");
        }
        assertThatThrownBy(() -> FallbackBudget.minTopAgreement(0)).isInstanceOf(OctetException.class)
                .hasMessageContaining("(0, 1]");
    }
}
