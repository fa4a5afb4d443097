package dev.octet.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/** Shared pieces of the reports' JSON form. */
final class Reports {
    private Reports() {
    }

    /** {"value": ..., "ci95": [low, high]} */
    static Map<String, Object> json(ConfidenceInterval ci) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", ci.estimate());
        m.put("ci95", new double[] {ci.low(), ci.high()});
        return m;
    }
}
