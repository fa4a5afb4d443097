package dev.octet.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.ir.Graph;
import dev.octet.ir.Tensor;
import dev.octet.kernel.ConfigChooser;
import dev.octet.kernel.Implementations;
import dev.octet.kernel.Int8ConvWorkload;
import dev.octet.kernel.Int8WinogradTemplate;
import dev.octet.kernel.KernelUse;
import dev.octet.kernel.KnobSpace;
import dev.octet.runtime.CompiledModel;
import dev.octet.runtime.ReferenceInterpreter;
import dev.octet.testing.QdqGraphBuilder;
import dev.octet.testing.QdqTestModels;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A chooser that picks exact int8 Winograd wherever it is offered (as a tuning log where Winograd was fastest)
 * builds Winograd kernels, packed by the Winograd template, at 1 and 2 threads, and the outputs stay the
 * reference's bit for bit.
 */
class Int8WinogradChoiceTest {
    @Test
    void aChosenWinogradKernelIsBuiltAndExact() {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        Graph g = QdqTestModels.convRelu(); // a 3×3 stride-1 ungrouped int8 conv: Winograd is valid for it
        boolean winogradTask = ModelCompiler.kernelUses(g).stream().map(KernelUse::request)
                .map(ConfigChooser.Request::workload).filter(w -> w instanceof Int8ConvWorkload)
                .map(w -> (Int8ConvWorkload) w).anyMatch(w -> Implementations.int8Conv(w).stream()
                        .anyMatch(s -> s.template().equals(Int8WinogradTemplate.NAME)));
        assertThat(winogradTask).as("a task of the graph holds the Winograd space").isTrue();
        int[] offered = new int[2];
        ConfigChooser prefersWinograd = r -> {
            offered[0]++;
            offered[1] += (int) r.spaces().stream().filter(s -> s.template().equals(Int8WinogradTemplate.NAME))
                    .count();
            return r.spaces().stream().filter(s -> s.template().equals(Int8WinogradTemplate.NAME)).findFirst()
                    .map(KnobSpace::defaults).orElse(r.defaults());
        };
        Map<String, Tensor> inputs = QdqGraphBuilder.randomInputs(g, 5);
        Map<String, Tensor> expected = new ReferenceInterpreter(ModelCompiler.simplify(g)).run(inputs);
        for (int threads : new int[] {1, 2}) {
            try (CompiledModel m = ModelCompiler.compile(g, TestGraphs.OPTIONS.withConfigs(prefersWinograd)
                    .withThreads(threads))) {
                assertThat(offered[1]).isPositive();
                assertThat(m.stepDescriptions()).anyMatch(d -> d.startsWith(Int8WinogradTemplate.NAME));
                Map<String, Tensor> out = m.run(inputs);
                expected.forEach((name, t) -> assertThat(out.get(name).sameAs(t)).as(name).isTrue());
            }
        }
    }
}
