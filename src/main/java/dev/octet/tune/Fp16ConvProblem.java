package dev.octet.tune;

import dev.octet.ir.Attribute;
import dev.octet.ir.Node;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.nn.Convolution;
import dev.octet.kernel.Config;
import dev.octet.kernel.Fp16ConvTemplate;
import dev.octet.kernel.Fp16ConvWorkload;
import dev.octet.kernel.KnobSpace;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.verify.Fp16Bound;
import dev.octet.verify.GuardedHalfs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * An fp16 convolution task (fp16 storage, fp32 accumulation), judged within {@link Fp16Bound} against the one
 * reference convolution ({@link Convolution}, in double) on four input families, each a different way to lose
 * precision: {@code POSITIVE} values in [0, 1) (sums without cancellation, large enough that an fp16 accumulator
 * rounds visibly at every addition: the family timed), {@code SIGNED} values in (−1, 1) (cancellation),
 * {@code TINY} signed values below 2^-9 (sums in fp16's subnormal range) and {@code EXTREME} values ±8 (sums near
 * 10^4, still inside fp16's range). Every input is an fp16 value, so the reference sees exactly what the kernel does.
 */
final class Fp16ConvProblem extends AbstractConvProblem<Fp16ConvWorkload> {
    /** The input families, the timed one first. */
    public static final List<String> FAMILIES = List.of("POSITIVE", "SIGNED", "TINY", "EXTREME");

    private final Map<String, Family> families = new LinkedHashMap<>();

    /** Inputs of one family (fp16 bits: NHWC, HWIO) and the reference's result and Σ|x·w| on them (NHWC). */
    private record Family(short[] x, short[] weights, double[] exact, double[] magnitude) {
    }

    public Fp16ConvProblem(Fp16ConvWorkload w, ConvGeometry g) {
        super(w, g);
    }

    @Override
    public List<KnobSpace> spaces() {
        return List.of(Fp16ConvTemplate.knobs(w));
    }

    @Override
    public LoopKernel kernel(Config c, String name) {
        return Fp16ConvTemplate.build(w, c, name);
    }

    @Override
    public List<Run> runs(Config c) {
        List<Run> runs = new ArrayList<>();
        int outSize = outSize();
        long[] scalars = {g.h(), g.w(), oh(), ow(), g.pt(), g.pl()};
        for (String name : FAMILIES) {
            Family f = family(name);
            List<Arg> args = List.of(new Arg(Bytes.of(f.x()), false), new Arg(Bytes.of(f.weights()), false),
                    new Arg(Bytes.of(new GuardedHalfs(outSize).segment()), true));
            runs.add(new Run(name, args, scalars, Fp16ConvTemplate.parallelRange(g.batch(), oh()), outputs -> {
                GuardedHalfs out = read(outputs.get(0));
                String damage = out.damage();
                return damage != null ? damage
                        : Fp16Bound.check(out.values(), f.exact(), f.magnitude(), w.reduction());
            }));
        }
        return runs;
    }

    /**
     * The largest error / bound of an output buffer that came back from a run of a family (≤ 1 where the run
     * verifies): how close a correct configuration comes to the bound, for tests and notes.
     */
    public double worstRatio(String family, byte[] output) {
        Family f = family(family);
        return Fp16Bound.worstRatio(read(output).values(), f.exact(), f.magnitude(), w.reduction());
    }

    private GuardedHalfs read(byte[] bytes) {
        GuardedHalfs out = new GuardedHalfs(outSize());
        Bytes.into(bytes, out.segment());
        return out;
    }

    private int outSize() {
        return g.batch() * oh() * ow() * w.outChannels();
    }

    private synchronized Family family(String name) {
        return families.computeIfAbsent(name, k -> {
            Random r = new Random(31L * FAMILIES.indexOf(k) + w.key().hashCode());
            short[] x = halfs(k, g.batch() * g.h() * g.w() * w.inChannels(), r);
            short[] wt = halfs(k, w.kernelH() * w.kernelW() * w.inChannels() * w.outChannels(), r);
            double[] exact = conv(x, wt, false);
            double[] magnitude = k.equals("POSITIVE") ? exact : conv(x, wt, true);
            return new Family(x, wt, exact, magnitude);
        });
    }

    /** Random fp16 values of a family, as bits. */
    static short[] halfs(String family, int n, Random r) {
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            float v = switch (family) {
                case "POSITIVE" -> r.nextFloat();
                case "SIGNED" -> 2 * r.nextFloat() - 1;
                case "TINY" -> (2 * r.nextFloat() - 1) * 0x1p-9f;
                case "EXTREME" -> r.nextBoolean() ? 8f : -8f;
                default -> throw new IllegalArgumentException("unknown input family " + family);
            };
            out[i] = Float.floatToFloat16(v);
        }
        return out;
    }

    /**
     * The reference convolution in double of fp16 inputs (NHWC, HWIO), transposed to its NCHW/OIHW and back to
     * NHWC; with {@code abs}, of their absolute values (Σ|x·w| per output).
     */
    private double[] conv(short[] x, short[] wt, boolean abs) {
        int cin = w.inChannels();
        int cout = w.outChannels();
        int plane = g.h() * g.w();
        double[] xn = new double[x.length];
        for (int b = 0; b < g.batch(); b++) {
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < cin; c++) {
                    xn[(b * cin + c) * plane + p] = value(x[(b * plane + p) * cin + c], abs);
                }
            }
        }
        int khw = w.kernelH() * w.kernelW();
        double[] wn = new double[wt.length];
        for (int k = 0; k < khw; k++) {
            for (int c = 0; c < cin; c++) {
                for (int o = 0; o < cout; o++) {
                    wn[(o * cin + c) * khw + k] = value(wt[(k * cin + c) * cout + o], abs);
                }
            }
        }
        Node node = Node.of("conv", "Conv", List.of("x", "w"), List.of("y"),
                Attribute.of("strides", (long) w.strideH(), w.strideW()),
                Attribute.of("dilations", (long) w.dilationH(), w.dilationW()),
                Attribute.of("pads", (long) g.pt(), g.pl(), g.pb(), g.pr()));
        double[] y = Convolution.compute(new EvalContext(node, 13, List.of()),
                new int[] {g.batch(), cin, g.h(), g.w()}, xn, new int[] {cout, cin, w.kernelH(), w.kernelW()}, wn,
                null).values();
        int outPlane = oh() * ow();
        double[] nhwc = new double[y.length];
        for (int b = 0; b < g.batch(); b++) {
            for (int o = 0; o < cout; o++) {
                for (int p = 0; p < outPlane; p++) {
                    nhwc[(b * outPlane + p) * cout + o] = y[(b * cout + o) * outPlane + p];
                }
            }
        }
        return nhwc;
    }

    private static double value(short half, boolean abs) {
        double v = Float.float16ToFloat(half);
        return abs ? Math.abs(v) : v;
    }
}
