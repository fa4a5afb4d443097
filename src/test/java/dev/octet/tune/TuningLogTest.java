package dev.octet.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.OctetException;
import dev.octet.kernel.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tuning log: JSON lines that survive a torn write, reject corruption, and resume cleanly. */
class TuningLogTest {
    @TempDir
    Path dir;

    static TuningRecord record(String workload, String target, int nc, ErrorCode error, double median) {
        boolean ok = error == ErrorCode.NO_ERROR;
        return new TuningRecord(workload, target, new Config("conv_gemm", Map.of("nc", nc, "kc", 256, "order", 0)),
                "template", ok ? median * 0.9 : Double.NaN, ok ? median : Double.NaN, error,
                ok ? null : "what went wrong", 1.5, 1.7e9, "dev", "cc (test) 1");
    }

    @Test
    void recordsRoundTripWithConfigsAsKnobEntities() throws Exception {
        Path file = dir.resolve("log.jsonl");
        List<TuningRecord> written = List.of(record("w1", "t", 128, ErrorCode.NO_ERROR, 2e-3),
                record("w1", "t", 256, ErrorCode.WRONG_ANSWER, 0));
        try (TuningLog log = TuningLog.append(file, w -> { })) {
            written.forEach(log::write);
        }
        assertThat(TuningLog.read(file, w -> { })).isEqualTo(written);
        String first = Files.readAllLines(file).get(0);
        assertThat(first).contains("\"entities\":[[\"kc\",256],[\"nc\",128],[\"order\",0]]", "\"error\":\"NO_ERROR\"",
                "\"all_cost\":1.5", "\"version\":{\"octet\":\"dev\",\"cc\":\"cc (test) 1\"}");
    }

    @Test
    void aTornLastLineIsSkippedWithAWarningAndCutOffBeforeAppending() throws Exception {
        Path file = dir.resolve("log.jsonl");
        try (TuningLog log = TuningLog.append(file, w -> { })) {
            log.write(record("w1", "t", 128, ErrorCode.NO_ERROR, 2e-3));
            log.write(record("w1", "t", 64, ErrorCode.NO_ERROR, 3e-3));
        }
        String text = Files.readString(file);
        Files.writeString(file, text.substring(0, text.length() - 20)); // killed in the middle of the second line
        List<String> warnings = new ArrayList<>();
        assertThat(TuningLog.read(file, warnings::add)).hasSize(1);
        assertThat(warnings).singleElement().asString().contains("torn last line");
        warnings.clear();
        try (TuningLog log = TuningLog.append(file, warnings::add)) {
            log.write(record("w1", "t", 512, ErrorCode.NO_ERROR, 1e-3));
        }
        assertThat(warnings).singleElement().asString().contains("removed a torn last line");
        assertThat(TuningLog.read(file, w -> { throw new AssertionError(w); })).extracting(r -> r.config().get("nc"))
                .containsExactly(128, 512);
    }

