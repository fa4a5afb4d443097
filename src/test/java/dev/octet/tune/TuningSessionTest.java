package dev.octet.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.kernel.Config;
import dev.octet.kernel.ConfigChooser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tuning session logs every candidate, resumes without repeating a configuration, and never lets a fast wrong
 * kernel be picked: not by the session's best, not by a build's chooser.
 */
class TuningSessionTest {
    @TempDir
    Path dir;

    @Test
    void aFastWrongKernelIsRecordedAndNeverPickedAndResumingRepeatsNothing() {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        Measurer measurer = new Measurer(cc, Path.of("target", "test-tune-cache"),
                Measurer.Settings.defaults().withRunTimeout(10).withBuildThreads(2));
        ConvProblem p = MeasurerTest.smallConv();
        TuningTask task = new TuningTask(p, Target.current(), 1);
        Config base = task.defaults();
        String elements = p.workload().outChannels() + " * OH * OW";
        Candidate fastWrong = Planted.zeros(p, base, "out", elements);
        Path file = dir.resolve("log.jsonl");
        List<int[]> progress = new ArrayList<>();
        TuningSession.Result first;
        try (TuningLog log = TuningLog.append(file, w -> { })) {
            first = new TuningSession(measurer, log, cc.version(), List.of(), 3).tune(task, "random", 5, 7,
                    List.of(fastWrong), (t, done, total, best) -> progress.add(new int[] {done, total}));
        }
        List<TuningRecord> records = TuningLog.read(file, w -> { });
        assertThat(records).hasSize(5);
        assertThat(first.measured()).isEqualTo(5);
        assertThat(progress).isNotEmpty().last().satisfies(a -> assertThat(a).containsExactly(5, 5));
        assertThat(records.get(0).config()).as("the default is measured first").isEqualTo(base);
        TuningRecord wrong = records.stream().filter(r -> r.origin().startsWith("planted")).findFirst().orElseThrow();
        assertThat(wrong.error()).isEqualTo(ErrorCode.WRONG_ANSWER);
        assertThat(first.best()).isNotNull();
        assertThat(first.best().origin()).isEqualTo("template");
        assertThat(first.best().error()).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(BestRecords.list(records)).noneMatch(r -> r.origin().startsWith("planted"));
        ConfigChooser.Request request = new ConfigChooser.Request(p.key(), p.workload(), p.spaces());
        assertThat(new TunedConfigs(records, Target.current()).choose(request)).isEqualTo(first.best().config());

        try (TuningLog log = TuningLog.append(file, w -> { })) {
            new TuningSession(measurer, log, cc.version(), records, 3).tune(task, "random", 4, 7, List.of(fastWrong),
                    null);
        }
        List<TuningRecord> all = TuningLog.read(file, w -> { });
        assertThat(all).hasSize(9);
        Set<Config> seen = new HashSet<>();
        assertThat(all).allSatisfy(r -> assertThat(seen.add(r.config())).as("measured once: " + r.config()).isTrue());
    }
}
