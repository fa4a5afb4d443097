package dev.octet.report;

/**
 * One step of a compiled model and its measured time.
 *
 * @param index the step's index (its node's in the compiled graph)
 * @param node the node's name
 * @param opType the node's operator
 * @param implementation what runs it ({@link dev.octet.runtime.Step#describe}: template and configuration, e.g.
 *     "conv_gemm[kc=256,nc=64,order=0,tile=1]", or "reference Softmax")
 * @param medianMs the median of its time over the timed runs, in milliseconds
 */
public record LayerLatency(int index, String node, String opType, String implementation, double medianMs) {
    /** The template (or kind of step): the implementation up to its configuration, e.g. "conv_gemm". */
    public String template() {
        int end = firstOf(implementation, '[', ' ');
        return end < 0 ? implementation : implementation.substring(0, end);
    }

    /** The configuration and anything else the description says after the template ("" where nothing). */
    public String config() {
        int end = firstOf(implementation, '[', ' ');
        if (end < 0) {
            return "";
        }
        String rest = implementation.substring(end).strip();
        // "[kc=256,nc=64]" alone is a knob list: shown without its brackets
        return rest.startsWith("[") && rest.indexOf(']') == rest.length() - 1 ? rest.substring(1, rest.length() - 1)
                : rest;
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }
}
