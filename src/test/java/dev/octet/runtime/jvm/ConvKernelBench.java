package dev.octet.runtime.jvm;

import dev.octet.ir.op.nn.EpilogueStep;
import dev.octet.codegen.c.CCompiler;
import dev.octet.codegen.c.CPrinter;
import dev.octet.codegen.c.Headers;
import dev.octet.codegen.c.LibraryCache;
import dev.octet.kernel.Config;
import dev.octet.kernel.ConvGemmTemplate;
import dev.octet.kernel.ConvWorkload;
import dev.octet.kernel.DepthwiseTemplate;
import dev.octet.kernel.Epilogue;
import dev.octet.kernel.KnobSpace;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.Kernel;
import dev.octet.runtime.NativeKernel;
import dev.octet.runtime.NativeLibrary;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Single-thread GFLOP/s of the JVM conv kernels (Vector API and scalar) and, where there is a C compiler, of the
 * native kernels, on ResNet-50 layers at batch 1 with each template's default knobs. Not a test: run it by hand,
 * on a quiet machine, after {@code mvn test-compile}:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *     -cp target/test-classes:target/classes:$(cat target/octet.classpath) dev.octet.runtime.jvm.ConvKernelBench \
 *     [seconds [implementations [layer]]]
 * </pre>
 *
 * Each kernel runs for about the given seconds (default 2) after a warm-up of a third of that; the best and the
 * median run are printed. {@code implementations} is a comma-separated subset of {@code vector,scalar,native}
 * (default all); {@code layer} keeps the layers whose name contains it.
 */
public final class ConvKernelBench {
    record Shape(String name, ConvWorkload w, int h, int pad) {
        int out(int size) {
            return (size + 2 * pad - w.kernelH()) / w.strideH() + 1;
        }

        double flops() {
            return 2.0 * w.outChannels() * w.reduction() * out(h) * out(h);
        }
    }

    private ConvKernelBench() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        List<String> which = List.of((args.length > 1 ? args[1] : "vector,scalar,native").split(","));
        String only = args.length > 2 ? args[2] : "";
        Epilogue biasRelu = new Epilogue(List.of(EpilogueStep.BIAS, EpilogueStep.RELU));
        List<Shape> shapes = List.of(
                new Shape("res2 3x3 64>64 56x56", conv(64, 64, 3, 1, biasRelu), 56, 1),
                new Shape("res3 3x3 128>128 28x28", conv(128, 128, 3, 1, biasRelu), 28, 1),
                new Shape("res4 3x3 256>256 14x14", conv(256, 256, 3, 1, biasRelu), 14, 1),
                new Shape("res5 3x3 512>512 7x7", conv(512, 512, 3, 1, biasRelu), 7, 1),
                new Shape("res2 1x1 256>64 56x56", conv(256, 64, 1, 1, biasRelu), 56, 0),
                new Shape("res4 1x1 1024>256 14x14", conv(1024, 256, 1, 1, biasRelu), 14, 0),
                new Shape("stem 7x7/2 3>64 224x224", conv(3, 64, 7, 2, biasRelu), 224, 3),
                new Shape("dw 3x3 32 112x112", new ConvWorkload(32, 32, 32, 3, 3, 1, 1, 1, 1, false, biasRelu), 112,
                        1));
        NativeLibrary library = which.contains("native") ? nativeLibrary(shapes) : null;
        JvmKernels.Factory vector = VectorKernels.factory();
        System.out.printf("%-26s %10s %22s %22s %22s%n", "layer", "MFLOP", "vector (" + VectorKernels.LANES
                + " lanes)", "scalar", "native");
        for (int i = 0; i < shapes.size(); i++) {
            Shape s = shapes.get(i);
            if (!s.name().contains(only)) {
                continue;
            }
            Config c = config(s.w());
            String nat = library == null ? "-" : time(s, new NativeKernel(library, "b" + i, 4, 6), c, seconds);
            String vec = which.contains("vector") ? time(s, make(vector, s.w(), c), c, seconds) : "-";
            String sca = which.contains("scalar") ? time(s, make(JvmKernels.SCALAR, s.w(), c), c, seconds) : "-";
            System.out.printf("%-26s %10.1f %22s %22s %22s%n", s.name(), s.flops() / 1e6, vec, sca, nat);
        }
    }

    private static ConvWorkload conv(int cin, int cout, int k, int stride, Epilogue e) {
        return new ConvWorkload(cin, cout, 1, k, k, stride, stride, 1, 1, k == 1 && stride == 1, e);
    }

    private static Config config(ConvWorkload w) {
        KnobSpace space = w.isDepthwise() ? DepthwiseTemplate.knobs(w) : ConvGemmTemplate.knobs(w);
        return space.defaults();
    }

    private static Kernel make(JvmKernels.Factory f, ConvWorkload w, Config c) {
        return w.isDepthwise() ? f.depthwise().apply(w, c) : f.convGemm().apply(w, c);
    }

    private static NativeLibrary nativeLibrary(List<Shape> shapes) {
        CCompiler cc = CCompiler.find();
        if (cc == null) {
            return null;
        }
        List<LoopKernel> kernels = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            ConvWorkload w = shapes.get(i).w();
            kernels.add(w.isDepthwise() ? DepthwiseTemplate.build(w, config(w), "b" + i)
                    : ConvGemmTemplate.build(w, config(w), "b" + i));
        }
        String source = CPrinter.translationUnit(Headers.standard(), kernels);
        return NativeLibrary.load(new LibraryCache(Path.of("target", "test-native-cache"), cc)
                .get(source, Headers.standard()).library());
    }

    /** "best / median GFLOP/s" of the kernel over the whole layer on this thread. */
    private static String time(Shape s, Kernel k, Config c, double seconds) {
        ConvWorkload w = s.w();
        int oh = s.out(s.h());
        Random r = new Random(1);
        float[] x = new float[w.inChannels() * s.h() * s.h()];
        float[] wt = new float[w.outChannels() * w.reduction()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < wt.length; i++) {
            wt[i] = (float) r.nextGaussian();
        }
        float[] packed = w.isDepthwise() ? DepthwiseTemplate.packWeights(w, wt) : ConvGemmTemplate.packWeights(w, wt);
        MemorySegment[] bufs = {MemorySegment.ofArray(x), MemorySegment.ofArray(packed),
            MemorySegment.ofArray(new float[w.outChannels()]), MemorySegment.ofArray(new float[w.outChannels() * oh * oh])};
        long[] scalars = {s.h(), s.h(), oh, oh, s.pad(), s.pad()};
        long range = w.isDepthwise() ? DepthwiseTemplate.parallelRange(1, w)
                : ConvGemmTemplate.parallelRange(w, 1, oh, oh, c);
        List<Double> runs = new ArrayList<>();
        long warmUntil = System.nanoTime() + (long) (seconds / 3 * 1e9);
        while (System.nanoTime() < warmUntil) {
            k.invoke(bufs, scalars, 0, range);
        }
        long until = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < until || runs.size() < 3) {
            long t0 = System.nanoTime();
            k.invoke(bufs, scalars, 0, range);
            runs.add(s.flops() / (System.nanoTime() - t0));
        }
        double[] g = runs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format("%.1f / %.1f", g[g.length - 1], g[g.length / 2]);
    }
}
