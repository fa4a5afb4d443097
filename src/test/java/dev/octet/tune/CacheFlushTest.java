package dev.octet.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The harness's cache flush (clflush of every buffer before each warm-up and timed call, so a kernel is timed
 * reading from memory as a layer of a whole model does): on by default, and with it on or off the worker still
 * measures and verifies real fp32 and int8 configurations and planted wrong ones are still caught. That the flush
 * makes a bandwidth-bound kernel slower is a timing and is reported, not asserted (see TunedStepTimings).
 */
class CacheFlushTest {
    @Test
    void theFlushIsOnByDefaultAndEveryCopyKeepsTheSetting() {
        Measurer.Settings d = Measurer.Settings.defaults();
        assertThat(d.flushCaches()).isTrue();
        assertThat(d.withRunTimeout(7).withBuildThreads(1).flushCaches()).isTrue();
        Measurer.Settings warm = d.withCacheFlush(false);
        assertThat(warm.flushCaches()).isFalse();
        assertThat(warm.withRunTimeout(7).withBuildThreads(1).flushCaches()).isFalse();
        assertThat(new Measurer.Settings(0, 1, 120, 30, 2).flushCaches()).isTrue();
    }

    @Test
    void withOrWithoutTheFlushCandidatesMeasureAndWrongOnesAreCaught() {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        for (boolean flush : new boolean[] {true, false}) {
            Measurer m = new Measurer(cc, Path.of("target", "test-tune-cache"),
                    Measurer.Settings.defaults().withRunTimeout(10).withBuildThreads(2).withCacheFlush(flush));
            ConvProblem p = MeasurerTest.smallConv();
            List<Candidate> cands = new ArrayList<>();
            p.spaces().forEach(s -> cands.add(Candidate.template(p, s.defaults())));
            cands.add(Planted.offByOne(p, p.spaces().get(0).defaults(), "out"));
            List<Measurement> ms = m.measure(p, cands);
            assertThat(ms.subList(0, ms.size() - 1)).as("flush " + flush).allSatisfy(x -> {
                assertThat(x.error()).as(x.config() + ": " + x.message()).isEqualTo(ErrorCode.NO_ERROR);
                assertThat(x.minSeconds()).isPositive().isLessThanOrEqualTo(x.medianSeconds());
            });
            assertThat(ms.get(ms.size() - 1).error()).isEqualTo(ErrorCode.WRONG_ANSWER);

            Int8ConvProblem q = MeasurerTest.smallInt8Conv();
            Measurement i8 = m.measure(q, List.of(Candidate.template(q, q.spaces().get(0).defaults()))).get(0);
            assertThat(i8.error()).as("int8, flush " + flush + ": " + i8.message()).isEqualTo(ErrorCode.NO_ERROR);
        }
    }
}
