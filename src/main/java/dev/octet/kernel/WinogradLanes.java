package dev.octet.kernel;

import dev.octet.kernel.loop.Expr;
import dev.octet.kernel.loop.ScalarType;
import dev.octet.kernel.loop.Stmt;
import dev.octet.kernel.loop.Var;
import java.util.List;

/**
 * The straight-line fp32 code of a Winograd transform X = L D Lᵀ with a small constant matrix L, as loop-language
 * declarations of one vector lane ({@link WinogradTemplate}'s input and output transforms). Zero coefficients are
 * skipped and ±1 are adds, so the rounding chain is at most two passes of m+2 terms, as {@code verify.WinogradBound}
 * counts it.
 */
final class WinogradLanes {
    private WinogradLanes() {
    }

    /**
     * Declares X = L D Lᵀ for a small constant matrix L (rows × n) and n×n variables D, in two passes of
     * fp32 sums in index order (zero coefficients skipped, ±1 as adds): the computation the bound's chain length
     * counts. Returns X's variables.
     */
    static Var[][] sandwich(double[][] l, Var[][] dd, String mid, String res, List<Stmt> into) {
        int rowsL = l.length;
        int n = dd.length;
        Var[][] t = new Var[rowsL][n];
        for (int r = 0; r < rowsL; r++) {
            for (int s = 0; s < n; s++) {
                t[r][s] = new Var(mid + r + "_" + s, ScalarType.F32);
                Var[] column = new Var[n];
                for (int k = 0; k < n; k++) {
                    column[k] = dd[k][s];
                }
                into.add(new Stmt.Declare(t[r][s], dot(l[r], column)));
            }
        }
        Var[][] x = new Var[rowsL][rowsL];
        for (int r = 0; r < rowsL; r++) {
            for (int s = 0; s < rowsL; s++) {
                x[r][s] = new Var(res + r + "_" + s, ScalarType.F32);
                into.add(new Stmt.Declare(x[r][s], dot(l[s], t[r])));
            }
        }
        return x;
    }

    /** Σ_k c[k]·v[k] in index order, zero terms skipped; 0 where all are. */
    private static Expr dot(double[] c, Var[] v) {
        Expr sum = null;
        for (int k = 0; k < c.length; k++) {
            if (c[k] == 0) {
                continue;
            }
            boolean negative = c[k] < 0;
            Expr term = Math.abs(c[k]) == 1 ? v[k] : Expr.f32(Math.abs(c[k])).times(v[k]);
            if (sum == null) {
                sum = negative ? Expr.f32(0).minus(term) : term;
            } else {
                sum = negative ? sum.minus(term) : sum.plus(term);
            }
        }
        return sum == null ? Expr.f32(0) : sum;
    }
}
