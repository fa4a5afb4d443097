package dev.octet.runtime.jvm;

import dev.octet.kernel.Config;
import dev.octet.kernel.ConvWorkload;
import dev.octet.runtime.Kernel;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.util.function.BiFunction;

/**
 * The kernels of the JVM backend, and the one place that picks their implementation (as Lucene's
 * {@code VectorizationProvider} does): the Java Vector API where the {@code jdk.incubator.vector} module is
 * readable, else the scalar twins, with a single warning naming the flag to add. Both implementations take the
 * native templates' arguments and packed weights, so a {@link dev.octet.runtime.ConvStep} runs any of them.
 */
public final class JvmKernels {
    static final String MODULE = "jdk.incubator.vector";
    static final String FLAG = "--add-modules " + MODULE;

    /** The kernels of one implementation. */
    record Factory(String description, BiFunction<ConvWorkload, Config, Kernel> convGemm,
            BiFunction<ConvWorkload, Config, Kernel> depthwise) {
    }

    static final Factory SCALAR = new Factory("scalar Java", ScalarConvGemmKernel::new, ScalarDepthwiseKernel::new);

    private JvmKernels() {
    }

    /** Chosen on first use, so that the warning is printed once, and only by programs that use the JVM backend. */
    private static final class Chosen {
        static final Factory FACTORY = select(ModuleLayer.boot().findModule(MODULE).isPresent(), System.err);
    }

    /** {@link dev.octet.kernel.ConvGemmTemplate}'s kernel for this workload and configuration. */
    public static Kernel convGemm(ConvWorkload w, Config c) {
        return Chosen.FACTORY.convGemm().apply(w, c);
    }

    /** {@link dev.octet.kernel.DepthwiseTemplate}'s kernel for this depthwise workload and configuration. */
    public static Kernel depthwise(ConvWorkload w, Config c) {
        return Chosen.FACTORY.depthwise().apply(w, c);
    }

    /** What runs the JVM kernels here, for reports: "Vector API, 8 lanes" or "scalar Java". */
    public static String implementation() {
        return Chosen.FACTORY.description();
    }

    /**
     * The Vector API kernels if the module is readable and they load, else the scalar ones and one line on
     * {@code warnings} saying why and what to do.
     */
    static Factory select(boolean moduleReadable, PrintStream warnings) {
        if (!moduleReadable) {
            warnings.println("octet: warning: the Java Vector API is not enabled, so the JVM kernels run as scalar "
                    + "Java, several times slower; add " + FLAG + " to the java command line");
            return SCALAR;
        }
        String why;
        try {
            return (Factory) Class.forName(JvmKernels.class.getPackageName() + ".VectorKernels")
                    .getDeclaredMethod("factory").invoke(null);
        } catch (InvocationTargetException e) {
            why = e.getCause() instanceof UnsupportedOperationException u
                    ? "the Java Vector API is of no use here: " + u.getMessage()
                    : "the Java Vector API did not load (" + e.getCause() + ")";
        } catch (ReflectiveOperationException | LinkageError e) {
            why = "the Java Vector API did not load (" + e + ")";
        }
        warnings.println("octet: warning: " + why + "; the JVM kernels run as scalar Java");
        return SCALAR;
    }
}