    @Test
    void aBadLineInTheMiddleIsACorruptLogNamingFileAndLine() throws Exception {
        Path file = dir.resolve("log.jsonl");
        Files.writeString(file, TuningLog.JSON.writeValueAsString(TuningLog.toJson(record("w", "t", 64,
                ErrorCode.NO_ERROR, 1e-3))) + "\n{\"workload\": 3}\n" + TuningLog.JSON.writeValueAsString(
                TuningLog.toJson(record("w", "t", 128, ErrorCode.NO_ERROR, 1e-3))) + "\n");
        assertThatThrownBy(() -> TuningLog.read(file, w -> { })).isInstanceOf(OctetException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("line 2");
    }

    @Test
    void bestPicksTheFastestVerifiedRecordPerWorkloadAndTargetNeverAWrongAnswer() {
        List<TuningRecord> records = List.of(
                record("w1", "t", 128, ErrorCode.NO_ERROR, 2e-3),
                record("w1", "t", 256, ErrorCode.WRONG_ANSWER, 0),
                record("w1", "t", 64, ErrorCode.NO_ERROR, 1e-3),
                record("w1", "other", 512, ErrorCode.NO_ERROR, 0.5e-3),
                record("w2", "t", 1024, ErrorCode.RUNTIME_ERROR, 0));
        assertThat(BestRecords.list(records)).extracting(r -> r.workload() + "@" + r.target() + ":" + r.config()
                .get("nc")).containsExactly("w1@t:64", "w1@other:512");
    }

    @Test
    void timingAndConfirmationsRoundTripAndALineWithoutTimingReadsAsWarm() throws Exception {
        Path file = dir.resolve("log.jsonl");
        TuningRecord flushed = record("w1", "t", 128, ErrorCode.NO_ERROR, 2e-3).withTiming(Timing.FLUSHED);
        TuningRecord warm = record("w1", "t", 64, ErrorCode.NO_ERROR, 1e-3).withTiming(Timing.WARM);
        Config base = new Config("conv_gemm", Map.of("nc", 256, "kc", 256, "order", 0));
        ConfirmationRecord yes = new ConfirmationRecord("w1", "t", Timing.FLUSHED, base, flushed.config(), 2.2e-3,
                1.8e-3, 0.03, 3, ConfirmationRecord.Verdict.SIGNIFICANT, 1.7e9, "dev", "cc (test) 1");
        ConfirmationRecord failed = new ConfirmationRecord("w1", "t", Timing.WARM, base, warm.config(), Double.NaN,
                Double.NaN, Double.NaN, 3, ConfirmationRecord.Verdict.FAILED, 1.7e9, "dev", "cc (test) 1");
        try (TuningLog log = TuningLog.append(file, w -> { })) {
            log.write(flushed);
            log.write(yes);
            log.write(warm);
            log.write(failed);
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).contains("\"timing\":\"flushed\"");
        assertThat(lines.get(1)).contains("\"kind\":\"confirmation\"", "\"verdict\":\"significant\"",
                "\"default\":{\"template\":\"conv_gemm\"");
        assertThat(TuningLog.read(file, w -> { })).as("measurements only").containsExactly(flushed, warm);
        TuningLog.Contents all = TuningLog.load(file, w -> { });
        assertThat(all.records()).containsExactly(flushed, warm);
        assertThat(all.confirmations()).hasSize(2);
        assertThat(all.confirmations().get(0)).isEqualTo(yes);
        assertThat(all.confirmations().get(1).verdict()).isEqualTo(ConfirmationRecord.Verdict.FAILED);
        assertThat(all.confirmations().get(1).best()).isEqualTo(warm.config());

        String old = lines.get(0).replace(",\"timing\":\"flushed\"", "");
        assertThat(old).doesNotContain("timing");
        assertThat(TuningLog.parse(old + "\n", "old", w -> { })).singleElement()
                .satisfies(r -> assertThat(r.timing()).isEqualTo(Timing.WARM));
        assertThatThrownBy(() -> TuningLog.parse(lines.get(1).replace("confirmation", "rumour") + "\n" + lines.get(0),
                "bad", w -> { })).isInstanceOf(OctetException.class).hasMessageContaining("unknown record kind");
    }

    @Test
    void aTornConfirmationLineIsSkippedLikeAnyTornLine() throws Exception {
        Path file = dir.resolve("log.jsonl");
        TuningRecord r = record("w1", "t", 128, ErrorCode.NO_ERROR, 2e-3);
        ConfirmationRecord c = new ConfirmationRecord("w1", "t", Timing.WARM, r.config(), r.config(), 1e-3, 1e-3,
                0.01, 3, ConfirmationRecord.Verdict.WITHIN_NOISE, 1.7e9, "dev", "cc");
        try (TuningLog log = TuningLog.append(file, w -> { })) {
            log.write(r);
            log.write(c);
        }
        String text = Files.readString(file);
        Files.writeString(file, text.substring(0, text.length() - 20));
        List<String> warnings = new ArrayList<>();
        TuningLog.Contents read = TuningLog.load(file, warnings::add);
        assertThat(read.records()).containsExactly(r);
        assertThat(read.confirmations()).isEmpty();
        assertThat(warnings).singleElement().asString().contains("torn last line");
    }
}
