package dev.octet.pass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlanMemoryTest {
    /**
     * A residual block: the block input stays alive across two convolutions, the convolution outputs reuse the
     * space of values that died. Sizes: x1 and y 4 KiB, p 256 B.
     */
    private static Graph block() {
        return new TestGraph("plan").input("x", 1, 16, 8, 8)
                .weight("w1", 16, 16, 1, 1).weight("w2", 16, 16, 1, 1).weight("w3", 16, 16, 1, 1)
                .node("Relu", "x1", List.of("x"))
                .fusedConv("c1", List.of("x1", "w1", ""), List.of("relu"))
                .fusedConv("c2", List.of("c1", "w2", "", "x1"), List.of("residual"))
                .node("MaxPool", "p", List.of("c2"), Attribute.of("kernel_shape", 2L, 2L),
                        Attribute.of("strides", 2L, 2L))
                .node("Relu", "q", List.of("p"))
                .node("Relu", "y", List.of("q"))
                .output("y").build();
    }

    @Test
    void sharesMemoryBetweenValuesThatAreNotAliveTogether() {
        MemoryPlan plan = PlanMemory.plan(block());
        assertThat(plan.describe()).isEqualTo(PassAssertions.golden("plan_memory.txt", plan.describe()));
        assertThat(plan.arenaBytes()).isEqualTo(3 * 4096);
        assertThat(plan.unsharedBytes()).isEqualTo(3 * 4096 + 2 * 1024);
    }

    @Test
    void paddsBlockedChannelsToTheBlock() {
        Graph g = new RewriteLayout().apply(new TestGraph("blocked").input("x", 1, 3, 4, 4)
                .weight("w1", 4, 3, 1, 1).weight("w2", 4, 4, 1, 1)
                .fusedConv("c1", List.of("x", "w1", ""), List.of())
                .fusedConv("c2", List.of("c1", "w2", ""), List.of())
                .node("Relu", "y", List.of("c2"))
                .output("y").build());
        MemoryPlan plan = PlanMemory.plan(g);
        assertThat(plan.slots().get("c1").bytes()).as("4 channels padded to 8, 16 pixels, 4 bytes").isEqualTo(512);
        assertThat(plan.slots().get("c2").bytes()).as("the plain copy").isEqualTo(256);
    }

    @Test
    void neverLetsTwoLiveValuesOverlapInRandomGraphs() {
        Random random = new Random(11);
        for (int trial = 0; trial < 50; trial++) {
            Graph g = randomGraph(random);
            MemoryPlan plan = PlanMemory.plan(g);
            plan.check();
            long peakLive = 0;
            for (int step = 0; step < g.nodes().size(); step++) {
                int s = step;
                peakLive = Math.max(peakLive, plan.slots().values().stream()
                        .filter(v -> v.firstStep() <= s && s <= v.lastStep()).mapToLong(MemoryPlan.Slot::bytes).sum());
            }
            assertThat(plan.arenaBytes()).isBetween(peakLive, plan.unsharedBytes());
        }
    }

    /** Adds and Concats of earlier values, of random widths: lifetimes of every length. */
    private static Graph randomGraph(Random random) {
        TestGraph b = new TestGraph("random").input("x", 1, 16);
        List<String> values = new ArrayList<>(List.of("x"));
        List<Integer> widths = new ArrayList<>(List.of(16));
        int n = 5 + random.nextInt(20);
        for (int i = 0; i < n; i++) {
            int a = random.nextInt(values.size());
            int c = random.nextInt(values.size());
            String out = "v" + i;
            if (random.nextBoolean()) {
                b.node("Concat", out, List.of(values.get(a), values.get(c)), Attribute.of("axis", 1L));
                widths.add(widths.get(a) + widths.get(c));
            } else {
                b.node("Relu", out, List.of(values.get(a)));
                widths.add(widths.get(a));
            }
            values.add(out);
        }
        return b.output(values.getLast()).build();
    }

    @Test
    void checkRejectsAPlanWhereLiveValuesShareBytes() {
        MemoryPlan bad = new MemoryPlan(Map.of("a", new MemoryPlan.Slot(0, 128, 0, 2),
                "b", new MemoryPlan.Slot(64, 128, 1, 3)), 192);
        assertThatThrownBy(bad::check).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("alive together");
    }

    @Test
    void needsStaticShapes() {
        Graph g = new Graph("dynamic", List.of(new dev.octet.ir.Value("x", new dev.octet.ir.TensorType(
                dev.octet.ir.DataType.FLOAT, List.of(dev.octet.ir.Dim.symbol("n"))))),
                List.of(new dev.octet.ir.Value("y", null)),
                List.of(Node.of("a", "Relu", List.of("x"), List.of("a")), Node.of("y", "Relu", List.of("a"),
                        List.of("y"))), Map.of(), Map.of(), Map.of("", 13));
        assertThatThrownBy(() -> PlanMemory.plan(g)).isInstanceOf(OctetException.class)
                .hasMessageContaining("value 'a'").hasMessageContaining("static");
    }
}
