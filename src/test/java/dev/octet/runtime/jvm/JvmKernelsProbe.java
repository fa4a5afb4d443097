package dev.octet.runtime.jvm;

import dev.octet.kernel.Config;
import dev.octet.kernel.ConvGemmTemplate;
import dev.octet.kernel.ConvWorkload;
import dev.octet.kernel.DepthwiseTemplate;
import dev.octet.kernel.Epilogue;
import dev.octet.kernel.IsaLevel;
import dev.octet.runtime.Kernel;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A program for {@link JvmKernelsTest}'s child JVM: asks {@link JvmKernels} for kernels three times, runs one, and
 * prints what it got: the implementation, the kernels' names, and the output of a 1×1 conv of 2 · [1, 2, 3].
 */
public final class JvmKernelsProbe {
    private JvmKernelsProbe() {
    }

    public static void main(String[] args) {
        ConvWorkload pointwise = new ConvWorkload(1, 1, 1, 1, 1, 1, 1, 1, 1, true, Epilogue.none());
        ConvWorkload dw = new ConvWorkload(4, 4, 4, 3, 3, 1, 1, 1, 1, false, Epilogue.none());
        Config gemm = ConvGemmTemplate.knobs(pointwise, IsaLevel.X86_64_V3).defaults(); // fixed: the same on every CPU
        Kernel a = JvmKernels.convGemm(pointwise, gemm);
        Kernel b = JvmKernels.depthwise(dw, DepthwiseTemplate.knobs(dw).defaults());
        Kernel c = JvmKernels.convGemm(pointwise, gemm);
        float[] out = new float[3];
        c.invoke(new MemorySegment[] {MemorySegment.ofArray(new float[] {1, 2, 3}),
            MemorySegment.ofArray(ConvGemmTemplate.packWeights(pointwise, new float[] {2})),
            MemorySegment.ofArray(out)}, new long[] {1, 3, 1, 3, 0, 0}, 0, 1);
        System.out.println(JvmKernels.implementation());
        System.out.println(List.of(a.name(), b.name(), c.name()));
        System.out.println(out[0] + " " + out[1] + " " + out[2]);
    }
}
