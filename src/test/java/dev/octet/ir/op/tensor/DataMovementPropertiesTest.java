package dev.octet.ir.op.tensor;

import static dev.octet.ir.op.tensor.OpHarness.ints;
import static dev.octet.ir.op.tensor.OpHarness.iota;
import static dev.octet.ir.op.tensor.OpHarness.op;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.Attribute;
import dev.octet.ir.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class DataMovementPropertiesTest {
    private static int[] randomShape(Random r) {
        int[] shape = new int[1 + r.nextInt(4)];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = 1 + r.nextInt(4);
        }
        return shape;
    }

    @Property(tries = 200)
    void transposingByAPermutationAndItsInverseGivesTheInputBack(@ForAll long seed) {
        Random r = new Random(seed);
        Tensor x = iota(randomShape(r));
        List<Integer> p = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            p.add(i);
        }
        Collections.shuffle(p, r);
        long[] perm = new long[p.size()];
        long[] inverse = new long[p.size()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = p.get(i);
            inverse[p.get(i)] = i;
        }
        Tensor there = op("Transpose", 13).attr(Attribute.of("perm", perm)).run1(x);
        Tensor back = op("Transpose", 13).attr(Attribute.of("perm", inverse)).run1(there);
        assertThat(back.sameAs(x)).isTrue();
    }

    @Property(tries = 200)
    void concatOfTheSplitPartsGivesTheInputBack(@ForAll long seed) {
        Random r = new Random(seed);
        Tensor x = iota(randomShape(r));
        int axis = r.nextInt(x.rank());
        List<Long> sizes = new ArrayList<>();
        for (int left = x.dim(axis); left > 0; ) {
            int s = 1 + r.nextInt(left);
            sizes.add((long) s);
            left -= s;
        }
        sizes.add(0L); // an empty part is allowed too
        long[] split = sizes.stream().mapToLong(Long::longValue).toArray();
        List<Tensor> parts = op("Split", 13).outputs(split.length).attr(Attribute.of("axis", (long) axis))
                .run(x, ints(split));
        Tensor joined = op("Concat", 13).attr(Attribute.of("axis", (long) axis)).run1(parts.toArray(Tensor[]::new));
        assertThat(joined.sameAs(x)).isTrue();
    }

    /** Slice of 0..n-1 against a plain walk: from the start clamped into the axis, in steps, until the end. */
    @Property(tries = 500)
    void sliceReadsWhatAPlainWalkReads(@ForAll @IntRange(min = 0, max = 6) int n,
            @ForAll @IntRange(min = -9, max = 9) int start, @ForAll @IntRange(min = -9, max = 9) int end,
            @ForAll @IntRange(min = -4, max = 4) int step) {
        if (step == 0) {
            return;
        }
        List<Float> expected = new ArrayList<>();
        int s = start < 0 ? start + n : start;
        int e = end < 0 ? end + n : end;
        // ONNX clamps a backward start into the axis too, where numpy would read nothing.
        s = step > 0 ? Math.max(s, 0) : Math.min(Math.max(s, 0), n - 1);
        for (int i = s; (step > 0 ? i < e : i > e) && i >= 0 && i < n; i += step) {
            expected.add((float) i);
        }
        Tensor y = op("Slice", 13).run1(iota(n), ints(start), ints(end), ints(0), ints(step));
        List<Float> actual = new ArrayList<>();
        for (float f : y.floats()) {
            actual.add(f);
        }
        assertThat(actual).isEqualTo(expected);
    }
}
