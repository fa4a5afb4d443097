package dev.octet.verify;

import dev.octet.kernel.WinogradTransforms;

/**
 * The error bound a correct fp32 Winograd F(m×m, 3×3) kernel meets (DESIGN.md invariant 2, for the transformed
 * algorithm; {@link FloatBound} is the direct one). The computed output is a sum of products of transform entries,
 * weights and inputs, each term carried through a chain of at most n fp32 roundings, so (Higham, "Accuracy and
 * Stability of Numerical Algorithms", §3.1; Lavin and Gray's error growth is the size of M)
 * |y − y_exact| ≤ γ_n · M with γ_n = n·u / (1 − n·u), u = 2^-24, and M the same algorithm run on absolute values:
 * M = |Aᵀ| [Σ_c (|G| |g| |Gᵀ|) ⊙ (|Bᵀ| |d| |B|)] |A|, in double ({@link #magnitude}). M grows with the transforms'
 * entries (much more for m = 4 than m = 2), which is what makes Winograd less accurate than direct convolution.
 * The chain ({@link #chainLength}): the weight transform (computed in double, rounded once to float: 2), the input
 * transform (two passes of at most m+2 terms, each a constant multiply and an add: 2(m+2)), the product summed over
 * C input channels in any order (C), the output transform (2(m+2)); each fused epilogue step and the final
 * comparison with the rounded reference add one more, as in {@link FloatBound}.
 */
public final class WinogradBound {
    private WinogradBound() {
    }

    /** n of γ_n for one output of a convolution over {@code inChannels} channels, epilogue not included. */
    public static int chainLength(WinogradTransforms t, int inChannels) {
        return 2 + 4 * t.tile() + inChannels;
    }

    /** γ_n = n·u / (1 − n·u). */
    public static double gamma(int n) {
        double nu = n * FloatBound.U32;
        return nu / (1 - nu);
    }

    /**
     * M per output {@code [batch][cout][oh][ow]}: the Winograd algorithm with the given transforms on absolute
     * values of the 3×3 weights {@code [cout][cin][3][3]} and the input {@code [batch][cin][h][w]} (0 outside,
     * pads top and left; tiles start at output (0, 0), as the kernel's do).
     */
    public static double[] magnitude(WinogradTransforms t, float[] x, int batch, int cin, int h, int w, int pt,
            int pl, float[] weights, int cout, int oh, int ow) {
        WinogradTransforms a = t.abs();
        int m = t.m();
        int n = t.tile();
        int p = t.positions();
        double[] u = new double[cout * cin * p];
        float[] absW = new float[weights.length];
        for (int i = 0; i < weights.length; i++) {
            absW[i] = Math.abs(weights[i]);
        }
        for (int k = 0; k < cout * cin; k++) {
            System.arraycopy(a.transformFilter(absW, k * 9), 0, u, k * p, p);
        }
        double[] out = new double[batch * cout * oh * ow];
        double[] d = new double[n * n];
        double[] v = new double[cin * p];
        double[] s = new double[p];
        for (int b = 0; b < batch; b++) {
            for (int ty = 0; ty < oh; ty += m) {
                for (int tx = 0; tx < ow; tx += m) {
                    for (int c = 0; c < cin; c++) {
                        for (int i = 0; i < n; i++) {
                            for (int j = 0; j < n; j++) {
                                int yy = ty - pt + i;
                                int xx = tx - pl + j;
                                boolean inside = yy >= 0 && yy < h && xx >= 0 && xx < w;
                                d[i * n + j] = inside ? Math.abs(x[((b * cin + c) * h + yy) * w + xx]) : 0;
                            }
                        }
                        System.arraycopy(sandwich(a.bt(), d, n), 0, v, c * p, p);
                    }
                    for (int oc = 0; oc < cout; oc++) {
                        java.util.Arrays.fill(s, 0);
                        for (int c = 0; c < cin; c++) {
                            int uo = (oc * cin + c) * p;
                            for (int q = 0; q < p; q++) {
                                s[q] += u[uo + q] * v[c * p + q];
                            }
                        }
                        double[] y = sandwich(a.at(), s, n);
                        for (int i = 0; i < m && ty + i < oh; i++) {
                            for (int j = 0; j < m && tx + j < ow; j++) {
                                out[((b * cout + oc) * oh + ty + i) * ow + tx + j] = y[i * m + j];
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** L D Lᵀ of an n×n row-major D, L rows × n. */
    private static double[] sandwich(double[][] l, double[] d, int n) {
        int r = l.length;
        double[] t = new double[r * n];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int k = 0; k < n; k++) {
                    acc += l[i][k] * d[k * n + j];
                }
                t[i * n + j] = acc;
            }
        }
        double[] o = new double[r * r];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < r; j++) {
                double acc = 0;
                for (int k = 0; k < n; k++) {
                    acc += t[i * n + k] * l[j][k];
                }
                o[i * r + j] = acc;
            }
        }
        return o;
    }

    /**
     * Null if every element is within γ_(chain + roundings + 1) · magnitude (+ the smallest normal, for
     * underflow), else the first violation.
     *
     * @param exact the reference result (in double, then rounded once to f32)
     * @param magnitude {@link #magnitude}, carried through the epilogue's Lipschitz bounds (+|bias|, +|residual|)
     * @param chain {@link #chainLength}
     * @param roundings further roundings after the output transform (epilogue steps)
     */
    public static String check(float[] actual, float[] exact, float[] magnitude, int chain, int roundings) {
        double gamma = gamma(chain + roundings + 1);
        for (int i = 0; i < actual.length; i++) {
            double bound = gamma * Math.abs(magnitude[i]) + Float.MIN_NORMAL;
            double err = Math.abs((double) actual[i] - exact[i]);
            if (!(err <= bound)) {
                return "element " + i + " is " + actual[i] + ", reference " + exact[i] + ": error " + err
                        + " exceeds the Winograd bound " + bound;
            }
        }
        return null;
    }
}
