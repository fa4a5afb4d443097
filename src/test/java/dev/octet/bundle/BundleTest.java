package dev.octet.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.CompileOptions;
import dev.octet.Octet;
import dev.octet.codegen.c.CCompiler;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.kernel.IsaLevel;
import dev.octet.runtime.CompiledModel;
import dev.octet.runtime.CpuFeatures;
import dev.octet.runtime.ReferenceInterpreter;
import dev.octet.testing.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle of a real fp32 model (BlazeFace) reloads without a C compiler into a model with the same steps and
 * bit-identical outputs; a tampered, truncated or other-version bundle is refused with one clear line before its
 * library is loaded; a CPU without the bundle's ISA level runs it on the JVM kernels, with a notice.
 */
class BundleTest {
    private static final CompileOptions OPTIONS = CompileOptions.defaults().withThreads(2)
            .withCacheDir(Path.of("target", "test-native-cache"));

    @TempDir
    static Path shared;
    private static Model model;
    private static Path bundle;
    private static Map<String, Tensor> input;
    private static Map<String, Tensor> expected;
    private static List<String> steps;

    @TempDir
    Path dir;

    @BeforeAll
    static void compileAndSave() {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        model = Octet.load(TestData.blazeface("face_detection_front_128x128_barracuda.onnx"));
        input = Map.of(model.graph().inputs().getFirst().name(), BundleTestInputs.random(new int[] {1, 128, 128, 3}, 7));
        bundle = shared.resolve("blazeface.octet");
        try (CompiledModel compiled = Octet.compile(model, OPTIONS)) {
            expected = compiled.run(input);
            steps = compiled.stepDescriptions();
            Octet.save(compiled, bundle);
        }
    }

    @Test
    void reloadsWithoutStartingACompilerIntoTheSameStepsAndBitIdenticalOutputs() throws IOException {
        Path ran = dir.resolve("compiler-was-started");
        Path fakeCompiler = dir.resolve("cc");
        Files.writeString(fakeCompiler, "#!/bin/sh\ntouch '" + ran + "'\nexit 1\n");
        Files.setPosixFilePermissions(fakeCompiler, PosixFilePermissions.fromString("rwx------"));
        String before = System.getProperty(CCompiler.PROPERTY);
        System.setProperty(CCompiler.PROPERTY, fakeCompiler.toString());
        try {
            try (CompiledModel loaded = Octet.loadCompiled(bundle, OPTIONS.withCacheDir(dir.resolve("fresh")))) {
                assertThat(loaded.stepDescriptions()).isEqualTo(steps).anyMatch(d -> d.startsWith("conv_gemm"));
                assertThat(loaded.nativeLibrary()).isPresent();
                Map<String, Tensor> out = loaded.run(input);
                expected.forEach((name, t) -> assertThat(out.get(name).sameAs(t)).as(name).isTrue());
            }
            assertThat(ran).as("a compiler process was started").doesNotExist();
            CCompiler.find(); // the check can fail: finding the compiler runs it, and the marker appears
            assertThat(ran).exists();
        } finally {
            restore(CCompiler.PROPERTY, before);
        }
    }

    @Test
    void theManifestNamesVersionLevelFeaturesAndHashesEveryEntry() {
        BundleManifest m = Bundle.open(bundle).manifest();
        assertThat(m.octetVersion()).isEqualTo(Octet.version());
        assertThat(m.backend()).isEqualTo("NATIVE");
        assertThat(m.isaLevel()).isEqualTo(OPTIONS.isaLevel().id());
        assertThat(m.requiredCpuFeatures()).containsAll(OPTIONS.isaLevel().requiredFeatures());
        assertThat(m.entries()).containsOnlyKeys("model.onnx", "kernels.so", "configs.json");
        assertThat(m.entries().values()).allMatch(h -> h.matches("[0-9a-f]{64}"));
        assertThat(m.weights()).isEqualTo(BundleManifest.WEIGHTS_REPACKED);
    }

    @Test
    void aLibraryOfOtherCodeThanThisOctetGeneratesIsRefused() throws IOException {
        Path other = dir.resolve("other-code.octet");
        String key = Bundle.open(bundle).manifest().sourceKey();
        BundleFiles.rewrite(bundle, other, (name, bytes) -> !name.equals("manifest.json") ? bytes
                : new String(bytes, StandardCharsets.UTF_8).replace(key, "0".repeat(64))
                        .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> Octet.loadCompiled(other, OPTIONS.withCacheDir(dir.resolve("cache"))))
                .isInstanceOf(OctetException.class)
                .hasMessage(other + ": this Octet generates other code for the bundle's graph than the code its "
                        + "library was compiled from (source hash " + key.substring(0, 16) + ", stored "
                        + "0000000000000000); compile the model again");
        assertThat(dir.resolve("cache")).as("the library was not extracted").doesNotExist();
    }

