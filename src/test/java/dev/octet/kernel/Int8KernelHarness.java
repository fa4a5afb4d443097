package dev.octet.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.codegen.c.CPrinter;
import dev.octet.codegen.c.Headers;
import dev.octet.codegen.c.LibraryCache;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.NativeKernel;
import dev.octet.runtime.NativeLibrary;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;

/** What the int8 kernel tests share: one compiled library per test class, a split two-thread run, comparisons. */
final class Int8KernelHarness {
    private Int8KernelHarness() {
    }

    /** Compiles the kernels into one library (through the test cache), or skips the test without a C compiler. */
    static NativeLibrary compile(List<LoopKernel> kernels) {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        String source = CPrinter.translationUnit(Headers.standard(), kernels);
        return NativeLibrary.load(new LibraryCache(Path.of("target", "test-native-cache"), cc)
                .get(source, Headers.standard()).library());
    }

    /** A value in [lo, hi] drawn by jqwik's integer generator from a fixed seed. */
    static int pick(long seed, int lo, int hi) {
        return Arbitraries.integers().between(lo, hi).generator(1).next(new Random(seed)).value();
    }

    /**
     * Runs a kernel over [0, range) as two threads would: two uneven parts of the work range, at the same time on
     * two threads.
     */
    static void runSplit(NativeKernel k, MemorySegment[] bufs, long[] scalars, long range)
            throws InterruptedException {
        long mid = range / 3;
        Throwable[] failure = new Throwable[1];
        Thread first = Thread.ofPlatform().start(() -> {
            try {
                k.invoke(bufs, scalars, 0, mid);
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        k.invoke(bufs, scalars, mid, range);
        first.join();
        assertThat(failure[0]).isNull();
    }

    /** Null where every byte (read as s8 or u8) equals the expected value, else the first difference. */
    static String firstMismatch(byte[] actual, long[] expected, boolean signed) {
        for (int i = 0; i < expected.length; i++) {
            long a = signed ? actual[i] : actual[i] & 0xff;
            if (a != expected[i]) {
                return "element " + i + " is " + a + ", reference " + expected[i];
            }
        }
        return null;
    }

    /** The reference's outputs clamped to a fused ReLU/Clip range [lo, hi], in place. */
    static long[] clamp(long[] y, int lo, int hi) {
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.clamp(y[i], lo, hi);
        }
        return y;
    }

    static long[] widen(byte[] q, boolean signed) {
        long[] v = new long[q.length];
        for (int i = 0; i < q.length; i++) {
            v[i] = signed ? q[i] : q[i] & 0xff;
        }
        return v;
    }
}
