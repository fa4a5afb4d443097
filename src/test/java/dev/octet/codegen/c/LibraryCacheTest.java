package dev.octet.codegen.c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.ir.OctetException;
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
    void aLibraryThatCannotBeLoadedIsAClearError() {
        assertThatThrownBy(() -> NativeLibrary.load(cacheDir.resolve("missing.so")))
                .isInstanceOf(OctetException.class).hasMessageContaining("cannot load the native library");
    }
}
