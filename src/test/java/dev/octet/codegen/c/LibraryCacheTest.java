package dev.octet.codegen.c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.ir.OctetException;
import dev.octet.kernel.IsaLevel;
import dev.octet.runtime.NativeLibrary;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryCacheTest {
    private static final String SOURCE = """
            #include "octet_runtime.h"
            OCTET_EXPORT void scale(float *x, int64_t n, float s) { for (int64_t i = 0; i < n; i++) x[i] *= s; }
            """;

    @TempDir
    Path cacheDir;

    @Test
    void compilesOnceLoadsAndCallsWithJavaArrays() throws Throwable {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        LibraryCache cache = new LibraryCache(cacheDir, cc);
        LibraryCache.Entry first = cache.get(SOURCE, Headers.standard());
        LibraryCache.Entry second = cache.get(SOURCE, Headers.standard());
        assertThat(first.compiled()).isTrue();
        assertThat(second.compiled()).isFalse();
        assertThat(second.library()).isEqualTo(first.library());
        try (NativeLibrary lib = NativeLibrary.load(first.library())) {
            MethodHandle scale = lib.function("scale", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_FLOAT));
            float[] x = {1, 2, 3};
            scale.invokeExact(MemorySegment.ofArray(x), 3L, 2f);
            assertThat(x).containsExactly(2, 4, 6);
        }
    }

    @Test
    void minAndMaxKeepANaNFirstOperandAsTheReferenceReluAndClipDo() throws Throwable {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        String source = """
                #include "octet_runtime.h"
                OCTET_EXPORT void relu6(float *x, int64_t n) {
                    for (int64_t i = 0; i < n; i++) x[i] = OCTET_MIN(OCTET_MAX(x[i], 0.0f), 6.0f);
                }
                """;
        try (NativeLibrary lib = NativeLibrary.load(new LibraryCache(cacheDir, cc).get(source, Headers.standard())
                .library())) {
            MethodHandle relu6 = lib.function("relu6", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG));
            float[] x = {Float.NaN, -1, 3, 7, Float.NEGATIVE_INFINITY};
            relu6.invokeExact(MemorySegment.ofArray(x), (long) x.length);
            assertThat(x).containsExactly(Float.NaN, 0, 3, 6, 0);
        }
    }

    @Test
    void reportsTheCompilersFirstErrorLines() {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        LibraryCache cache = new LibraryCache(cacheDir, cc);
        assertThatThrownBy(() -> cache.get("int f( { return 0; }", Headers.standard()))
                .isInstanceOf(OctetException.class).hasMessageContaining("the C compiler failed")
                .hasMessageContaining("error");
    }

    @Test
    void theLevelIsPartOfTheKeyAndItsFlagsReachTheCompiler() throws Throwable {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        String source = """
                #include "octet_runtime.h"
                #ifdef __AVX512F__
                OCTET_EXPORT int level(void) { return 4; }
                #else
                OCTET_EXPORT int level(void) { return 3; }
                #endif
                """;
        LibraryCache v3 = new LibraryCache(cacheDir, cc, IsaLevel.X86_64_V3);
        LibraryCache v4 = new LibraryCache(cacheDir, cc, IsaLevel.X86_64_V4_VNNI);
        assertThat(v3.get(source, Headers.standard()).library())
                .isNotEqualTo(v4.get(source, Headers.standard()).library());
        try (NativeLibrary lib = v3.load(source, Headers.standard())) {
            assertThat((int) lib.function("level", FunctionDescriptor.of(ValueLayout.JAVA_INT)).invokeExact())
                    .isEqualTo(3);
        }
        if (IsaLevel.X86_64_V4_VNNI.runsOn(dev.octet.runtime.CpuFeatures.current())) {
            try (NativeLibrary lib = v4.load(source, Headers.standard())) {
                assertThat((int) lib.function("level", FunctionDescriptor.of(ValueLayout.JAVA_INT)).invokeExact())
                        .isEqualTo(4);
            }
        }
        assertThat(CCompiler.flags(IsaLevel.X86_64_V4_VNNI)).contains("-march=x86-64-v4", "-mavx512vnni",
                "-ffp-contract=off", "-fwrapv").doesNotContain("-march=native", "-Ofast", "-ffast-math");
        assertThat(CCompiler.flags(IsaLevel.X86_64_V3)).contains("-march=x86-64-v3", "-ffp-contract=off");
    }

    @Test
    void aLibraryOfALevelThisCpuLacksIsRefusedBeforeItIsLoaded() {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        String pretend = System.getProperty("octet.cpu.features");
        System.setProperty("octet.cpu.features", "sse4_2,avx,avx2,fma,f16c,bmi2");
        try {
            LibraryCache cache = new LibraryCache(cacheDir, cc, IsaLevel.X86_64_V4_VNNI);
            assertThatThrownBy(() -> cache.load(SOURCE, Headers.standard())).isInstanceOf(OctetException.class)
                    .hasMessageContaining("built for x86-64-v4+vnni").hasMessageContaining("avx512f");
            Path lib = cache.get(SOURCE, Headers.standard()).library(); // building for another machine is fine
            assertThatThrownBy(() -> NativeLibrary.load(lib, IsaLevel.X86_64_V4_VNNI))
                    .isInstanceOf(OctetException.class).hasMessageContaining("which this CPU cannot run");
            new LibraryCache(cacheDir, cc, IsaLevel.X86_64_V3).load(SOURCE, Headers.standard()).close();
        } finally {
            if (pretend == null) {
                System.clearProperty("octet.cpu.features");
            } else {
                System.setProperty("octet.cpu.features", pretend);
            }
        }
    }

    @Test
    void aLibraryThatCannotBeLoadedIsAClearError() {
        assertThatThrownBy(() -> NativeLibrary.load(cacheDir.resolve("missing.so")))
                .isInstanceOf(OctetException.class).hasMessageContaining("cannot load the native library");
    }
}
