package dev.octet.tune;

/**
 * The run-time sizes of one convolution a task is measured at (kernels are specialised on channels and kernel
 * size only; one representative input size per workload is timed and verified).
 */
public record ConvGeometry(int batch, int h, int w, int pt, int pl, int pb, int pr) {
    public ConvGeometry {
        if (batch < 1 || h < 1 || w < 1 || pt < 0 || pl < 0 || pb < 0 || pr < 0) {
            throw new IllegalArgumentException("bad convolution geometry " + batch + "x" + h + "x" + w);
        }
    }

    public int oh(int kernelH, int strideH, int dilationH) {
        return (h + pt + pb - ((kernelH - 1) * dilationH + 1)) / strideH + 1;
    }

    public int ow(int kernelW, int strideW, int dilationW) {
        return (w + pl + pr - ((kernelW - 1) * dilationW + 1)) / strideW + 1;
    }

    String describe(int channels) {
        return batch + "x" + channels + "x" + h + "x" + w + " pads " + pt + "," + pl + "," + pb + "," + pr;
    }
}
