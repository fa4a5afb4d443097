package dev.octet.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.kernel.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process appending to a log is killed with SIGKILL; the log still parses, and appending goes on cleanly. */
class TuningLogKillTest {
    @TempDir
    Path dir;

    /** Child process: appends records with long messages to the log named by args[0] until it is killed. */
    public static void main(String[] args) {
        try (TuningLog log = TuningLog.append(Path.of(args[0]), w -> { })) {
            for (int i = 0; ; i++) {
                log.write(new TuningRecord("w", "t", new Config("conv_gemm", Map.of("nc", i)), "template", 1e-3,
                        1e-3, ErrorCode.NO_ERROR, "x".repeat(20000), 1, 0, "dev", "cc"));
            }
        }
    }

    @Test
    void aLogSurvivesKillDashNine() throws Exception {
        Path file = dir.resolve("log.jsonl");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), TuningLogKillTest.class.getName(), file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.txt").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && (!Files.exists(file) || Files.size(file) < 5_000_000)) {
            Thread.sleep(20);
        }
        child.destroyForcibly(); // SIGKILL on Linux
        child.waitFor();
        List<String> warnings = new ArrayList<>();
        List<TuningRecord> before = TuningLog.read(file, warnings::add);
        assertThat(before).hasSizeGreaterThan(100);
        assertThat(warnings).hasSizeLessThanOrEqualTo(1);
        try (TuningLog log = TuningLog.append(file, w -> { })) {
            log.write(new TuningRecord("w", "t", new Config("conv_gemm", Map.of("nc", -1)), "template", 1e-3, 1e-3,
                    ErrorCode.NO_ERROR, null, 1, 0, "dev", "cc"));
        }
        List<TuningRecord> after = TuningLog.read(file, w -> { throw new AssertionError(w); });
        assertThat(after).hasSize(before.size() + 1);
        assertThat(after.get(after.size() - 1).config().get("nc")).isEqualTo(-1);
    }
}
