package dev.octet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.testing.JavaProcess;
import dev.octet.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code ./octet} finds a JDK 25 by itself even where the first {@code java} on PATH (and JAVA_HOME)
 * is a JDK 17, the machine's default.
 *
 * <p>The launcher and scripts/jdk.sh are run as copies in a folder of their own whose target/ says the build is
 * current (a stamp, and a class path file pointing at this build's classes): the real launcher would rebuild the
 * project with Maven when it finds sources newer than its stamp, which a test must not do in the middle of a build.
 */
class LauncherTest {
    private static final Path JDK17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

    @TempDir
    Path root;

    @BeforeEach
    void copyLauncher() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(JDK17.resolve("bin/java")), "no JDK 17 at " + JDK17);
        Path repo = TestData.repoRoot();
        Files.copy(repo.resolve("octet"), root.resolve("octet"));
        Files.createDirectories(root.resolve("scripts"));
        Files.copy(repo.resolve("scripts/jdk.sh"), root.resolve("scripts/jdk.sh"));
        Files.createDirectories(root.resolve("target/classes"));
        Files.writeString(root.resolve("target/octet.classpath"), JavaProcess.classPath());
        Files.createFile(root.resolve("target/classes/.octet-built"));
    }

    private JavaProcess.Result launch(Map<String, String> env) {
        return JavaProcess.run(List.of("bash", root.resolve("octet").toString(), "--version"), env,
                List.of("JAVA_HOME"), 120);
    }

    private static String pathWithJdk17First() {
        return JDK17.resolve("bin") + ":/usr/local/bin:/usr/bin:/bin";
    }

    @Test
    void thePathReallyStartsWithAJdk17() {
        JavaProcess.Result r = JavaProcess.run(List.of("bash", "-c", "java -version"),
                Map.of("PATH", pathWithJdk17First()), List.of("JAVA_HOME"), 60);
        assertThat(r.err()).contains("version \"17");
    }

    @Test
    void findsJdk25WithoutJavaHomeWhenJava17IsFirstOnPath() {
        JavaProcess.Result r = launch(Map.of("PATH", pathWithJdk17First()));
        assertThat(r.exit()).as("output: %s", r.all()).isZero();
        assertThat(r.out().lines().findFirst()).get().asString().startsWith("octet ").contains("(Java 25");
    }

    @Test
    void findsJdk25WhenJavaHomeIsAJdk17() {
        JavaProcess.Result r = launch(Map.of("PATH", pathWithJdk17First(), "JAVA_HOME", JDK17.toString()));
        assertThat(r.exit()).as("output: %s", r.all()).isZero();
        assertThat(r.out()).startsWith("octet ").contains("(Java 25");
    }
}
