package dev.octet.quant;

import dev.octet.ir.Tensor;

/** Agreement measures for quantized outputs. */
final class Numbers {
    private Numbers() {
    }

    static double cosine(Tensor a, Tensor b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.size(); i++) {
            double x = a.getDouble(i);
            double y = b.getDouble(i);
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return dot / Math.sqrt(na * nb);
    }

    static double maxAbsDiff(Tensor a, Tensor b) {
        double m = 0;
        for (int i = 0; i < a.size(); i++) {
            m = Math.max(m, Math.abs(a.getDouble(i) - b.getDouble(i)));
        }
        return m;
    }
}
