package dev.octet.ir;

/**
 * How a tensor's elements are ordered in memory. ONNX values are {@link #PLAIN} (row-major over their logical
 * dimensions, NCHW for images); the layout pass rewrites chains of convolutions to channel-blocked NCHW[x]c.
 */
public enum Layout {
    /** Row-major over the logical dimensions, as ONNX defines every tensor. */
    PLAIN(""),
    /** NCHW with channels in blocks of 4: shape [N, C/4, H, W, 4] (int8 4-way dot products). */
    NCHW4C("nchw4c"),
    /** NCHW with channels in blocks of 8 (fp32 AVX2 vectors). */
    NCHW8C("nchw8c");

    private final String tag;

    Layout(String tag) {
        this.tag = tag;
    }

    /** The suffix in Octet's text IR ("" for PLAIN). */
    public String tag() {
        return tag;
    }
}
