package dev.octet.tune;

import dev.octet.ir.op.quant.QuantMath;
import dev.octet.kernel.Config;
import dev.octet.kernel.Implementations;
import dev.octet.kernel.Int8ConvTemplate;
import dev.octet.kernel.Int8ConvWorkload;
import dev.octet.kernel.Int8DepthwiseTemplate;
import dev.octet.kernel.Int8DepthwiseWorkload;
import dev.octet.kernel.Int8DirectConvTemplate;
import dev.octet.kernel.Int8WinogradTemplate;
import dev.octet.kernel.KnobSpace;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.verify.GuardedBytes;
import dev.octet.verify.Int8ConvWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * An int8 convolution task, judged bit for bit against the reference QLinearConv: random values and the corners of
 * the domain (x ∈ {0, 255, zp_x}, w ∈ {−128, −127, 127, ±64}, pairs at the vpmaddubsw limit where the workload's
 * key says they fit), each run with two output fills that differ in every bit.
 */
final class Int8ConvProblem extends AbstractConvProblem<Int8ConvWorkload> {
    private final List<Family> families = new ArrayList<>();

    private record Family(String name, byte[] x, byte[] weights, int[] bias, float[] multiplier, int zx, int zy,
            Int8ConvReference.Add add, long[] expected) {
    }

    public Int8ConvProblem(Int8ConvWorkload w, ConvGeometry g) {
        super(w, g);
    }

    @Override
    public List<KnobSpace> spaces() {
        return Implementations.int8Conv(w);
    }

    @Override
    public LoopKernel kernel(Config c, String name) {
        if (direct(c)) {
            return Int8DirectConvTemplate.build(w, c, name);
        }
        if (winograd(c)) {
            return Int8WinogradTemplate.build(w, c, name);
        }
        return depthwise(c) ? Int8DepthwiseTemplate.build(Int8DepthwiseWorkload.of(w), c, name)
                : Int8ConvTemplate.build(w, c, name);
    }

    private static boolean direct(Config c) {
        return c.template().equals(Int8DirectConvTemplate.NAME);
    }

    private static boolean depthwise(Config c) {
        return c.template().equals(Int8DepthwiseTemplate.NAME);
    }

    /** Whether a configuration is one of the Winograd template's (it shares the GEMM template's ABI). */
    private static boolean winograd(Config c) {
        return c.template().equals(Int8WinogradTemplate.NAME);
    }

    @Override
    public List<Run> runs(Config c) {
        List<Run> runs = new ArrayList<>();
        boolean blocked = direct(c); // NCHW4c activations in and out, converted here and in the judge
        int outSize = g.batch() * (blocked ? 4 * Int8DirectConvTemplate.quads(w.outChannels()) : w.outChannels())
                * oh() * ow();
        int lo = w.signedOutput() ? -128 : 0;
        int hi = w.signedOutput() ? 127 : 255;
        for (Family f : families()) {
            // Both templates take the same buffers (in, w, bias, mult, out) and scalars; only the packing differs.
            byte[] packedWeights;
            int[] bias;
            float[] mult;
            long range;
            if (blocked) {
                Int8DirectConvTemplate.Params p = Int8DirectConvTemplate.pack(w, c, f.weights(), f.bias(),
                        f.multiplier(), f.zx());
                packedWeights = Bytes.of(p.weights());
                bias = p.bias();
                mult = p.multiplier();
                range = Int8DirectConvTemplate.parallelRange(g.batch(), oh(), ow(), c);
            } else if (depthwise(c)) {
                Int8DepthwiseWorkload dw = Int8DepthwiseWorkload.of(w);
                Int8DepthwiseTemplate.Params p = Int8DepthwiseTemplate.pack(dw, f.weights(), f.bias(),
                        f.multiplier(), f.zx());
                packedWeights = Bytes.of(p.weights());
                bias = p.bias();
                mult = p.multiplier();
                range = Int8DepthwiseTemplate.parallelRange(g.batch(), dw, oh(), c);
            } else if (winograd(c)) {
                Int8ConvTemplate.Params p = Int8WinogradTemplate.pack(w, c, f.weights(), f.bias(), f.multiplier(),
                        f.zx());
                packedWeights = Bytes.of(p.weights());
                bias = p.bias();
                mult = p.multiplier();
                range = Int8WinogradTemplate.parallelRange(g.batch(), oh(), ow(), c);
            } else {
                Int8ConvTemplate.Params p = Int8ConvTemplate.pack(w, c, f.weights(), f.bias(), f.multiplier(),
                        f.zx());
                packedWeights = Bytes.of(p.weights());
                bias = p.bias();
                mult = p.multiplier();
                range = Int8ConvTemplate.parallelRange(w, g.batch(), oh(), ow(), c);
            }
            long[] scalars = {g.h(), g.w(), oh(), ow(), g.pt(), g.pl(), f.zx(), f.zy(), lo, hi};
            Int8ConvReference.Add a = f.add();
            if (a != null) { // the convolution requantized to u8, then the add to the output type
                scalars = Int8ConvTemplate.residualScalars(new long[] {g.h(), g.w(), oh(), ow(), g.pt(), g.pl(), f.zx(),
                        f.zy(), 0, 255}, a.za(), a.zr(), a.zc(), lo, hi);
            }
            for (byte fill : GuardedBytes.FILLS) {
                byte[] x = blocked ? Int8DirectConvTemplate.toNchw4c(f.x(), g.batch(), w.inChannels(), g.h(), g.w(),
                        (byte) 0) : f.x();
                List<Arg> args = new ArrayList<>(List.of(new Arg(x, false), new Arg(packedWeights, false),
                        new Arg(Bytes.of(bias), false), new Arg(Bytes.of(mult), false),
                        new Arg(Bytes.of(new GuardedBytes(outSize, fill).segment()), true)));
                if (a != null) {
                    args.add(new Arg(a.residual(), false));
                    args.add(new Arg(Bytes.of(Int8ConvTemplate.residualMultipliers(a.aScale(), a.rScale(),
                            a.cScale())), false));
                }
                runs.add(new Run(f.name(), args, scalars, range,
                        outputs -> judge(outputs.get(0), outSize, fill, blocked, f.expected())));
            }
        }
        return runs;
    }