    @Test
    void aJvmBackendBundleHasNoLibraryAndReloadsBitIdentical() {
        Path jvm = dir.resolve("jvm.octet");
        try (CompiledModel compiled = Octet.compile(model, OPTIONS.withBackend(CompileOptions.Backend.JVM))) {
            Octet.save(compiled, model, jvm);
            BundleManifest m = Bundle.open(jvm).manifest();
            assertThat(m.backend()).isEqualTo("JVM");
            assertThat(m.isaLevel()).isNull();
            assertThat(m.entries()).containsOnlyKeys("model.onnx", "configs.json");
            assertThat(m.modelName()).isEqualTo("face_detection_front_128x128_barracuda.onnx");
            try (CompiledModel loaded = Octet.loadCompiled(jvm, OPTIONS)) {
                assertThat(loaded.stepDescriptions()).isEqualTo(compiled.stepDescriptions());
                Map<String, Tensor> expectedJvm = compiled.run(input);
                Map<String, Tensor> out = loaded.run(input);
                expectedJvm.forEach((name, t) -> assertThat(out.get(name).sameAs(t)).as(name).isTrue());
            }
        }
    }

    @Test
    void aTamperedEntryIsRefusedBeforeTheLibraryIsLoaded() throws IOException {
        Path tampered = dir.resolve("tampered.octet");
        BundleFiles.rewrite(bundle, tampered, (name, bytes) -> {
            if (name.equals("kernels.so")) {
                bytes[bytes.length / 2] ^= 1;
            }
            return bytes;
        });
        assertThatThrownBy(() -> Octet.loadCompiled(tampered, OPTIONS)).isInstanceOf(OctetException.class)
                .hasMessage(tampered + ": the bundle's entry kernels.so does not match its SHA-256 in the manifest "
                        + "(the bundle is corrupt or was tampered with)");
    }

    @Test
    void aTruncatedBundleIsAClearError() throws IOException {
        Path truncated = dir.resolve("truncated.octet");
        byte[] whole = Files.readAllBytes(bundle);
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length * 2 / 3));
        assertThatThrownBy(() -> Octet.loadCompiled(truncated, OPTIONS)).isInstanceOf(OctetException.class)
                .hasMessageStartingWith(truncated + ": is truncated or corrupt, or not an Octet bundle")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aBundleOfAnotherVersionNamesBothVersions() throws IOException {
        Path other = dir.resolve("other.octet");
        BundleFiles.rewrite(bundle, other, (name, bytes) -> !name.equals("manifest.json") ? bytes
                : new String(bytes, StandardCharsets.UTF_8).replace("\"octetVersion\" : \"" + Octet.version() + "\"",
                        "\"octetVersion\" : \"0.9.0\"").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> Octet.loadCompiled(other, OPTIONS)).isInstanceOf(OctetException.class)
                .hasMessage(other + ": the bundle was written by Octet 0.9.0 and this is Octet " + Octet.version()
                        + "; compile the model again with this version (octet compile)");
    }

    @Test
    void aCpuWithoutTheBundlesLevelRunsItOnTheJvmKernelsWithANotice() {
        assumeTrue(OPTIONS.isaLevel() == IsaLevel.X86_64_V4_VNNI, "the bundle is not built for AVX-512");
        String before = System.getProperty("octet.cpu.features");
        System.setProperty("octet.cpu.features", String.join(",", IsaLevel.X86_64_V3.requiredFeatures()));
        List<String> notices = new ArrayList<>();
        try (CompiledModel loaded = Bundle.open(bundle).instantiate(OPTIONS, notices::add)) {
            assertThat(notices).hasSize(1).first().asString().startsWith("octet: notice: " + bundle
                    + ": this CPU lacks avx512").endsWith("running on the JVM kernels instead");
            assertThat(loaded.nativeLibrary()).isEmpty();
            assertThat(loaded.stepDescriptions()).anyMatch(d -> d.startsWith("conv_gemm") && d.contains("on the JVM"));
            Map<String, Tensor> reference = new ReferenceInterpreter(model.graph()).run(input);
            Map<String, Tensor> out = loaded.run(input);
            reference.forEach((name, t) -> assertThat(relativeError(out.get(name), t)).as(name).isLessThan(1e-4));
        } finally {
            restore("octet.cpu.features", before);
        }
        assertThat(CpuFeatures.current().has("avx512f")).isTrue();
    }

    /** max |a − b| / max |b| (the measure of CompiledModelTest). */
    private static double relativeError(Tensor a, Tensor b) {
        double maxAbs = 0;
        double mag = 1e-30;
        for (int i = 0; i < a.size(); i++) {
            maxAbs = Math.max(maxAbs, Math.abs(a.getDouble(i) - b.getDouble(i)));
            mag = Math.max(mag, Math.abs(b.getDouble(i)));
        }
        return maxAbs / mag;
    }

    @Test
    void theJvmBackendCanBeAskedForAtLoad() {
        try (CompiledModel loaded = Octet.loadCompiled(bundle, OPTIONS.withBackend(CompileOptions.Backend.JVM))) {
            assertThat(loaded.nativeLibrary()).isEmpty();
            assertThat(loaded.stepDescriptions()).anyMatch(d -> d.startsWith("conv_gemm") && d.contains("on the JVM"));
        }
    }

    static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
