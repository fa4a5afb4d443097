package dev.octet.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.CompileOptions;
import dev.octet.build.ModelCompiler;
import dev.octet.ir.Attribute;
import dev.octet.ir.Attributes;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.runtime.CompiledModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fallback on a small CNN with one planted sensitive layer: conv c3's output channel 0 has a bias of 1000, so
 * its per-tensor output range is dominated by that one channel and every other channel quantizes to a few coarse
 * steps; the Tanh after it (float) shows the damage in the output. c3 must be the first layer returned to float.
 */
class FloatFallbackTest {
    private static final Graph MODEL = ModelCompiler.simplifyForQuantization(planted());
    private static final CompileOptions COMPILE = CompileOptions.defaults().withThreads(1);
    private static final Map<String, TensorRange> RANGES = ReferenceRanges.of(MODEL,
            Quantizer.calibrationTargets(MODEL, QuantizeOptions.defaults()), List.of(input(1), input(2), input(3)));
    private static final List<Map<String, Tensor>> HELD_OUT = List.of(input(11), input(12), input(13), input(14));

    @Test
    void returnsThePlantedOutlierConvToFloatFirstAndMeetsTheBudget() {
        FallbackResult r = FloatFallback.defaults().quiet().run(MODEL, HELD_OUT, QuantizeOptions.defaults(),
                o -> Quantizer.quantize(MODEL, RANGES, o), COMPILE);
        assertThat(r.before()).isLessThan(0.99);
        assertThat(r.ranking()).extracting(FallbackResult.Sensitivity::name).containsExactlyInAnyOrder("c1", "c2",
                "c3");
        assertThat(r.ranking().getFirst().name()).isEqualTo("c3");
        assertThat(r.ranking().getFirst().gain()).isGreaterThan(r.ranking().get(1).gain() + 0.01);
        assertThat(r.kept()).extracting(FallbackResult.Sensitivity::name).containsExactly("c3");
        assertThat(r.met()).isTrue();
        assertThat(r.after()).isGreaterThanOrEqualTo(0.99);
        QuantizationSummary s = r.annotated().summary();
        LayerSummary c3 = s.layers().stream().filter(l -> l.name().equals("c3")).findFirst().orElseThrow();
        assertThat(c3.int8()).isFalse();
        assertThat(c3.reason()).startsWith("fallback: sensitivity +");
        assertThat(s.int8Count("Conv")).isEqualTo(2);
        assertThat(s.notes()).anyMatch(n -> n.startsWith("fallback: budget mean output cosine >= 0.99") && n.contains(
                "[c3] (met)"));
    }

