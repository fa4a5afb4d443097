package dev.octet.ir.op.tensor;

import dev.octet.ir.Dim;
import dev.octet.ir.Shapes;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import dev.octet.ir.op.Operator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Concat (opsets 4, 11, 13): joins tensors along an axis; the other dimensions must agree. */
final class Concat implements Operator {
    @Override
    public String opType() {
        return "Concat";
    }

    @Override
    public List<TensorType> inferTypes(InferenceContext ctx) {
        List<List<Dim>> shapes = new ArrayList<>();
        TensorType first = ctx.inputType(0);
        for (int i = 0; i < ctx.inputCount(); i++) {
            TensorType t = ctx.inputType(i);
            if (t.dtype() != first.dtype()) {
                throw ctx.fail("input " + i + " is " + t + ", input 0 is " + first);
            }
            shapes.add(t.dims());
        }
        return List.of(new TensorType(first.dtype(), outputDims(ctx, shapes)));
    }

    @Override
    public List<Tensor> evaluate(EvalContext ctx) {
        List<Tensor> ins = new ArrayList<>();
        List<List<Dim>> shapes = new ArrayList<>();
        for (int i = 0; i < ctx.inputCount(); i++) {
            ins.add(ctx.input(i));
            shapes.add(Dims.of(ctx.input(i).shape()));
        }
        int[] shape = Dims.concrete(outputDims(ctx, shapes), "Concat");
        int axis = Shapes.axis(ctx.attrs().requireInt("axis"), shape.length, "axis");
        int outer = Shapes.size(Arrays.copyOf(shape, axis));
        Object out = Elements.newArray(ins.get(0).dtype(), Shapes.size(shape));
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            for (Tensor t : ins) {
                int block = t.size() / Math.max(outer, 1);
                System.arraycopy(t.data(), o * block, out, pos, block);
                pos += block;
            }
        }
        return List.of(Tensor.of(ins.get(0).dtype(), shape, out));
    }

    private static List<Dim> outputDims(OpContext ctx, List<List<Dim>> shapes) {
        int rank = shapes.get(0).size();
        int axis = ShapeArgs.axes(ctx, new long[] {ctx.attrs().requireInt("axis")}, rank, "axis")[0];
        List<Dim> out = new ArrayList<>(shapes.get(0));
        long total = 0;
        boolean known = true;
        for (int i = 0; i < shapes.size(); i++) {
            List<Dim> s = shapes.get(i);
            if (s.size() != rank) {
                throw ctx.fail("input " + i + " has shape " + s + ", input 0 has " + shapes.get(0));
            }
            for (int d = 0; d < rank; d++) {
                if (d == axis) {
                    known &= s.get(d).isKnown();
                    total += s.get(d).value();
                } else {
                    out.set(d, agree(ctx, out.get(d), s.get(d), d, shapes));
                }
            }
        }
        out.set(axis, known ? Dim.of(total) : Dim.unknown());
        return out;
    }

    private static Dim agree(OpContext ctx, Dim a, Dim b, int axis, List<List<Dim>> shapes) {
        if (a.isKnown() && b.isKnown() && a.value() != b.value()) {
            throw ctx.fail("inputs " + shapes + " differ in dimension " + axis + ", which is not the concat axis");
        }
        return a.isKnown() ? a : b.isKnown() ? b : a.equals(b) ? a : Dim.unknown();
    }
}
