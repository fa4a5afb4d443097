package dev.octet.tune;

import dev.octet.kernel.ConvShape;

/**
 * What the fp32 and int8 convolution problems share: a workload measured at one geometry whose kernel must fit
 * the padded input, the output plane size, and the key and geometry text. Only their templates, inputs and judges
 * differ, so those stay in the subclasses.
 */
abstract class AbstractConvProblem<W extends Record & ConvShape> implements Problem {
    protected final W w;
    protected final ConvGeometry g;

    AbstractConvProblem(W w, ConvGeometry g) {
        this.w = w;
        this.g = g;
        if (oh() < 1 || ow() < 1) {
            throw new IllegalArgumentException("the kernel does not fit the input " + g);
        }
    }

    protected final int oh() {
        return g.oh(w.kernelH(), w.strideH(), w.dilationH());
    }

    protected final int ow() {
        return g.ow(w.kernelW(), w.strideW(), w.dilationW());
    }

    @Override
    public final String key() {
        return w.key();
    }

    @Override
    public final W workload() {
        return w;
    }

    @Override
    public final String geometry() {
        return g.describe(w.inChannels());
    }
}
