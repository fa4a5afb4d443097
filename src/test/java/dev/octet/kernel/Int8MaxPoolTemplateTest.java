package dev.octet.kernel;

import static dev.octet.kernel.Int8KernelHarness.firstMismatch;
import static dev.octet.kernel.Int8KernelHarness.pick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.OperatorRegistry;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.NativeKernel;
import dev.octet.runtime.NativeLibrary;
import dev.octet.verify.GuardedBytes;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The int8 max pool template equals the reference MaxPool on u8 and s8 tensors, bit for bit: random windows
 * (kernel 1..4, strides, dilations, asymmetric pads, ceil_mode), every knob value and both types, random values and
 * values at the type's corners, with the work range split in two uneven parts on two threads.
 */
class Int8MaxPoolTemplateTest {
    private static final int CASES = 24;
    private static final int BATCH = 2;

    record Case(int id, PoolWorkload w, boolean signed, int channels, int h, int wd, int pt, int pl, int pb, int pr,
            boolean ceil, Config c, LoopKernel kernel) {
    }

    private static NativeLibrary library;
    private static List<Case> cases;

    private static synchronized NativeLibrary library() {
        if (library == null) {
            cases = new ArrayList<>();
            Random seeds = new Random(20261124);
            for (int id = 0; cases.size() < CASES; id++) {
                long seed = seeds.nextLong();
                int kh = pick(seed, 1, 4);
                int kw = id % 3 == 2 ? pick(seed + 1, 1, 4) : kh;
                int s = pick(seed + 2, 1, 3);
                int d = id % 5 == 4 ? 2 : 1;
                int h = pick(seed + 3, 1, 17);
                int wd = pick(seed + 4, 1, 45);
                // Pads smaller than the (dilated) window, so that every window touches the input.
                int pt = pick(seed + 5, 0, kh - 1);
                int pb = pick(seed + 6, 0, kh - 1);
                int pl = pick(seed + 7, 0, kw - 1);
                int pr = pick(seed + 8, 0, kw - 1);
                if (h + pt + pb < (kh - 1) * d + 1 || wd + pl + pr < (kw - 1) * d + 1) {
                    continue;
                }
                PoolWorkload w = new PoolWorkload(PoolWorkload.Kind.MAX, kh, kw, s, s, d, d, false);
                List<Config> all = Int8MaxPoolTemplate.knobs(w).all();
                Config c = all.get(id % all.size());
                boolean signed = id % 4 >= 2;
                cases.add(new Case(id, w, signed, pick(seed + 9, 1, 5), h, wd, pt, pl, pb, pr, id % 7 == 3, c,
                        Int8MaxPoolTemplate.build(w, signed, c, "qmp" + id)));
            }
            library = Int8KernelHarness.compile(cases.stream().map(Case::kernel).toList());
        }
        return library;
    }

    @TestFactory
    Stream<DynamicTest> kernelsMatchMaxPoolBitForBit() {
        NativeLibrary lib = library();
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.id() + " " + Int8MaxPoolTemplate.key(c.w(),
                c.signed()) + " " + c.c() + " " + c.h() + "x" + c.wd() + (c.ceil() ? " ceil" : ""), () -> check(lib, c)));
    }

    @Test
    void theCasesReachBothTypesEveryKnobValueAndCeilMode() {
        library();
        assertThat(cases).anyMatch(Case::signed).anyMatch(c -> !c.signed()).anyMatch(Case::ceil)
                .anyMatch(c -> c.c().get("inner") == 1).anyMatch(c -> c.c().get("inner") == 0)
                .anyMatch(c -> c.c().get("rows") == 1).anyMatch(c -> c.c().get("rows") == 0)
                .anyMatch(c -> c.w().dilationW() > 1).anyMatch(c -> c.pt() + c.pl() > 0);
    }

    @Test
    void onlyMaxPoolIsValid() {
        PoolWorkload avg = new PoolWorkload(PoolWorkload.Kind.AVERAGE, 2, 2, 2, 2, 1, 1, false);
        assertThatThrownBy(() -> Int8MaxPoolTemplate.build(avg, false, Int8MaxPoolTemplate.knobs(avg).defaults(),
                "x")).isInstanceOf(IllegalArgumentException.class);
    }

    private static void check(NativeLibrary lib, Case c) throws InterruptedException {
        DataType type = c.signed() ? DataType.INT8 : DataType.UINT8;
        int lo = c.signed() ? -128 : 0;
        for (boolean corners : new boolean[] {false, true}) {
            Random r = new Random(c.id() * 17L + (corners ? 1 : 0));
            byte[] x = new byte[BATCH * c.channels() * c.h() * c.wd()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (byte) (lo + (corners ? new int[] {0, 255, 1, 254}[r.nextInt(4)] : r.nextInt(256)));
            }
            Node node = Node.of("mp", "MaxPool", List.of("x"), List.of("y"),
                    Attribute.of("kernel_shape", (long) c.w().kernelH(), c.w().kernelW()),
                    Attribute.of("strides", (long) c.w().strideH(), c.w().strideW()),
                    Attribute.of("dilations", (long) c.w().dilationH(), c.w().dilationW()),
                    Attribute.of("pads", (long) c.pt(), c.pl(), c.pb(), c.pr()),
                    Attribute.of("ceil_mode", c.ceil() ? 1L : 0L));
            Tensor y = OperatorRegistry.forNode(node).evaluate(new EvalContext(node, 12, List.of(Tensor.of(type,
                    new int[] {BATCH, c.channels(), c.h(), c.wd()}, Int8KernelHarness.widen(x, c.signed())))))
                    .get(0);
            int oh = y.shape()[2];
            int ow = y.shape()[3];
            for (byte fill : GuardedBytes.FILLS) {
                GuardedBytes out = new GuardedBytes(y.longs().length, fill);
                MemorySegment[] bufs = {MemorySegment.ofArray(x), out.segment()};
                long[] scalars = {c.h(), c.wd(), oh, ow, c.pt(), c.pl()};
                Int8KernelHarness.runSplit(new NativeKernel(lib, c.kernel().name(), 2, scalars.length), bufs,
                        scalars, (long) BATCH * c.channels());
                assertThat(out.damage()).isNull();
                assertThat(firstMismatch(out.values(), y.longs(), c.signed())).isNull();
            }
        }
    }
}
