package dev.octet.quant;

import dev.octet.ir.Tensor;
import dev.octet.runtime.CompiledModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How closely a candidate model's outputs follow the fp32 model's on held-out inputs: per input, the cosine
 * similarity of all outputs together (flattened and concatenated, in double), then the mean or the minimum over
 * the inputs. The fp32 outputs are computed once, here.
 */
final class OutputAgreement {
    private final List<Map<String, Tensor>> inputs;
    private final List<Map<String, Tensor>> reference = new ArrayList<>();

    OutputAgreement(CompiledModel fp32, List<Map<String, Tensor>> inputs) {
        this.inputs = List.copyOf(inputs);
        for (Map<String, Tensor> in : inputs) {
            reference.add(fp32.run(in));
        }
    }

    /** The output cosine of each held-out input, in their order. */
    double[] cosines(CompiledModel candidate) {
        double[] c = new double[inputs.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = cosine(reference.get(i), candidate.run(inputs.get(i)));
        }
        return c;
    }

    double mean(CompiledModel candidate) {
        double s = 0;
        double[] c = cosines(candidate);
        for (double v : c) {
            s += v;
        }
        return s / c.length;
    }

    double min(CompiledModel candidate) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : cosines(candidate)) {
            m = Math.min(m, v);
        }
        return m;
    }

    /** Cosine of two sets of outputs (same names) as one vector; 1 where both are all zero. */
    static double cosine(Map<String, Tensor> a, Map<String, Tensor> b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (Map.Entry<String, Tensor> e : a.entrySet()) {
            Tensor x = e.getValue();
            Tensor y = b.get(e.getKey());
            for (int i = 0; i < x.size(); i++) {
                double u = x.getDouble(i);
                double v = y.getDouble(i);
                dot += u * v;
                na += u * u;
                nb += v * v;
            }
        }
        if (na == 0 && nb == 0) {
            return 1;
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
