package dev.octet.tune;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost-model tuner against real costs: a log (src/test/resources/tune/resnet50-grid.jsonl.gz) in which every
 * configuration of seven ResNet-50 3x3 conv tasks (3 fp32, 4 int8) was measured once on the development machine
 * ({@code octet tune r50.onnx --tuner grid --trials 1000 --task KEY --confirm 0}). Replayed with the recorded
 * costs as the measurer, summed over the tasks where the default is not already within 5% of the best, xgb needs
 * fewer trials than random to get within 5% in the median over seeds, and far fewer when pre-trained on the other
 * tasks. The tasks' problems are rebuilt from their keys ({@link ReplayProblems}) so that the cost model sees the
 * loop-nest features of each configuration, as when tuning. Tuner behaviour on fixed data: it cannot flake with
 * timing noise.
 */
class ResNet50ReplayTest {
    @TempDir
    Path dir;

    @Test
    void xgbReachesTheGoalInFewerTrialsThanRandom() throws IOException {
        Path log = dir.resolve("resnet50-grid.jsonl");
        try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream("/tune/resnet50-grid.jsonl.gz"))) {
            Files.copy(in, log);
        }
        List<TuningRecord> records = TuningLog.read(log, w -> { });
        double random = 0;
        double xgb = 0;
        double transfer = 0;
        int tasks = 0;
        ReplayProblems problems = new ReplayProblems();
        for (List<TuningRecord> mine : TunerReplay.tasks(records)) {
            assertThat(problems.of(mine.get(0).workload())).as("rebuilt from its key").isNotNull();
            TunerReplay.TaskReplay r = TunerReplay.replay(mine, TunerReplay.others(records, mine), 21, 0.05, 4,
                    problems::of);
            if (r.median("random") <= 1) {
                continue; // the default is within 5%: nothing to compare
            }
            tasks++;
            random += r.median("random");
            xgb += r.median("xgb");
            transfer += r.median("xgb+transfer");
        }
        System.out.printf("%d tasks, sum of median trials to within 5%%: random %.1f, xgb %.1f, xgb+transfer %.1f%n",
                tasks, random, xgb, transfer);
        assertThat(tasks).isGreaterThanOrEqualTo(5);
        assertThat(xgb).isLessThan(0.85 * random);
        assertThat(transfer).isLessThan(0.6 * random);
    }
}
