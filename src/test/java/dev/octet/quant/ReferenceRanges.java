package dev.octet.quant;

import dev.octet.ir.Graph;
import dev.octet.ir.Tensor;
import dev.octet.runtime.ReferenceInterpreter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Calibration ranges for tests: min/max of every target tensor over a few inputs, with the reference interpreter
 * (the real calibrator, on compiled models with observers, is another package's work).
 */
final class ReferenceRanges {
    private ReferenceRanges() {
    }

    static Map<String, TensorRange> of(Graph g, Set<String> targets, List<Map<String, Tensor>> inputs) {
        Map<String, float[]> mm = new LinkedHashMap<>();
        ReferenceInterpreter interpreter = new ReferenceInterpreter(g);
        for (Map<String, Tensor> in : inputs) {
            Map<String, Tensor> taps = new LinkedHashMap<>(interpreter.run(in, targets));
            in.forEach(taps::put);
            for (String t : targets) {
                Tensor v = taps.get(t);
                float[] r = mm.computeIfAbsent(t, k -> new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
                for (float f : v.floats()) {
                    r[0] = Math.min(r[0], f);
                    r[1] = Math.max(r[1], f);
                }
            }
        }
        Map<String, TensorRange> ranges = new LinkedHashMap<>();
        mm.forEach((t, r) -> ranges.put(t, new TensorRange(r[0], r[1])));
        return ranges;
    }
}