    @Test
    void anEndTaskMetricBudgetIsMeasuredOnFp32AndOnEachCandidate() {
        List<Double> calls = new ArrayList<>();
        // The "metric": 100 x the output cosine on one fixed input, as a task accuracy in points would be.
        Map<String, Tensor> probe = input(21);
        Map<String, Tensor> reference;
        try (CompiledModel fp32 = ModelCompiler.compile(MODEL, COMPILE)) {
            reference = fp32.run(probe);
        }
        FallbackBudget budget = FallbackBudget.maxDrop("agreement", m -> {
            double v = 100 * OutputAgreement.cosine(reference, m.run(probe));
            calls.add(v);
            return v;
        }, 0.5);
        FallbackResult r = FloatFallback.defaults().quiet().withBudget(budget).run(MODEL, HELD_OUT,
                QuantizeOptions.defaults(), o -> Quantizer.quantize(MODEL, RANGES, o), COMPILE);
        assertThat(calls.getFirst()).isCloseTo(100, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(calls).hasSize(3); // fp32, all int8, c3 in float
        assertThat(r.kept()).extracting(FallbackResult.Sensitivity::name).containsExactly("c3");
        assertThat(r.before()).isLessThan(99.5);
        assertThat(r.after()).isGreaterThanOrEqualTo(99.5);
        assertThat(r.budget()).contains("agreement drop <= 0.5");
    }

    @Test
    void aLayerWhoseReturnDoesNotHelpOnTopOfTheOthersStaysInt8AndAnUnmetBudgetNeverEndsWorse() {
        Map<String, Tensor> probe = input(21);
        Map<String, Tensor> reference;
        try (CompiledModel fp32 = ModelCompiler.compile(MODEL, COMPILE)) {
            reference = fp32.run(probe);
        }
        // A metric that punishes any mix of float and int8 convolutions: every single return to float ranks as a
        // gain by output cosine, but none improves the metric, so none may be kept.
        FallbackBudget budget = FallbackBudget.maxDrop("mix-averse", m -> {
            boolean mixed = m.graph().nodes().stream().anyMatch(n -> n.opType().contains("QLinearConv"))
                    && m.graph().nodes().stream().anyMatch(n -> n.opType().equals("Conv")
                    || n.opType().equals("FusedConv"));
            return 100 * OutputAgreement.cosine(reference, m.run(probe)) - (mixed ? 50 : 0);
        }, 0.5);
        FallbackResult r = FloatFallback.defaults().quiet().withBudget(budget).run(MODEL, HELD_OUT,
                QuantizeOptions.defaults(), o -> Quantizer.quantize(MODEL, RANGES, o), COMPILE);
        assertThat(r.ranking()).anyMatch(s -> s.gain() > 0);
        assertThat(r.kept()).isEmpty();
        assertThat(r.met()).isFalse();
        assertThat(r.after()).isEqualTo(r.before());
        assertThat(r.model().summary().int8Count("Conv")).isEqualTo(3);
    }

    @Test
    void aDecisionBudgetReturnsThePlantedConvAndKeepsFp32sDecisions() {
        // y's last axis (16 columns) stands in for a class axis: c3's coarse int8 steps move most maxima (15% of
        // fp32's decisions kept with every layer int8, 98% with c3 in float)
        FallbackResult r = FloatFallback.defaults().quiet().withBudget(FallbackBudget.minTopAgreement(0.97)).run(
                MODEL, HELD_OUT, QuantizeOptions.defaults(), o -> Quantizer.quantize(MODEL, RANGES, o), COMPILE);
        assertThat(r.before()).isLessThan(0.5);
        assertThat(r.kept()).extracting(FallbackResult.Sensitivity::name).containsExactly("c3");
        assertThat(r.met()).isTrue();
        assertThat(r.after()).isGreaterThanOrEqualTo(0.97);
        assertThat(r.budget()).startsWith("share of fp32's argmax decisions kept >= 0.97");
    }

    @Test
    void aBudgetThatHoldsWithEveryLayerInt8CostsOneCompileAndReturnsNothing() {
        FallbackResult r = FloatFallback.defaults().quiet().withBudget(FallbackBudget.minCosine(0.5, true)).run(MODEL,
                HELD_OUT, QuantizeOptions.defaults(), o -> Quantizer.quantize(MODEL, RANGES, o), COMPILE);
        assertThat(r.met()).isTrue();
        assertThat(r.kept()).isEmpty();
        assertThat(r.ranking()).isEmpty();
        assertThat(r.model().summary().int8Count("Conv")).isEqualTo(3);
    }

    /** x → c1 → Relu → c2 → Relu → c3 (channel 0: bias 1000) → Tanh → y. */
    static Graph planted() {
        Random random = new Random(5);
        List<Node> nodes = new ArrayList<>();
        Map<String, Tensor> constants = new LinkedHashMap<>();
        conv(nodes, constants, random, "c1", "x", 8, 3, 3);
        nodes.add(Node.of("r1", "Relu", List.of("c1"), List.of("r1")));
        conv(nodes, constants, random, "c2", "r1", 8, 8, 3);
        nodes.add(Node.of("r2", "Relu", List.of("c2"), List.of("r2")));
        conv(nodes, constants, random, "c3", "r2", 8, 8, 1);
        float[] b = constants.get("c3_b").floats().clone();
        b[0] = 1000f;
        constants.put("c3_b", Tensor.ofFloats(new int[] {8}, b));
        nodes.add(Node.of("y", "Tanh", List.of("c3"), List.of("y")));
        return new Graph("planted", List.of(new Value("x", TensorType.of(DataType.FLOAT, 1, 3, 16, 16))),
                List.of(new Value("y", TensorType.of(DataType.FLOAT, 1, 8, 16, 16))), nodes, constants, Map.of(),
                Map.of("", 13));
    }

    private static void conv(List<Node> nodes, Map<String, Tensor> constants, Random random, String name, String x,
            int out, int in, int k) {
        constants.put(name + "_w", gaussian(random, 0.5 / Math.sqrt(in * k * k) * 2, out, in, k, k));
        constants.put(name + "_b", gaussian(random, 0.1, out));
        nodes.add(new Node(name, "Conv", "", List.of(x, name + "_w", name + "_b"), List.of(name), Attributes.of(
                Attribute.of("kernel_shape", (long) k, k), Attribute.of("pads", (long) k / 2, k / 2, k / 2, k / 2))));
    }

    private static Tensor gaussian(Random random, double sigma, int... shape) {
        float[] v = new float[dev.octet.ir.Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextGaussian() * sigma);
        }
        return Tensor.ofFloats(shape, v);
    }

    static Map<String, Tensor> input(long seed) {
        Random r = new Random(seed);
        float[] v = new float[3 * 16 * 16];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return Map.of("x", Tensor.ofFloats(new int[] {1, 3, 16, 16}, v));
    }
}
