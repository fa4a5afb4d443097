package dev.octet.report;

/**
 * Octet and another runtime (ONNX Runtime) timed side by side: the same inputs and threads, runs alternating so
 * that both see the same machine load.
 *
 * @param rival the rival's name and version, e.g. "ONNX Runtime 1.29.0"
 * @param model the model file the rival ran (e.g. the fp32 ONNX model an int8 bundle was compiled from)
 * @param threads threads of both
 * @param runs timed runs of each, after a warm-up
 * @param octetMedianMs Octet's median
 * @param rivalMedianMs the rival's median
 * @param octetMinMs Octet's fastest run
 * @param rivalMinMs the rival's fastest run
 * @param agreement how the outputs compare (e.g. "cosine 0.99981, max |error| 0.031"), or null
 */
public record RivalTiming(String rival, String model, int threads, int runs, double octetMedianMs,
        double rivalMedianMs, double octetMinMs, double rivalMinMs, String agreement) {
    /** Rival median / Octet median: above 1, Octet is faster. */
    public double ratio() {
        return rivalMedianMs / octetMedianMs;
    }

    /** Two bars, Octet and the rival, with their medians. */
    Svg bars() {
        double max = LatencyBars.niceCeiling(Math.max(octetMedianMs, rivalMedianMs));
        Svg svg = new Svg(720, 62);
        bar(svg, 0, "Octet", octetMedianMs, octetMinMs, max, "#2ca02c");
        bar(svg, 1, rival, rivalMedianMs, rivalMinMs, max, "#7f7f7f");
        return svg;
    }

    private static void bar(Svg svg, int row, String name, double median, double min, double max, String colour) {
        double y = 6 + row * 26;
        double w = median / max * 380;
        svg.text(160, y + 15, "end", 12, "#222", LatencyBars.shorten(name, 24));
        svg.rect(166, y, w, 20, colour, name + ": median " + LatencyBars.ms(median) + ", min " + LatencyBars.ms(min));
        svg.text(170 + w, y + 15, "start", 11, "#222", "median " + LatencyBars.ms(median));
    }
}
