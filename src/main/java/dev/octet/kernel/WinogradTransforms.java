package dev.octet.kernel;

/**
 * The three matrices of Winograd's minimal filtering F(m×m, 3×3) (Lavin and Gray, 2016): with a tile of
 * (m+2)×(m+2) inputs d and a 3×3 filter g, the m×m outputs are Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A, exact over the
 * rationals. Bᵀ and Aᵀ have small integer entries (exact in fp32), G has fractions (1/2; 1/4, 1/6, 1/12, 1/24),
 * which is why the weights are transformed once in double and rounded once to float. The same matrices drive the
 * kernel ({@link WinogradTemplate}) and the verifier's magnitude ({@code verify.WinogradBound}), and a test can
 * plant a wrong one.
 *
 * @param m output tile size (2 or 4)
 * @param bt Bᵀ, (m+2)×(m+2)
 * @param g G, (m+2)×3
 * @param at Aᵀ, m×(m+2)
 */
public record WinogradTransforms(int m, double[][] bt, double[][] g, double[][] at) {
    public WinogradTransforms {
        int n = m + 2;
        if (bt.length != n || g.length != n || at.length != m) {
            throw new IllegalArgumentException("matrices do not match F(" + m + "x" + m + ",3x3)");
        }
        bt = copy(bt);
        g = copy(g);
        at = copy(at);
    }

    /** The standard matrices of F(m×m, 3×3), m = 2 or 4. */
    public static WinogradTransforms of(int m) {
        return switch (m) {
            case 2 -> new WinogradTransforms(2,
                    new double[][] {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}},
                    new double[][] {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}},
                    new double[][] {{1, 1, 1, 0}, {0, 1, -1, -1}});
            case 4 -> new WinogradTransforms(4,
                    new double[][] {{4, 0, -5, 0, 1, 0}, {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0},
                            {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}},
                    new double[][] {{1 / 4.0, 0, 0}, {-1 / 6.0, -1 / 6.0, -1 / 6.0}, {-1 / 6.0, 1 / 6.0, -1 / 6.0},
                            {1 / 24.0, 1 / 12.0, 1 / 6.0}, {1 / 24.0, -1 / 12.0, 1 / 6.0}, {0, 0, 1}},
                    new double[][] {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0},
                            {0, 1, -1, 8, -8, 1}});
            default -> throw new IllegalArgumentException("no Winograd F(" + m + "x" + m + ",3x3) transforms");
        };
    }

    /** The input tile's side, m + 2. */
    public int tile() {
        return m + 2;
    }

    /** Transformed positions per tile, (m+2)². */
    public int positions() {
        return (m + 2) * (m + 2);
    }

    /** A copy with entry [i][j] of one matrix ("bt", "g" or "at") replaced: for tests that plant a wrong kernel. */
    public WinogradTransforms withEntry(String matrix, int i, int j, double value) {
        double[][] b = copy(bt);
        double[][] gg = copy(g);
        double[][] a = copy(at);
        (switch (matrix) {
            case "bt" -> b;
            case "g" -> gg;
            case "at" -> a;
            default -> throw new IllegalArgumentException(matrix);
        })[i][j] = value;
        return new WinogradTransforms(m, b, gg, a);
    }

    /** U = G g Gᵀ of one 3×3 filter g (row-major, at offset), (m+2)² values row-major, in double. */
    public double[] transformFilter(float[] filter, int offset) {
        int n = tile();
        double[] t = new double[n * 3];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < 3; l++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += g[i][k] * filter[offset + k * 3 + l];
                }
                t[i * 3 + l] = s;
            }
        }
        double[] u = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int l = 0; l < 3; l++) {
                    s += t[i * 3 + l] * g[j][l];
                }
                u[i * n + j] = s;
            }
        }
        return u;
    }

    /** The matrix of absolute values, for the magnitude run of the error bound. */
    public WinogradTransforms abs() {
        return new WinogradTransforms(m, absOf(bt), absOf(g), absOf(at));
    }

    private static double[][] absOf(double[][] a) {
        double[][] o = copy(a);
        for (double[] row : o) {
            for (int j = 0; j < row.length; j++) {
                row[j] = Math.abs(row[j]);
            }
        }
        return o;
    }

    private static double[][] copy(double[][] a) {
        double[][] o = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            o[i] = a[i].clone();
        }
        return o;
    }
}
