package dev.octet.tune.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.kernel.Config;
import dev.octet.kernel.ConvWorkload;
import dev.octet.kernel.Epilogue;
import dev.octet.kernel.KnobSpace;
import dev.octet.kernel.loop.Buffer;
import dev.octet.kernel.loop.Expr;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.kernel.loop.ScalarType;
import dev.octet.kernel.loop.Stmt;
import dev.octet.kernel.loop.Var;
import dev.octet.tune.ConvGeometry;
import dev.octet.tune.ConvProblem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Loop-nest features: counts per block of the parallel loop, read from the statement tree. */
class LoopFeaturesTest {
    @Test
    void countsLoopsTripsArraysAndWorkPerBlock() {
        Buffer in = Buffer.input("in", ScalarType.F32);
        Buffer out = Buffer.output("out", ScalarType.F32);
        Buffer tile = Buffer.output("tile", ScalarType.F32);
        Var idx = Var.i64("idx");
        Var i = Var.i64("i");
        Var v = Var.i64("v");
        // for idx in [begin, end): local float tile[64]; for i < 4 (unrolled): for v < 16 (vectorized):
        //   tile[v] = in[v] * 2 + 1; then one micro-kernel call per idx.
        Stmt vector = new Stmt.For(v, Expr.of(0), Expr.of(16), 1, Stmt.Kind.VECTORIZED,
                tile.store(v, in.load(v).times(Expr.f32(2)).plus(Expr.f32(1))));
        Stmt unrolled = new Stmt.For(i, Expr.of(0), Expr.of(4), 1, Stmt.Kind.UNROLLED, vector);
        Stmt call = new Stmt.Eval(new Expr.Call("octet_flush", List.of(new Expr.AddressOf(tile, Expr.of(0)))));
        Stmt body = new Stmt.LocalArray(tile, 64, new Stmt.For(idx, LoopKernel.BEGIN, LoopKernel.END, 1,
                Stmt.Kind.SERIAL, Stmt.seq(unrolled, call, out.store(idx, Expr.f32(0)))));
        Map<String, Double> f = LoopFeatures.of(new LoopKernel("k", List.of(in, out), List.of(), body));
        assertThat(f.keySet()).containsExactlyElementsOf(LoopFeatures.NAMES);
        assertThat(f.get("loops")).isEqualTo(3);
        assertThat(f.get("depth")).isEqualTo(3);
        assertThat(f.get("static_loops")).isEqualTo(2);
        assertThat(f.get("dynamic_loops")).isEqualTo(1);
        assertThat(f.get("unrolled_loops")).isEqualTo(1);
        assertThat(f.get("unroll_product")).isEqualTo(4);
        assertThat(f.get("vector_extent")).isEqualTo(16);
        assertThat(f.get("calls_per_block")).isEqualTo(1);
        assertThat(f.get("stores_per_block")).isEqualTo(4 * 16 + 1);
        assertThat(f.get("arith_per_block")).isEqualTo(4 * 16 * 2);
        assertThat(f.get("local_bytes")).isEqualTo(64 * 4);
        assertThat(f.get("local_arrays")).isEqualTo(1);
    }

    @Test
    void aRealTemplatesNestFollowsItsKnobsAndTheFeaturesJoinTheSchema() {
        ConvWorkload w = new ConvWorkload(64, 64, 1, 3, 3, 1, 1, 1, 1, false, Epilogue.none());
        ConvProblem p = new ConvProblem(w, new ConvGeometry(1, 14, 14, 1, 1, 1, 1));
        KnobSpace gemm = p.spaces().stream().filter(s -> s.template().equals("conv_gemm")).findFirst().orElseThrow();
        Config small = with(gemm.defaults(), "kc", 64);
        Config large = with(gemm.defaults(), "kc", 256);
        assertThat(gemm.contains(small) && gemm.contains(large)).isTrue();
        LoopFeatures.Source source = (key, c) -> key.equals(w.key()) ? p.kernel(c, "k") : null;
        ConfigFeatures f = ConfigFeatures.of(List.of(w.key(), "other[c1]"), List.of(small, large), source);
        int bytes = f.names().indexOf("loop.local_bytes");
        assertThat(bytes).isNotNegative();
        assertThat(f.of(w.key(), small)[bytes]).isPositive().isNotEqualTo(f.of(w.key(), large)[bytes]);
        assertThat(f.of("other[c1]", small)[bytes]).as("a workload the source cannot build").isEqualTo(-1);
        assertThat(ConfigFeatures.of(List.of(w.key()), List.of(small)).names()).noneMatch(n -> n.startsWith("loop."));
    }

    private static Config with(Config c, String knob, int value) {
        Map<String, Integer> v = new HashMap<>(c.values());
        v.put(knob, value);
        return new Config(c.template(), v);
    }
}
