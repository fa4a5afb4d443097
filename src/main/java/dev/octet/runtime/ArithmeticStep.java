package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;

/**
 * fp32 arithmetic the native elementwise chains do not cover (broadcasts along trailing axes, as in a layer norm's
 * [N, T, C] · [C]), in Java: Add, Sub, Mul, Div with numpy broadcasting, x² (Pow by the constant 2) and Sqrt. Each
 * is one fp32 operation, which gives the reference's value exactly (the reference computes in double and rounds
 * once; for +, −, ·, / and √ of floats that is the correctly rounded fp32 result). Other types run the reference.
 */
public final class ArithmeticStep implements Step {
    /** The operation; SQUARE and SQRT read only the first input. */
    public enum Op { ADD, SUB, MUL, DIV, SQUARE, SQRT }

    private final String a;
    private final String b;
    private final String output;
    private final Op op;
    private final Step reference;

    /** @param b the second operand, or null for SQUARE and SQRT */
    public ArithmeticStep(String a, String b, String output, Op op, Step reference) {
        this.a = a;
        this.b = b;
        this.output = output;
        this.op = op;
        this.reference = reference;
    }

    @Override
    public void run(ExecutionContext ctx) {
        Tensor x = ctx.get(a);
        Tensor y = b == null ? null : ctx.get(b);
        if (x.dtype() != DataType.FLOAT || (y != null && y.dtype() != DataType.FLOAT)) {
            ctx.runReference(reference, this);
            return;
        }
        if (y == null) {
            float[] s = x.floats();
            float[] d = ctx.allocate(s.length);
            for (int i = 0; i < s.length; i++) {
                d[i] = op == Op.SQUARE ? s[i] * s[i] : (float) Math.sqrt(s[i]);
            }
            ctx.put(output, Tensor.of(DataType.FLOAT, x.shape(), d));
            return;
        }
        int rank = Math.max(x.rank(), y.rank());
        int[] shape = new int[rank];
        long[] xs = strides(x.shape(), rank);
        long[] ys = strides(y.shape(), rank);
        for (int i = 0; i < rank; i++) {
            int dx = dim(x.shape(), rank, i);
            int dy = dim(y.shape(), rank, i);
            if (dx != dy && dx != 1 && dy != 1) {
                ctx.runReference(reference, this); // the reference names the error
                return;
            }
            shape[i] = dx == 1 ? dy : dx;
        }
        float[] out = ctx.allocate(Math.toIntExact(dev.octet.ir.Shapes.size(shape)));
        if (out.length > 0) {
            apply(x.floats(), xs, y.floats(), ys, out, shape);
        }
        ctx.put(output, Tensor.of(DataType.FLOAT, shape, out));
    }

    /** Walks the output in row-major order; the innermost axis in one loop with each operand's stride (0 or 1). */
    private void apply(float[] x, long[] xs, float[] y, long[] ys, float[] out, int[] shape) {
        int rank = shape.length;
        int inner = rank == 0 ? 1 : shape[rank - 1];
        int sx = rank == 0 ? 0 : (int) xs[rank - 1];
        int sy = rank == 0 ? 0 : (int) ys[rank - 1];
        int[] idx = new int[Math.max(rank - 1, 0)];
        int px = 0;
        int py = 0;
        for (int o = 0; o < out.length; o += inner) {
            for (int i = 0, ix = px, iy = py; i < inner; i++, ix += sx, iy += sy) {
                float u = x[ix];
                float v = y[iy];
                out[o + i] = switch (op) {
                    case ADD -> u + v;
                    case SUB -> u - v;
                    case MUL -> u * v;
                    default -> u / v;
                };
            }
            for (int a = rank - 2; a >= 0; a--) { // next outer index: the operands' offsets follow their strides
                px += (int) xs[a];
                py += (int) ys[a];
                if (++idx[a] < shape[a]) {
                    break;
                }
                px -= (int) (xs[a] * shape[a]);
                py -= (int) (ys[a] * shape[a]);
                idx[a] = 0;
            }
        }
    }

    private static int dim(int[] s, int rank, int axis) {
        int i = axis - (rank - s.length);
        return i < 0 ? 1 : s[i];
    }

    /** Row-major strides of s aligned right to {@code rank} axes; 0 on axes where s has size 1 or no axis. */
    private static long[] strides(int[] s, int rank) {
        long[] st = new long[rank];
        long acc = 1;
        for (int i = s.length - 1; i >= 0; i--) {
            st[rank - s.length + i] = s[i] == 1 ? 0 : acc;
            acc *= s[i];
        }
        return st;
    }

    @Override
    public String describe() {
        return "java " + op.name().charAt(0) + op.name().substring(1).toLowerCase();
    }
}
