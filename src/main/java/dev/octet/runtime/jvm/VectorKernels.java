package dev.octet.runtime.jvm;

import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API side of the JVM backend: the one class {@link JvmKernels} loads by name, and only where the
 * incubator module is readable, so that no class touching {@code jdk.incubator.vector} is linked without it.
 *
 * <p>The kernels use the JVM's preferred float species ({@code L} lanes: 8 with AVX2, 16 with AVX-512, 4 with
 * NEON) and a micro-kernel tile of MR × 2L, which keeps 12 accumulators in vector registers on every one of them.
 */
final class VectorKernels {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private VectorKernels() {
    }

    /**
     * The factory of the Vector API kernels.
     *
     * @throws UnsupportedOperationException saying why, where the Vector API would be no faster than scalar code
     */
    static JvmKernels.Factory factory() {
        if (LANES < 4) {
            throw new UnsupportedOperationException("the JVM's preferred float vector has " + LANES + " lanes");
        }
        return new JvmKernels.Factory("Vector API, " + LANES + " lanes", JvmConvGemmKernel::new,
                JvmDepthwiseKernel::new);
    }
}
