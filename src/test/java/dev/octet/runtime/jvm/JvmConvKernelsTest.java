package dev.octet.runtime.jvm;

import dev.octet.ir.op.nn.EpilogueStep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.kernel.Config;
import dev.octet.kernel.ConvGemmTemplate;
import dev.octet.kernel.ConvWorkload;
import dev.octet.kernel.DepthwiseTemplate;
import dev.octet.kernel.Epilogue;
import dev.octet.testing.ConvConformance;
import dev.octet.testing.ConvConformance.Case;
import dev.octet.runtime.Kernel;
import dev.octet.verify.TestInputs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The JVM kernels, Vector API and scalar, held to the native templates' conformance cases ({@link ConvConformance}:
 * the same random shapes, knob configurations, arguments and packed weights), plus a few larger layers whose
 * blocks fill whole micro-kernel tiles and split the reduction.
 */
class JvmConvKernelsTest {
    private static final int CASES = 48;
    private static final JvmKernels.Factory VECTOR = VectorKernels.factory();

    @TestFactory
    Stream<DynamicTest> vectorKernelsMatchTheReference() {
        return tests(VECTOR);
    }

    @TestFactory
    Stream<DynamicTest> scalarKernelsMatchTheReference() {
        return tests(JvmKernels.SCALAR);
    }

    private static Stream<DynamicTest> tests(JvmKernels.Factory f) {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.title(), () -> ConvConformance.check(c,
                c.depthwise() ? f.depthwise().apply(c.w(), c.c()) : f.convGemm().apply(c.w(), c.c()))));
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>(ConvConformance.cases(CASES));
        Epilogue biasRelu = new Epilogue(List.of(EpilogueStep.BIAS, EpilogueStep.RELU));
        Epilogue residual = new Epilogue(List.of(EpilogueStep.BIAS, EpilogueStep.RESIDUAL, EpilogueStep.RELU));
        cases.add(gemm(1000, new ConvWorkload(64, 64, 1, 3, 3, 1, 1, 1, 1, false, biasRelu), 13, 15, 1, 64, 64, 0));
        cases.add(gemm(1001, new ConvWorkload(96, 40, 1, 1, 1, 1, 1, 1, 1, true, residual), 9, 30, 0, 128, 64, 1));
        cases.add(gemm(1002, new ConvWorkload(48, 72, 2, 3, 3, 2, 2, 1, 1, false, biasRelu), 17, 21, 1, 64, 128, 1));
        cases.add(gemm(1003, new ConvWorkload(32, 36, 1, 5, 5, 1, 1, 1, 1, false, Epilogue.none()), 11, 40, 2, 512,
                256, 0));
        ConvWorkload dw = new ConvWorkload(24, 24, 24, 5, 5, 1, 1, 1, 1, false, biasRelu);
        cases.add(new Case(1004, dw, 19, 45, 2, 2, 2, 2, true, DepthwiseTemplate.knobs(dw).defaults()));
        return cases;
    }

    private static Case gemm(int id, ConvWorkload w, int h, int wd, int pad, int nc, int kc, int order) {
        return new Case(id, w, h, wd, pad, pad, pad, pad, false,
                new Config(ConvGemmTemplate.NAME, Map.of("nc", nc, "kc", kc, "order", order)));
    }

    /** Any segments will do: the same case with every buffer off the heap (the weights copied to an array). */
    @Test
    void offHeapBuffersGiveTheSameOutputsAsHeapArrays() {
        for (Case c : cases().subList(0, 12)) {
            ConvWorkload w = c.w();
            int outSize = 2 * w.outChannels() * c.oh() * c.ow();
            float[] x = TestInputs.floats(TestInputs.Kind.RANDOM, 2 * w.inChannels() * c.h() * c.wd(), 1);
            float[] wt = TestInputs.floats(TestInputs.Kind.RANDOM, w.outChannels() * w.reduction(), 2);
            float[] bias = TestInputs.floats(TestInputs.Kind.RANDOM, w.outChannels(), 3);
            float[] res = TestInputs.floats(TestInputs.Kind.RANDOM, outSize, 4);
            float[] packed = c.depthwise() ? DepthwiseTemplate.packWeights(w, wt) : ConvGemmTemplate.packWeights(w, wt);
            for (JvmKernels.Factory f : List.of(VECTOR, JvmKernels.SCALAR)) {
                Kernel k = c.depthwise() ? f.depthwise().apply(w, c.c()) : f.convGemm().apply(w, c.c());
                float[] onHeap = ConvConformance.run(k, c, 2, x, wt, bias, res, outSize);
                try (Arena arena = Arena.ofConfined()) {
                    List<MemorySegment> bufs = new ArrayList<>(List.of(offHeap(arena, x), offHeap(arena, packed)));
                    if (w.epilogue().hasBias()) {
                        bufs.add(offHeap(arena, bias));
                    }
                    if (w.epilogue().hasResidual()) {
                        bufs.add(offHeap(arena, res));
                    }
                    MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, outSize);
                    bufs.add(out);
                    long range = c.depthwise() ? DepthwiseTemplate.parallelRange(2, w)
                            : ConvGemmTemplate.parallelRange(w, 2, c.oh(), c.ow(), c.c());
                    k.invoke(bufs.toArray(MemorySegment[]::new), new long[] {c.h(), c.wd(), c.oh(), c.ow(), c.pt(),
                        c.pl()}, 0, range);
                    assertThat(out.toArray(ValueLayout.JAVA_FLOAT)).as(c.title() + " " + f.description())
                            .containsExactly(onHeap);
                }
            }
        }
    }

    private static MemorySegment offHeap(Arena arena, float[] values) {
        return arena.allocateFrom(ValueLayout.JAVA_FLOAT, values);
    }

    @Test
    void vectorAndScalarDepthwiseKernelsAgreeBitForBit() {
        for (Case c : cases()) {
            if (!c.depthwise()) {
                continue;
            }
            int outSize = 2 * c.w().outChannels() * c.oh() * c.ow();
            float[] x = TestInputs.floats(TestInputs.Kind.RANDOM, 2 * c.w().inChannels() * c.h() * c.wd(), 7);
            float[] wt = TestInputs.floats(TestInputs.Kind.RANDOM, c.w().outChannels() * c.w().reduction(), 8);
            float[] bias = TestInputs.floats(TestInputs.Kind.RANDOM, c.w().outChannels(), 9);
            float[] res = TestInputs.floats(TestInputs.Kind.RANDOM, outSize, 10);
            float[] vector = ConvConformance.run(VECTOR.depthwise().apply(c.w(), c.c()), c, 2, x, wt, bias, res,
                    outSize);
            float[] scalar = ConvConformance.run(JvmKernels.SCALAR.depthwise().apply(c.w(), c.c()), c, 2, x, wt,
                    bias, res, outSize);
            assertThat(vector).as(c.title()).containsExactly(scalar);
        }
    }
}
