package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;

/**
 * fp32 DepthToSpace of a 4-D tensor as a copy: output (n, c, h·b + i, w·b + j) reads input channel c·b² + i·b + j
 * (mode CRD) or (i·b + j)·C + c (mode DCR) at (h, w). Rows are written whole, each input row read once per block
 * column.
 */
public final class DepthToSpaceStep implements Step {
    private final String input;
    private final String output;
    private final int block;
    private final boolean crd;
    private final Step reference;

    public DepthToSpaceStep(String input, String output, int block, boolean crd, Step reference) {
        this.input = input;
        this.output = output;
        this.block = block;
        this.crd = crd;
        this.reference = reference;
    }

    @Override
    public void run(ExecutionContext ctx) {
        Tensor x = ctx.get(input);
        int b = block;
        if (x.dtype() != DataType.FLOAT || x.rank() != 4 || b < 1 || x.dim(1) % (b * b) != 0) {
            ctx.runReference(reference, this);
            return;
        }
        int n = x.dim(0);
        int c = x.dim(1) / (b * b);
        int h = x.dim(2);
        int w = x.dim(3);
        int plane = h * w;
        float[] src = x.floats();
        int[] shape = {n, c, h * b, w * b};
        float[] dst = ctx.allocate(x.size());
        int d = 0;
        for (int in = 0; in < n; in++) {
            for (int ic = 0; ic < c; ic++) {
                for (int y = 0; y < h; y++) {
                    for (int i = 0; i < b; i++) {
                        for (int j = 0; j < b; j++) {
                            int channel = crd ? (ic * b + i) * b + j : (i * b + j) * c + ic;
                            int s = ((in * c * b * b + channel) * plane) + y * w;
                            for (int xw = 0, o = d + j; xw < w; xw++, o += b) {
                                dst[o] = src[s + xw];
                            }
                        }
                        d += w * b;
                    }
                }
            }
        }
        ctx.put(output, Tensor.of(DataType.FLOAT, shape, dst));
    }

    @Override
    public String describe() {
        return "java DepthToSpace";
    }
}
