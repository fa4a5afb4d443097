package dev.octet.kernel;

import dev.octet.ir.op.nn.EpilogueStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.codegen.c.CPrinter;
import dev.octet.codegen.c.Headers;
import dev.octet.codegen.c.LibraryCache;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.OperatorRegistry;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.NativeKernel;
import dev.octet.runtime.NativeLibrary;
import dev.octet.verify.FloatBound;
import dev.octet.verify.GuardedOutput;
import dev.octet.verify.TestInputs;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The MatMul template over random sizes and knob configurations, against the reference MatMul (+ epilogue). */
class MatMulTemplateTest {
    record Case(int id, int m, MatMulWorkload w, Config c, LoopKernel kernel) {
    }

    @TestFactory
    Stream<DynamicTest> matchesTheReference() {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        Random seeds = new Random(7);
        List<Case> cases = new ArrayList<>();
        for (int id = 0; id < 24; id++) {
            long s = seeds.nextLong();
            MatMulWorkload w = new MatMulWorkload(pick(s, 1, 300), pick(s + 1, 1, 70), new Epilogue(id % 2 == 0
                    ? List.of() : List.of(EpilogueStep.BIAS, EpilogueStep.RELU)));
            List<Config> all = MatMulTemplate.knobs(w).all();
            Config c = all.get(pick(s + 2, 0, all.size() - 1));
            cases.add(new Case(id, pick(s + 3, 1, 60), w, c, MatMulTemplate.build(w, c, "mm" + id)));
        }
        String source = CPrinter.translationUnit(Headers.standard(), cases.stream().map(Case::kernel).toList());
        NativeLibrary lib = NativeLibrary.load(new LibraryCache(Path.of("target", "test-native-cache"), cc)
                .get(source, Headers.standard()).library());
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.id() + " M=" + c.m() + " " + c.w().key() + " "
                + c.c(), () -> check(lib, c)));
    }

    private static int pick(long seed, int lo, int hi) {
        return Arbitraries.integers().between(lo, hi).generator(1).next(new Random(seed)).value();
    }

    private static void check(NativeLibrary lib, Case c) {
        MatMulWorkload w = c.w();
        for (TestInputs.Kind kind : List.of(TestInputs.Kind.SMALL_INTEGER, TestInputs.Kind.RANDOM)) {
            float[] x = TestInputs.floats(kind, c.m() * w.k(), c.id() * 7L + 1);
            float[] wt = TestInputs.floats(kind, w.k() * w.n(), c.id() * 7L + 2);
            float[] bias = TestInputs.floats(kind, w.n(), c.id() * 7L + 3);
            GuardedOutput out = new GuardedOutput(c.m() * w.n());
            List<MemorySegment> bufs = new ArrayList<>(List.of(MemorySegment.ofArray(x),
                    MemorySegment.ofArray(MatMulTemplate.packWeights(w, wt))));
            if (w.epilogue().hasBias()) {
                bufs.add(MemorySegment.ofArray(bias));
            }
            bufs.add(out.segment());
            NativeKernel k = new NativeKernel(lib, c.kernel().name(), bufs.size(), 1);
            long range = MatMulTemplate.parallelRange(w, c.m(), c.c());
            // three uneven chunks, as three threads would run them: cuts fall inside a row block's column slices
            long first = range / 3;
            long second = Math.min(range, 2 * range / 3 + 1);
            k.invoke(bufs.toArray(MemorySegment[]::new), new long[] {c.m()}, 0, first);
            k.invoke(bufs.toArray(MemorySegment[]::new), new long[] {c.m()}, first, second);
            k.invoke(bufs.toArray(MemorySegment[]::new), new long[] {c.m()}, second, range);
            assertThat(out.damage()).isNull();
            float[] exact = reference(c, x, wt, bias, false);
            if (kind == TestInputs.Kind.SMALL_INTEGER) {
                assertThat(out.values()).containsExactly(exact);
            } else {
                float[] mag = reference(c, abs(x), abs(wt), abs(bias), true);
                assertThat(FloatBound.check(out.values(), exact, mag, w.k(), w.epilogue().steps().size())).isNull();
            }
        }
    }

    private static float[] reference(Case c, float[] x, float[] wt, float[] bias, boolean magnitude) {
        MatMulWorkload w = c.w();
        Node mm = Node.of("mm", "MatMul", List.of("x", "w"), List.of("y"));
        Tensor y = OperatorRegistry.forNode(mm).evaluate(new EvalContext(mm, 13, Arrays.asList(
                Tensor.ofFloats(new int[] {c.m(), w.k()}, x), Tensor.ofFloats(new int[] {w.k(), w.n()}, wt)))).get(0);
        float[] out = new float[y.size()];
        for (int i = 0; i < out.length; i++) {
            double v = y.getDouble(i);
            if (w.epilogue().hasBias()) {
                v += bias[i % w.n()];
                v = magnitude ? v : Math.max(v, 0);
            }
            out[i] = (float) v;
        }
        return out;
    }

    private static float[] abs(float[] a) {
        float[] o = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = Math.abs(a[i]);
        }
        return o;
    }
}