    private String judge(byte[] bytes, int outSize, byte fill, boolean blocked, long[] expected) {
        GuardedBytes out = new GuardedBytes(outSize, fill);
        Bytes.into(bytes, out.segment());
        if (out.damage() != null) {
            return out.damage();
        }
        byte[] v = blocked ? Int8DirectConvTemplate.fromNchw4c(out.values(), g.batch(), w.outChannels(), oh(), ow())
                : out.values();
        for (int i = 0; i < v.length; i++) {
            long actual = w.signedOutput() ? v[i] : v[i] & 0xff;
            if (actual != expected[i]) {
                return "output " + i + " is " + actual + ", reference " + expected[i] + " (int8 must be bit-exact)";
            }
        }
        return null;
    }

    private synchronized List<Family> families() {
        if (families.isEmpty()) {
            families.add(family("RANDOM", false));
            families.add(family("EXTREME", true));
        }
        return families;
    }

    private Family family(String name, boolean corners) {
        Random r = new Random(w.key().hashCode() * 31L + (corners ? 1 : 0));
        int zx = corners ? 255 : 1 + r.nextInt(254);
        int zy = w.signedOutput() && !w.residual() ? r.nextInt(40) - 20 : 100 + r.nextInt(40);
        byte[] x = new byte[g.batch() * w.inChannels() * g.h() * g.w()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (byte) (corners ? new int[] {0, 255, zx}[r.nextInt(3)] : r.nextInt(256));
        }
        byte[] weights = Int8ConvWeights.random(r, w, corners);
        float xScale = 0.02f;
        float[] wScale = new float[w.outChannels()];
        float[] mult = new float[w.outChannels()];
        int[] bias = new int[w.outChannels()];
        int k = w.inPerGroup() * w.kernelH() * w.kernelW();
        // Outputs spread over the whole u8/s8 range: y_scale about the spread of the accumulator over 256 steps.
        float yScale = (float) (xScale / 128 * Math.sqrt(k) * 128 * 128 / 64);
        for (int m = 0; m < wScale.length; m++) {
            wScale[m] = (0.5f + r.nextFloat()) / 128;
            mult[m] = QuantMath.multiplier(xScale, wScale[m], yScale);
            bias[m] = r.nextInt(1 << 16) - (1 << 15);
        }
        if (wScale.length > 2) {
            wScale[1] = 0f; // a channel of zero scale: its output is zp_y
            mult[1] = QuantMath.multiplier(xScale, 0f, yScale);
        }
        if (!w.residual()) {
            long[] expected = Int8ConvReference.qlinearConv(w, g, x, weights, bias, xScale, zx, wScale, yScale, zy);
            return new Family(name, x, weights, bias, mult, zx, zy, null, expected);
        }
        // the residual stage: u8 residual bytes (corners 0, 255, zr), the add's multipliers 1/2 and 1/4 (sums that
        // end in .5 and round to even) or random ones
        int zr = corners ? 255 : r.nextInt(256);
        byte[] res = new byte[g.batch() * w.outChannels() * oh() * ow()];
        for (int i = 0; i < res.length; i++) {
            res[i] = (byte) (corners ? new int[] {0, 255, zr}[r.nextInt(3)] : r.nextInt(256));
        }
        float cScale = corners ? 0x1p-4f : 0.02f + r.nextFloat() / 20;
        Int8ConvReference.Add add = new Int8ConvReference.Add(res, corners ? 0x1p-5f : yScale, zy,
                corners ? 0x1p-6f : 0.01f + r.nextFloat() / 20, zr, cScale, w.signedOutput() ? -3 : 120);
        long[] expected = Int8ConvReference.qlinearConvAdd(w, g, x, weights, bias, xScale, zx, wScale, yScale, zy,
                add);
        return new Family(name, x, weights, bias, mult, zx, zy, add, expected);
    }
}
