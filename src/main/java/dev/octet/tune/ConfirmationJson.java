package dev.octet.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@link ConfirmationRecord} as a tuning-log line: {@code {"kind":"confirmation", "workload", "target", "timing",
 * "default": config, "best": config, "costs": [default, best] (empty where it failed), "noise", "rounds",
 * "verdict": "significant"|"within_noise"|"failed", "timestamp", "version"}}. Configurations are spelled as in a
 * measurement line.
 */
final class ConfirmationJson {
    static final String KIND = "confirmation";

    private ConfirmationJson() {
    }

    static ObjectNode toJson(ConfirmationRecord c) {
        ObjectNode o = TuningLog.JSON.createObjectNode();
        o.put("kind", KIND);
        o.put("workload", c.workload());
        o.put("target", c.target());
        o.put("timing", c.timing().key());
        o.set("default", TuningLog.configJson(c.baseline()));
        o.set("best", TuningLog.configJson(c.best()));
        var costs = o.putArray("costs");
        if (c.verdict() != ConfirmationRecord.Verdict.FAILED) {
            costs.add(c.baselineSeconds()).add(c.bestSeconds());
            o.put("noise", c.noise());
        }
        o.put("rounds", c.rounds());
        o.put("verdict", c.verdict().key());
        TuningLog.putStamp(o, c.timestamp(), c.octetVersion(), c.ccVersion());
        return o;
    }

    /** @throws IllegalArgumentException where the line is not a confirmation */
    static ConfirmationRecord fromJson(JsonNode o) {
        String kind = TuningLog.text(o, "kind");
        if (!kind.equals(KIND)) {
            throw new IllegalArgumentException("unknown record kind \"" + kind + "\"");
        }
        ConfirmationRecord.Verdict verdict = ConfirmationRecord.Verdict.parse(TuningLog.text(o, "verdict"));
        JsonNode costs = TuningLog.required(o, "costs");
        boolean timed = costs.isArray() && costs.size() == 2;
        if (verdict != ConfirmationRecord.Verdict.FAILED && (!timed || !o.hasNonNull("noise"))) {
            throw new IllegalArgumentException("a confirmation without failure has no [default, best] costs and noise");
        }
        JsonNode version = o.path("version");
        return new ConfirmationRecord(TuningLog.text(o, "workload"), TuningLog.text(o, "target"),
                Timing.parse(TuningLog.text(o, "timing")), TuningLog.config(TuningLog.required(o, "default")),
                TuningLog.config(TuningLog.required(o, "best")), timed ? costs.get(0).asDouble() : Double.NaN,
                timed ? costs.get(1).asDouble() : Double.NaN, timed ? o.get("noise").asDouble() : Double.NaN,
                o.path("rounds").asInt(), verdict, o.path("timestamp").asDouble(), version.path("octet").asText(""),
                version.path("cc").asText(""));
    }
}
