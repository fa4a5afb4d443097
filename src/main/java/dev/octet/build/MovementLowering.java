package dev.octet.build;

import dev.octet.ir.Attributes;
import dev.octet.ir.DataType;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.runtime.ConcatStep;
import dev.octet.runtime.DepthToSpaceStep;
import dev.octet.runtime.ExecutionContext;
import dev.octet.runtime.OperatorStep;
import dev.octet.runtime.PadStep;
import dev.octet.runtime.RunArguments;
import dev.octet.runtime.SliceStep;
import dev.octet.runtime.SplitStep;
import dev.octet.runtime.Step;
import dev.octet.runtime.TransposeStep;
import dev.octet.runtime.ViewStep;

/**
 * Lowers data movement to Java steps (memory-bound: a native kernel would buy little): Reshape, Flatten, Squeeze,
 * Unsqueeze and Identity as views of the same values, and Concat (fp32 or 8-bit), fp32 Split, Transpose, Slice,
 * DepthToSpace and
 * constant Pad as block copies. Every step keeps the node's reference step for runs its fast path does not cover.
 */
final class MovementLowering {
    private MovementLowering() {
    }

    /** The lowered step, or null where the node is not data movement these steps cover. */
    static ModelCompiler.Lowered lower(GraphFacts facts, Node n) {
        if (!n.domain().isEmpty() || n.inputs().isEmpty() || n.input(0).isEmpty() || n.outputs().isEmpty()) {
            return null;
        }
        int opset = facts.graph().opset(n.domain());
        Step ref = new OperatorStep(n, opset);
        String in = n.input(0);
        String out = n.outputs().get(0);
        Attributes a = n.attributes();
        Step step = switch (n.opType()) {
            case "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity" -> new ViewStep(in, out, ref, n.opType());
            case "Concat" -> (float32(facts, out) || eightBit(facts, out)) && a.has("axis") ? new ConcatStep(n.inputs(), out,
                    a.getInt("axis", 0), ref) : null;
            case "Split" -> float32(facts, in) ? new SplitStep(in, n.outputs(), a.getInt("axis", 0), ref) : null;
            case "Transpose" -> float32(facts, in) ? transpose(n, ref) : null;
            case "Slice" -> float32(facts, in) ? slice(n, opset, ref) : null;
            case "DepthToSpace" -> float32(facts, in) && a.has("blocksize")
                    ? new DepthToSpaceStep(in, out, (int) a.getInt("blocksize", 0),
                            a.getString("mode", "DCR").equals("CRD"), ref) : null;
            case "Pad" -> float32(facts, in) && a.getString("mode", "constant").equals("constant")
                    ? pad(n, opset, ref) : null;
            default -> null;
        };
        return step == null ? null : new ModelCompiler.Lowered(lib -> step);
    }

    private static boolean float32(GraphFacts facts, String value) {
        TensorType t = facts.type(value);
        return t != null && t.dtype() == DataType.FLOAT;
    }

    private static boolean eightBit(GraphFacts facts, String value) {
        TensorType t = facts.type(value);
        return t != null && (t.dtype() == DataType.UINT8 || t.dtype() == DataType.INT8);
    }

    private static Step transpose(Node n, Step ref) {
        long[] perm = n.attributes().getInts("perm");
        if (perm == null) {
            return new TransposeStep(n.input(0), n.outputs().get(0), null, ref);
        }
        int[] p = new int[perm.length];
        boolean[] seen = new boolean[perm.length];
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] < 0 || perm[i] >= perm.length || seen[(int) perm[i]]) {
                return null; // the reference names the error
            }
            p[i] = (int) perm[i];
            seen[p[i]] = true;
        }
        return new TransposeStep(n.input(0), n.outputs().get(0), p, ref);
    }

    private static Step slice(Node n, int opset, Step ref) {
        RunArguments<SliceStep.Args> args;
        if (opset < 10) {
            Attributes a = n.attributes();
            long[] starts = a.getInts("starts");
            long[] ends = a.getInts("ends");
            if (starts == null || ends == null) {
                return null;
            }
            SliceStep.Args fixed = new SliceStep.Args(starts, ends, a.getInts("axes"), null);
            args = ctx -> fixed;
        } else {
            if (n.inputs().size() < 3) {
                return null;
            }
            args = ctx -> new SliceStep.Args(ints(ctx, n, 1), ints(ctx, n, 2), ints(ctx, n, 3), ints(ctx, n, 4));
        }
        return new SliceStep(n.input(0), n.outputs().get(0), args, ref);
    }

    private static Step pad(Node n, int opset, Step ref) {
        RunArguments<PadStep.Args> args;
        if (opset < 11) {
            long[] pads = n.attributes().getInts("pads");
            if (pads == null) {
                return null;
            }
            PadStep.Args fixed = new PadStep.Args(pads, n.attributes().getFloat("value", 0f));
            args = ctx -> fixed;
        } else {
            args = ctx -> {
                long[] pads = ints(ctx, n, 1);
                Tensor v = n.hasInput(2) ? ctx.get(n.input(2)) : null;
                if (pads == null || (v != null && (v.dtype() != DataType.FLOAT || v.size() != 1))) {
                    return null;
                }
                return new PadStep.Args(pads, v == null ? 0f : v.floats()[0]);
            };
        }
        return new PadStep(n.input(0), n.outputs().get(0), args, ref);
    }

    /** An integer input's values, or null where the input is absent or not an integer tensor. */
    private static long[] ints(ExecutionContext ctx, Node n, int i) {
        if (!n.hasInput(i)) {
            return null;
        }
        Tensor t = ctx.get(n.input(i));
        return t.dtype().isInteger() ? t.toLongs() : null;
    }
}
