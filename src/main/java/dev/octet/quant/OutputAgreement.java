package dev.octet.quant;

import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.runtime.CompiledModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How closely a candidate model's outputs follow the fp32 model's on held-out inputs: per input, the cosine
 * similarity of all outputs together (flattened and concatenated, in double), then the mean or the minimum over
 * the inputs; or the share of fp32's class decisions kept ({@link #topAgreement}). The fp32 outputs are computed
 * once, here.
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

    /**
     * The share of class decisions the candidate keeps over the held-out inputs: for every output whose last axis
     * has at least two entries, each position's argmax along that axis (first maximum on ties) compared with
     * fp32's. A recogniser's decision per time step, a classifier's per image.
     *
     * @throws OctetException where no output has a class axis (a detector's map: use the cosine)
     */
    double topAgreement(CompiledModel candidate) {
        long same = 0;
        long total = 0;
        for (int i = 0; i < inputs.size(); i++) {
            Map<String, Tensor> got = candidate.run(inputs.get(i));
            for (Map.Entry<String, Tensor> e : reference.get(i).entrySet()) {
                int[] shape = e.getValue().shape();
                int classes = shape.length == 0 ? 1 : shape[shape.length - 1];
                if (classes < 2) {
                    continue;
                }
                Tensor x = e.getValue();
                Tensor y = got.get(e.getKey());
                for (int base = 0; base < x.size(); base += classes) {
                    same += x.argmax(base, classes) == y.argmax(base, classes) ? 1 : 0;
                    total++;
                }
            }
        }
        if (total == 0) {
            throw new OctetException("no model output has a class axis (a last axis of 2 or more) to compare "
                    + "decisions on: use the output cosine (--min-cosine) as the fallback's budget");
        }
        return (double) same / total;
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
