package dev.octet.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.codegen.c.CPrinter;
import dev.octet.codegen.c.Headers;
import dev.octet.codegen.c.LibraryCache;
import dev.octet.ir.Attribute;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
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
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The pool template over random windows (kernel, stride, dilation, pads, ceil_mode, count_include_pad), image sizes
 * and knob configurations, against the reference MaxPool, AveragePool and GlobalAveragePool: MaxPool bit-exact on
 * every input (it only selects, first of equal values, NaN winning), the averages bit-exact on small integers
 * (their sums are exact, the division rounds once) and within DESIGN.md's fp32 sum bound on random inputs; all
 * three bit-exact on NaN, ±∞ and ±0. Outputs NaN-filled and canary-guarded; each case runs as two uneven ranges.
 */
class PoolTemplatesTest {
    private static final int CASES = 48;

    record Case(int id, PoolWorkload w, int n, int c, int h, int wd, int[] pads, boolean ceil, Config config,
            LoopKernel kernel) {
        Node node() {
            if (w.isGlobal()) {
                return Node.of("p", "GlobalAveragePool", List.of("x"), List.of("y"));
            }
            List<Attribute> a = new ArrayList<>(List.of(
                    Attribute.of("kernel_shape", (long) w.kernelH(), w.kernelW()),
                    Attribute.of("strides", (long) w.strideH(), w.strideW()),
                    Attribute.of("pads", (long) pads[0], pads[1], pads[2], pads[3]),
                    Attribute.of("ceil_mode", ceil ? 1L : 0L)));
            if (w.kind() == PoolWorkload.Kind.MAX) {
                a.add(Attribute.of("dilations", (long) w.dilationH(), w.dilationW()));
            } else {
                a.add(Attribute.of("count_include_pad", w.countIncludePad() ? 1L : 0L));
            }
            return Node.of("p", w.kind() == PoolWorkload.Kind.MAX ? "MaxPool" : "AveragePool", List.of("x"),
                    List.of("y"), a.toArray(Attribute[]::new));
        }
    }

