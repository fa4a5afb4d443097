package dev.octet.tune;

import dev.octet.ir.Attribute;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.OperatorRegistry;
import dev.octet.kernel.Config;
import dev.octet.kernel.ConvTemplates;
import dev.octet.kernel.ConvWorkload;
import dev.octet.kernel.Implementations;
import dev.octet.kernel.IsaLevel;
import dev.octet.kernel.KnobSpace;
import dev.octet.kernel.WinogradTemplate;
import dev.octet.kernel.WinogradTransforms;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.verify.GuardedOutput;
import dev.octet.verify.TestInputs;
import dev.octet.verify.WinogradBound;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An fp32 convolution task (depthwise, conv-as-GEMM or Winograd): verified on random, extreme and small-integer
 * inputs against the reference Conv, within {@code FloatBound} (exact on small integers); a Winograd configuration
 * within {@link WinogradBound} for the transforms its m knob selects, on every family (F(4×4) is not exact on
 * small integers). The bound follows the template the configuration names, never what a candidate claims.
 */
public final class ConvProblem extends AbstractConvProblem<ConvWorkload> {
    private final Map<TestInputs.Kind, Family> families = new EnumMap<>(TestInputs.Kind.class);
    private final Map<String, float[]> winogradMagnitudes = new HashMap<>();

    /** Inputs of one family and the reference's result and magnitude on them. */
    private record Family(float[] x, float[] weights, float[] bias, float[] res, float[] exact, float[] magnitude) {
    }

    public ConvProblem(ConvWorkload w, ConvGeometry g) {
        super(w, g);
    }

    @Override
    public List<KnobSpace> spaces() {
        return Implementations.conv(w);
    }

    @Override
    public LoopKernel kernel(Config c, String name) {
        return ConvTemplates.build(w, c, name, IsaLevel.defaultLevel());
    }

    private static boolean winograd(Config c) {
        return c.template().equals(WinogradTemplate.NAME);
    }

    @Override
    public List<Run> runs(Config c) {
        List<Run> runs = new ArrayList<>();
        int outSize = g.batch() * w.outChannels() * oh() * ow();
        for (TestInputs.Kind kind : TestInputs.Kind.values()) {
            Family f = family(kind);
            List<Arg> args = new ArrayList<>();
            args.add(new Arg(Bytes.of(f.x()), false));
            args.add(new Arg(Bytes.of(ConvTemplates.packWeights(w, c, f.weights())), false));
            if (w.epilogue().hasBias()) {
                args.add(new Arg(Bytes.of(f.bias()), false));
            }
            if (w.epilogue().hasResidual()) {
                args.add(new Arg(Bytes.of(f.res()), false));
            }
            args.add(new Arg(Bytes.of(new GuardedOutput(outSize).segment()), true));
            long range = ConvTemplates.parallelRange(w, g.batch(), oh(), ow(), c);
            WinogradTransforms t = winograd(c) ? WinogradTemplate.transforms(c) : null;
            float[] winogradMagnitude = t == null ? null : winogradMagnitude(kind, f, t);
            long[] scalars = {g.h(), g.w(), oh(), ow(), g.pt(), g.pl()};
            runs.add(new Run(kind.name(), args, scalars, range, outputs -> {
                GuardedOutput out = new GuardedOutput(outSize);
                Bytes.into(outputs.get(0), out.segment());
                String damage = out.damage();
                if (damage != null) {
                    return damage;
                }
                return t != null ? WinogradBound.check(out.values(), f.exact(), winogradMagnitude,
                        WinogradBound.chainLength(t, w.inChannels()), w.epilogue().steps().size())
                        : FloatReference.check(kind.name(), out.values(), f.exact(), f.magnitude(), w.reduction(),
                                w.epilogue());
            }));
        }
        return runs;
    }

    private synchronized Family family(TestInputs.Kind kind) {
        return families.computeIfAbsent(kind, k -> {
            long seed = 31L * k.ordinal() + w.key().hashCode();
            int outSize = g.batch() * w.outChannels() * oh() * ow();
            float[] x = TestInputs.floats(k, g.batch() * w.inChannels() * g.h() * g.w(), seed + 1);
            float[] wt = TestInputs.floats(k, w.outChannels() * w.reduction(), seed + 2);
            float[] bias = TestInputs.floats(k, w.outChannels(), seed + 3);
            float[] res = TestInputs.floats(k, outSize, seed + 4);
            int plane = oh() * ow();
            java.util.function.IntUnaryOperator channel = i -> (i / plane) % w.outChannels();
            float[] exact = FloatReference.epilogue(conv(x, wt), w.epilogue(), bias, res, channel, false);
            float[] magnitude = FloatReference.epilogue(conv(FloatReference.abs(x), FloatReference.abs(wt)),
                    w.epilogue(), FloatReference.abs(bias), FloatReference.abs(res), channel, true);
            return new Family(x, wt, bias, res, exact, magnitude);
        });
    }

    /** {@link WinogradBound#magnitude} of a family for some transforms, carried through the epilogue's bounds. */
    private synchronized float[] winogradMagnitude(TestInputs.Kind kind, Family f, WinogradTransforms t) {
        return winogradMagnitudes.computeIfAbsent(kind + "/" + t.m(), k -> {
            double[] raw = WinogradBound.magnitude(t, f.x(), g.batch(), w.inChannels(), g.h(), g.w(), g.pt(),
                    g.pl(), f.weights(), w.outChannels(), oh(), ow());
            int plane = oh() * ow();
            return FloatReference.epilogue(raw, w.epilogue(), FloatReference.abs(f.bias()),
                    FloatReference.abs(f.res()), i -> (i / plane) % w.outChannels(), true);
        });
    }

    /** The reference Conv (no bias: the epilogue adds it). */
    private double[] conv(float[] x, float[] wt) {
        Node conv = Node.of("conv", "Conv", List.of("x", "w"), List.of("y"),
                Attribute.of("group", (long) w.groups()), Attribute.of("strides", (long) w.strideH(), w.strideW()),
                Attribute.of("dilations", (long) w.dilationH(), w.dilationW()),
                Attribute.of("pads", (long) g.pt(), g.pl(), g.pb(), g.pr()));
        Tensor xt = Tensor.ofFloats(new int[] {g.batch(), w.inChannels(), g.h(), g.w()}, x);
        Tensor wtt = Tensor.ofFloats(new int[] {w.outChannels(), w.inPerGroup(), w.kernelH(), w.kernelW()}, wt);
        return OperatorRegistry.forNode(conv).evaluate(new EvalContext(conv, 13, Arrays.asList(xt, wtt))).get(0)
                .toDoubles();
    }
}
