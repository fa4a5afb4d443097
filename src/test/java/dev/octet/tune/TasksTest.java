package dev.octet.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.build.ModelCompiler;
import dev.octet.kernel.Config;
import dev.octet.kernel.ConvWorkload;
import dev.octet.kernel.DepthwiseTemplate;
import dev.octet.kernel.Int8ConvTemplate;
import dev.octet.kernel.Int8WinogradTemplate;
import dev.octet.kernel.KernelUse;
import dev.octet.zoo.Zoo;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tasks from a graph: one per distinct workload key, each with the union of its valid templates' knob products. */
class TasksTest {
    private static final Target TARGET = new Target("test-target");

    @Test
    void resNet50LowersToDeduplicatedTasksAtTheGraphsGeometry() {
        List<KernelUse> uses = ModelCompiler.kernelUses(Zoo.get("resnet50").build().graph());
        List<TuningTask> tasks = Tasks.from(uses, TARGET);
        Set<String> keys = new HashSet<>();
        uses.forEach(u -> keys.add(u.request().key()));
        assertThat(uses).hasSize(54); // 53 convolutions and the classifier
        assertThat(tasks).hasSize(keys.size()).extracting(TuningTask::key).doesNotHaveDuplicates();
        assertThat(tasks.stream().mapToInt(TuningTask::uses).sum()).isEqualTo(uses.size());
        // res3's 3x3 convolution: 128 -> 128 channels at 28x28, padded by 1, used by three of the four blocks.
        TuningTask res3 = tasks.stream().filter(t -> t.problem() instanceof ConvProblem p
                && p.workload().inChannels() == 128 && p.workload().kernelH() == 3 && p.workload().strideH() == 1)
                .findFirst().orElseThrow();
        assertThat(res3.problem().geometry()).isEqualTo("1x128x28x28 pads 1,1,1,1");
        assertThat(res3.uses()).isEqualTo(3);
        assertThat(tasks).allSatisfy(t -> assertThat(t.target()).isEqualTo(TARGET));
    }

    @Test
    void geometryFollowsPadsAutoPadAndASymbolicBatch() {
        var same = dev.octet.ir.Node.of("c", "Conv", List.of("x", "w"), List.of("y"),
                dev.octet.ir.Attribute.of("auto_pad", "SAME_LOWER"));
        assertThat(Tasks.geometry(same, new long[] {0, 3, 8, 7}, 3, 3, 2, 2, 1, 1))
                .isEqualTo(new ConvGeometry(1, 8, 7, 1, 1, 0, 1));
        var padded = dev.octet.ir.Node.of("c", "Conv", List.of("x", "w"), List.of("y"),
                dev.octet.ir.Attribute.of("pads", 0L, 1, 2, 3));
        assertThat(Tasks.geometry(padded, new long[] {2, 3, 9, 9}, 3, 3, 1, 1, 1, 1))
                .isEqualTo(new ConvGeometry(2, 9, 9, 0, 1, 2, 3));
        assertThat(Tasks.geometry(padded, null, 3, 3, 1, 1, 1, 1).h()).isEqualTo(Tasks.DEFAULT_SIZE);
    }

    @Test
    void aDepthwiseTasksSpaceIsTheUnionOfBothTemplates() {
        ConvWorkload dw = new ConvWorkload(16, 16, 16, 3, 3, 1, 1, 1, 1, false, dev.octet.kernel.Epilogue.none());
        TuningTask t = new TuningTask(new ConvProblem(dw, new ConvGeometry(1, 8, 8, 1, 1, 1, 1)), TARGET, 1);
        List<Config> all = t.configs();
        assertThat(all).hasSize((int) t.size()).doesNotHaveDuplicates();
        assertThat(all).extracting(Config::template).contains(DepthwiseTemplate.NAME, "conv_gemm");
        assertThat(t.defaults().template()).isEqualTo(DepthwiseTemplate.NAME);
        assertThat(all).allSatisfy(c -> assertThat(t.problem().spaces().stream().anyMatch(s -> s.contains(c))).isTrue());
    }

    @Test
    void int8SpacesHoldOnlyTheVariantsTheWeightsAllow() {
        var fit = new dev.octet.kernel.Int8ConvWorkload(8, 8, 1, 3, 3, 1, 1, 1, 1, false, false, true);
        var noFit = new dev.octet.kernel.Int8ConvWorkload(8, 8, 1, 3, 3, 1, 1, 1, 1, false, false, false);
        ConvGeometry g = new ConvGeometry(1, 8, 8, 1, 1, 1, 1);
        TuningTask a = new TuningTask(new Int8ConvProblem(fit, g), TARGET, 1);
        TuningTask b = new TuningTask(new Int8ConvProblem(noFit, g), TARGET, 1);
        assertThat(a.key()).isNotEqualTo(b.key());
        // maddubs only where the pairs fit; widen always; VNNI (exact for all weights) where the ISA level has it
        assertThat(gemm(a)).extracting(c -> c.get("variant")).contains(Int8ConvTemplate.MADDUBS,
                Int8ConvTemplate.WIDEN);
        assertThat(gemm(b)).extracting(c -> c.get("variant")).contains(Int8ConvTemplate.WIDEN)
                .doesNotContain(Int8ConvTemplate.MADDUBS);
        // exact Winograd (int16 products, any weights) is a further space of both 3x3 stride-1 tasks, never the default
        for (TuningTask t : List.of(a, b)) {
            assertThat(t.configs()).extracting(Config::template).contains(Int8WinogradTemplate.NAME);
            assertThat(t.defaults().template()).isEqualTo(Int8ConvTemplate.NAME);
        }
    }

    private static List<Config> gemm(TuningTask t) {
        return t.configs().stream().filter(c -> c.template().equals(Int8ConvTemplate.NAME)).toList();
    }
}
