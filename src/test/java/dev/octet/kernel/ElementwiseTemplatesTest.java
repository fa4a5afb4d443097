package dev.octet.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.codegen.c.CPrinter;
import dev.octet.codegen.c.Headers;
import dev.octet.codegen.c.LibraryCache;
import dev.octet.kernel.ElementwiseChain.Arithmetic;
import dev.octet.kernel.ElementwiseChain.Operand;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.NativeKernel;
import dev.octet.runtime.NativeLibrary;
import dev.octet.verify.GuardedOutput;
import dev.octet.verify.TestInputs;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The elementwise template over random chains (one to four operations, every operand broadcast), random NCHW shapes,
 * plane sizes and knob configurations, against the reference operators applied one after another: bit-exact where
 * the chain has only + − × ÷, ReLU and Clip (each is one IEEE fp32 operation or a selection, so it is the
 * reference's rounded-once result), within a bound propagated through the chain where it has Sigmoid, HardSigmoid
 * or HardSwish ({@link ChainBound}). Outputs are NaN-filled and canary-guarded; each case runs as two uneven work
 * ranges. The cases are drawn with jqwik's generators from a fixed seed and compiled into one library.
 */
class ElementwiseTemplatesTest {
    private static final int CASES = 64;

    record Case(int id, ElementwiseChain chain, int[] shape, int plane, List<int[]> operandShapes, Config config,
            LoopKernel kernel) {
    }

    @TestFactory
    Stream<DynamicTest> chainsMatchTheReference() {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        List<Case> cases = cases();
        String source = CPrinter.translationUnit(Headers.standard(), cases.stream().map(Case::kernel).toList());
        Path lib = new LibraryCache(Path.of("target", "test-native-cache"), cc).get(source, Headers.standard())
                .library();
        NativeLibrary library = NativeLibrary.load(lib);
        return Stream.concat(
                cases.stream().map(c -> DynamicTest.dynamicTest(c.id() + " " + c.chain().key() + " " + c.config()
                        + " " + java.util.Arrays.toString(c.shape()) + " P=" + c.plane(), () -> check(library, c))),
                Stream.of(DynamicTest.dynamicTest("NaN, infinities and signed zeros as the reference",
                        () -> specialValues(library, cases))));
    }

    private static List<Case> cases() {
        Random seeds = new Random(20261122);
        List<Case> out = new ArrayList<>();
        for (int id = 0; out.size() < CASES; id++) {
            long seed = seeds.nextLong();
            int[] shape = {pick(seed, 1, 2), pick(seed + 1, 1, 12), pick(seed + 2, 1, 13), pick(seed + 3, 1, 13)};
            int length = pick(seed + 4, 1, 4);
            List<ElementwiseChain.Op> ops = new ArrayList<>();
            List<int[]> operandShapes = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                long s = seed * 31 + i * 7L;
                int kind = pick(s, 0, 9);
                if (kind < 4) {
                    Arithmetic a = Arithmetic.values()[kind];
                    Operand o = Operand.values()[pick(s + 1, 0, 3)];
                    // A reversed division only first, where its divisor (the input) can be kept away from zero.
                    boolean reversed = pick(s + 2, 0, 1) == 1 && (a != Arithmetic.DIV || i == 0);
                    ops.add(new ElementwiseChain.Binary(a, o, reversed));
                    operandShapes.add(operandShape(o, shape, pick(s + 3, 0, 1) == 1));
                } else {
                    ops.add(switch (kind) {
                        case 4 -> new ElementwiseChain.Relu();
                        case 5 -> new ElementwiseChain.Clip(pick(s + 4, 0, 2) == 0 ? Float.NEGATIVE_INFINITY
                                : pick(s + 5, -3, 1) - 0.5f, pick(s + 6, 0, 2) == 0 ? Float.POSITIVE_INFINITY
                                : pick(s + 7, 1, 6) + 0.25f);
                        case 6 -> new ElementwiseChain.Sigmoid();
                        case 7 -> new ElementwiseChain.HardSigmoid(pick(s + 8, 0, 1) == 0 ? 0.2f : 1 / 6f,
                                pick(s + 9, 0, 1) == 0 ? 0.5f : 0.3f);
                        default -> new ElementwiseChain.HardSwish();
                    });
                }
            }
            ElementwiseChain chain = new ElementwiseChain(ops);
            int hw = shape[2] * shape[3];
            int plane = chain.needsPlanes() ? hw : switch (pick(seed + 5, 0, 2)) {
                case 0 -> hw;
                case 1 -> pick(seed + 6, 1, 37);
                default -> 1 << 14;
            };
            List<Config> all = ElementwiseTemplate.knobs(chain).all();
            Config c = all.get(pick(seed + 7, 0, all.size() - 1));
            out.add(new Case(id, chain, shape, plane, operandShapes, c,
                    ElementwiseTemplate.build(chain, c, "case" + id)));
        }
        return out;
    }

    /** An ONNX shape of each broadcast kind (two spellings each for channel and scalar operands). */
    private static int[] operandShape(Operand o, int[] shape, boolean alternative) {
        return switch (o) {
            case FULL -> shape.clone();
            case CHANNEL -> alternative ? new int[] {shape[1], 1, 1} : new int[] {1, shape[1], 1, 1};
            case PLANE -> new int[] {shape[0], shape[1], 1, 1};
            case SCALAR -> alternative ? new int[] {} : new int[] {1, 1, 1, 1};
        };
    }

    /** A value in [lo, hi] drawn by jqwik's integer generator from a fixed seed. */
    static int pick(long seed, int lo, int hi) {
        return Arbitraries.integers().between(lo, hi).generator(1).next(new Random(seed)).value();
    }

    private static void check(NativeLibrary library, Case c) {
        for (TestInputs.Kind kind : List.of(TestInputs.Kind.RANDOM, TestInputs.Kind.SMALL_INTEGER)) {
            ChainReference ref = ChainReference.draw(c.chain(), c.shape(), c.operandShapes(), kind, c.id());
            float[] actual = run(library, c, ref.input(), ref.operands());
            float[] expected = ref.result();
            if (ref.exact()) {
                assertThat(actual).as(kind + ": + − × ÷, ReLU and Clip round once, as the reference")
                        .containsExactly(expected);
            } else {
                assertThat(ChainBound.check(c.chain(), ref, actual)).as(kind.toString()).isNull();
            }
        }
    }

    static float[] run(NativeLibrary library, Case c, float[] x, List<float[]> operands) {
        LoopKernel k = c.kernel();
        NativeKernel kernel = new NativeKernel(library, k.name(), k.buffers().size(), 3);
        GuardedOutput out = new GuardedOutput(x.length);
        List<MemorySegment> bufs = new ArrayList<>(List.of(MemorySegment.ofArray(x)));
        operands.forEach(o -> bufs.add(MemorySegment.ofArray(o)));
        bufs.add(out.segment());
        long[] scalars = {c.plane(), c.shape()[1], x.length};
        long range = ElementwiseTemplate.parallelRange(x.length, c.plane(), c.config());
        long mid = range / 3;
        MemorySegment[] b = bufs.toArray(MemorySegment[]::new);
        kernel.invoke(b, scalars, 0, mid);
        kernel.invoke(b, scalars, mid, range);
        assertThat(out.damage()).isNull();
        return out.values();
    }

    /**
     * Every single-operation unary case again on NaN, ±∞ and ±0, where every operation is exact: the same bits as the
     * reference (any NaN for NaN), so NaN propagates and −0 becomes +0 where Java's Math.max makes it so.
     */
    private static void specialValues(NativeLibrary library, List<Case> cases) {
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f};
        int checked = 0;
        for (Case c : cases) {
            if (c.chain().ops().size() != 1 || c.chain().ops().get(0) instanceof ElementwiseChain.Binary) {
                continue;
            }
            float[] x = new float[c.shape()[0] * c.shape()[1] * c.shape()[2] * c.shape()[3]];
            for (int i = 0; i < x.length; i++) {
                x[i] = special[i % special.length];
            }
            float[] expected = ChainReference.evaluate(c.chain(), c.shape(), x, List.of(), c.operandShapes());
            LoopKernel k = c.kernel();
            NativeKernel kernel = new NativeKernel(library, k.name(), k.buffers().size(), 3);
            float[] actual = new float[x.length];
            kernel.invoke(new MemorySegment[] {MemorySegment.ofArray(x), MemorySegment.ofArray(actual)},
                    new long[] {c.plane(), c.shape()[1], x.length}, 0,
                    ElementwiseTemplate.parallelRange(x.length, c.plane(), c.config()));
            for (int i = 0; i < x.length; i++) {
                assertThat(Float.floatToIntBits(actual[i])).as(c.chain().key() + " of " + x[i])
                        .isEqualTo(Float.floatToIntBits(expected[i]));
            }
            checked++;
        }
        assertThat(checked).as("single-operation cases drawn").isGreaterThan(3);
    }
}
