package dev.octet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Octet's CLI or a script in a child process, for tests that need a JVM of their own (a small heap) or the
 * launcher itself. Output is collected through files, so a chatty child can never block on a full pipe.
 */
public final class JavaProcess {
    /** What the child printed and how it ended; exit is -1 where it was killed for taking too long. */
    public record Result(int exit, String out, String err) {
        public String all() {
            return out + err;
        }

        /** Lines of stderr, less the one the JVM itself prints for every use of an incubator module. */
        public List<String> errLines() {
            return err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        }
    }

    private JavaProcess() {
    }

    /**
     * The class path of Octet's runtime: target/classes and the dependencies that {@code mvn package} lists in
     * target/octet.classpath, else (the file not written yet) the class path of the running tests.
     */
    public static String classPath() {
        Path target = TestData.repoRoot().resolve("target");
        Path cpFile = target.resolve("octet.classpath");
        try {
            if (Files.isRegularFile(cpFile)) {
                return target.resolve("classes") + java.io.File.pathSeparator + Files.readString(cpFile).strip();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return System.getProperty("java.class.path");
    }

    /**
     * {@code java [jvmOptions] -cp CLASSPATH dev.octet.cli.Main args} with the running JDK and the flags that the
     * launcher ./octet gives.
     */
    public static Result cli(List<String> jvmOptions, List<String> args, long timeoutSeconds) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classPath(), "dev.octet.cli.Main"));
        cmd.addAll(args);
        return run(cmd, Map.of(), List.of(), timeoutSeconds);
    }

    /**
     * Runs a command.
     *
     * @param env variables to set in the child's environment
     * @param unset variables to remove from it
     */
    public static Result run(List<String> command, Map<String, String> env, List<String> unset, long timeoutSeconds) {
        try {
            Path out = Files.createTempFile("octet-child", ".out");
            Path err = Files.createTempFile("octet-child", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile())
                        .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                                Path.of("/dev/null").toFile()));
                unset.forEach(pb.environment()::remove);
                pb.environment().putAll(env);
                Process p = pb.start();
                int exit;
                if (p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    exit = p.exitValue();
                } else {
                    p.destroyForcibly().waitFor();
                    exit = -1;
                }
                return new Result(exit, Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
