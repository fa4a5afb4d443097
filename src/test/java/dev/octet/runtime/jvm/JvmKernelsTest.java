package dev.octet.runtime.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.testing.JavaProcess;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JVM backend picks the Vector API kernels where the incubator module is readable, else the scalar twins. */
class JvmKernelsTest {
    @Test
    void withTheModuleTheVectorKernelsAreChosenSilently() {
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        JvmKernels.Factory f = JvmKernels.select(true, new PrintStream(warnings, true, StandardCharsets.UTF_8));
        assertThat(f.description()).startsWith("Vector API");
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
        // This JVM has the module (Surefire adds it), so the backend uses the Vector API.
        assertThat(JvmKernels.implementation()).isEqualTo(f.description());
    }

    @Test
    void withoutTheModuleTheScalarKernelsAreChosenWithOneLineNamingTheFlag() {
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        JvmKernels.Factory f = JvmKernels.select(false, new PrintStream(warnings, true, StandardCharsets.UTF_8));
        assertThat(f).isSameAs(JvmKernels.SCALAR);
        assertThat(warnings.toString(StandardCharsets.UTF_8).lines().toList()).singleElement().asString()
                .startsWith("octet: warning: the Java Vector API is not enabled")
                .contains("add --add-modules jdk.incubator.vector to the java command line");
    }

    @Test
    void aJvmWithoutTheModuleRunsTheScalarKernelsAndWarnsOnce() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = Path.of("target", "test-classes").toAbsolutePath() + File.pathSeparator + JavaProcess.classPath();
        JavaProcess.Result r = JavaProcess.run(List.of(java, "-cp", cp, JvmKernelsProbe.class.getName()), Map.of(),
                List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"), 60);
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out().lines().toList()).containsExactly("scalar Java",
                "[jvm_scalar_conv_gemm[kc=256,nc=256,order=0,tile=0], jvm_scalar_depthwise[inner=0,rows=1], "
                        + "jvm_scalar_conv_gemm[kc=256,nc=256,order=0,tile=0]]",
                "2.0 4.0 6.0");
        assertThat(r.errLines()).singleElement().asString().contains("--add-modules jdk.incubator.vector");
    }
}
