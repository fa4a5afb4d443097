package dev.octet.tune;

import dev.octet.kernel.Config;
import dev.octet.kernel.Knob;
import dev.octet.kernel.KnobSpace;
import java.util.List;

/**
 * A made-up cost landscape shaped like a GEMM template's: a smooth bowl over log2 of two tile sizes with an
 * interaction, a loop-order and a tiling knob that add fixed penalties, a few percent of deterministic per-config
 * noise, and a corner that answers wrong. 512 configurations, about one within 5% of the best: random search needs
 * hundreds of trials, a tuner that learns the shape far fewer.
 *
 * @param scale multiplies every cost (another workload of the same kind: same shape, other absolute time)
 */
record SyntheticLandscape(String key, double scale) {
    static final KnobSpace SPACE = new KnobSpace("tiles", List.of(
            Knob.of("nc", 256, 16, 32, 64, 128, 512, 1024, 2048),
            Knob.of("kc", 256, 16, 32, 64, 128, 512, 1024, 2048),
            Knob.of("order", 0, 1, 2, 3),
            Knob.of("tile", 1, 0)));
    private static final double[] ORDER_PENALTY = {0, 0.3, 0.15, 0.5};

    TuningTask task() {
        return SpaceOnlyProblem.task(key, List.of(SPACE), 1);
    }

    /** Seconds, or NaN for the wrong-answer corner. */
    double cost(Config c) {
        int nc = c.get("nc");
        int kc = c.get("kc");
        if (nc == 2048 && kc == 2048 && c.get("tile") == 0) {
            return Double.NaN;
        }
        double a = log2(nc) - 6;
        double b = log2(kc) - 7;
        double shape = 1 + 0.08 * a * a + 0.05 * b * b + 0.03 * a * b + ORDER_PENALTY[c.get("order")]
                + (c.get("tile") == 1 ? 0 : 0.25);
        double noise = 0.03 * ((c.toString().hashCode() & 0xffff) / 65535.0 - 0.5);
        return scale * 1e-3 * shape * (1 + noise);
    }

    /** The cheapest cost over the space. */
    double best() {
        return SPACE.all().stream().mapToDouble(this::cost).filter(Double::isFinite).min().orElseThrow();
    }

    private static double log2(int v) {
        return Math.log(v) / Math.log(2);
    }
}