    @TestFactory
    Stream<DynamicTest> poolsMatchTheReference() {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        List<Case> cases = cases();
        String source = CPrinter.translationUnit(Headers.standard(), cases.stream().map(Case::kernel).toList());
        Path lib = new LibraryCache(Path.of("target", "test-native-cache"), cc).get(source, Headers.standard())
                .library();
        NativeLibrary library = NativeLibrary.load(lib);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.id() + " " + c.w().key() + " " + c.config() + " "
                + c.h() + "x" + c.wd() + " pads " + java.util.Arrays.toString(c.pads()) + (c.ceil() ? " ceil" : ""),
                () -> check(library, c)));
    }

    private static List<Case> cases() {
        Random seeds = new Random(20261123);
        List<Case> out = new ArrayList<>();
        for (int id = 0; out.size() < CASES; id++) {
            long seed = seeds.nextLong();
            PoolWorkload.Kind kind = PoolWorkload.Kind.values()[id % 5 == 4 ? 2 : id % 2];
            int kh = pick(seed, 1, 4);
            int kw = pick(seed + 1, 1, 4);
            int d = kind == PoolWorkload.Kind.MAX && id % 3 == 0 ? 2 : 1;
            PoolWorkload w = kind == PoolWorkload.Kind.GLOBAL_AVERAGE ? PoolWorkload.global(kind)
                    : new PoolWorkload(kind, kh, kw, pick(seed + 2, 1, 3), pick(seed + 3, 1, 3), d, d,
                            pick(seed + 4, 0, 1) == 1);
            int[] pads = {pick(seed + 5, 0, kh - 1), pick(seed + 6, 0, kw - 1), pick(seed + 7, 0, kh - 1),
                    pick(seed + 8, 0, kw - 1)};
            List<Config> all = PoolTemplate.knobs(w).all();
            Config c = all.get(pick(seed + 9, 0, all.size() - 1));
            Case probe = new Case(id, w, pick(seed + 10, 1, 2), pick(seed + 11, 1, 5), pick(seed + 12, 1, 20),
                    pick(seed + 13, 1, 20), w.isGlobal() ? new int[4] : pads, pick(seed + 14, 0, 1) == 1, c, null);
            try {
                reference(probe, new float[probe.n() * probe.c() * probe.h() * probe.wd()]);
            } catch (OctetException e) {
                continue; // a window of padding only, or a kernel larger than the padded image
            }
            out.add(new Case(id, w, probe.n(), probe.c(), probe.h(), probe.wd(), probe.pads(), probe.ceil(), c,
                    PoolTemplate.build(w, c, "case" + id)));
        }
        return out;
    }

    private static int pick(long seed, int lo, int hi) {
        return ElementwiseTemplatesTest.pick(seed, lo, hi);
    }

    private static Tensor reference(Case c, float[] x) {
        Node node = c.node();
        Tensor xt = Tensor.ofFloats(new int[] {c.n(), c.c(), c.h(), c.wd()}, x);
        return OperatorRegistry.forNode(node).evaluate(new EvalContext(node, 12, List.of(xt))).get(0);
    }

    private static void check(NativeLibrary library, Case c) {
        int size = c.n() * c.c() * c.h() * c.wd();
        for (TestInputs.Kind kind : List.of(TestInputs.Kind.RANDOM, TestInputs.Kind.SMALL_INTEGER)) {
            float[] x = TestInputs.floats(kind, size, c.id() * 17L + kind.ordinal());
            Tensor expected = reference(c, x);
            float[] actual = run(library, c, x, expected.shape(), true);
            if (c.w().kind() == PoolWorkload.Kind.MAX || kind == TestInputs.Kind.SMALL_INTEGER) {
                assertThat(actual).as(kind.toString()).containsExactly(expected.floats());
            } else {
                float[] abs = new float[size];
                for (int i = 0; i < size; i++) {
                    abs[i] = Math.abs(x[i]);
                }
                int k = c.w().isGlobal() ? c.h() * c.wd() : c.w().kernelH() * c.w().kernelW();
                assertThat(FloatBound.check(actual, expected.floats(), reference(c, abs).floats(), k, 1)).isNull();
            }
        }
        float[] special = {Float.NaN, 0f, -0f, 1f, Float.NEGATIVE_INFINITY, -0f, 1f, Float.POSITIVE_INFINITY, 0f};
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = special[(i * 7 + c.id()) % special.length];
        }
        Tensor expected = reference(c, x);
        float[] actual = run(library, c, x, expected.shape(), false);
        for (int i = 0; i < actual.length; i++) {
            assertThat(Float.floatToIntBits(actual[i])).as("element %d with NaN, ±∞, ±0", i)
                    .isEqualTo(Float.floatToIntBits(expected.floats()[i]));
        }
    }

    private static float[] run(NativeLibrary library, Case c, float[] x, int[] outShape, boolean guarded) {
        int outSize = outShape[0] * outShape[1] * outShape[2] * outShape[3];
        GuardedOutput guard = new GuardedOutput(outSize);
        float[] plain = new float[outSize];
        long[] scalars = c.w().isGlobal() ? new long[] {(long) c.h() * c.wd()}
                : new long[] {c.h(), c.wd(), outShape[2], outShape[3], c.pads()[0], c.pads()[1], c.pads()[2],
                        c.pads()[3]};
        NativeKernel k = new NativeKernel(library, c.kernel().name(), 2, scalars.length);
        MemorySegment[] bufs = {MemorySegment.ofArray(x), guarded ? guard.segment() : MemorySegment.ofArray(plain)};
        long range = (long) c.n() * c.c();
        k.invoke(bufs, scalars, 0, range / 3);
        k.invoke(bufs, scalars, range / 3, range);
        if (!guarded) {
            return plain;
        }
        assertThat(guard.damage()).isNull();
        return guard.values();
    }
}
