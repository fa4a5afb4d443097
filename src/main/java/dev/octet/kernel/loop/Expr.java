package dev.octet.kernel.loop;

import java.util.List;

/** Expressions of the loop language: side-effect free, except calls. */
public sealed interface Expr permits Var, Expr.Int, Expr.Real, Expr.Bin, Expr.Load, Expr.Call, Expr.Select,
        Expr.Cast, Expr.AddressOf {

    /** Binary operators; comparisons and logic give 0/1. DIV and MOD truncate toward zero, as in C. */
    enum Op {
        ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%"), MIN(null), MAX(null), LT("<"), LE("<="), EQ("=="),
        NE("!="), AND("&&"), OR("||"), SHR(">>"), SHL("<<"), BITAND("&");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        /** The C infix symbol, or null for MIN/MAX (printed as calls). */
        public String symbol() {
            return symbol;
        }
    }

    record Int(long value) implements Expr {
    }

    record Real(double value, ScalarType type) implements Expr {
    }

    record Bin(Op op, Expr a, Expr b) implements Expr {
    }

    record Load(Buffer buffer, Expr index) implements Expr {
    }

    /** A call of a function of Octet's C headers (a micro-kernel or math function); never a name from a model. */
    record Call(String function, List<Expr> args) implements Expr {
        public Call {
            args = List.copyOf(args);
            if (!function.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("not an identifier: " + function);
            }
        }
    }

    record Select(Expr condition, Expr ifTrue, Expr ifFalse) implements Expr {
    }

    record Cast(ScalarType type, Expr value) implements Expr {
    }

    /** The address of buffer[index], to hand a sub-block to a micro-kernel. */
    record AddressOf(Buffer buffer, Expr index) implements Expr {
    }

    static Expr of(long v) {
        return new Int(v);
    }

    static Expr f32(double v) {
        return new Real(v, ScalarType.F32);
    }

    default Expr plus(Expr o) {
        return new Bin(Op.ADD, this, o);
    }

    default Expr plus(long o) {
        return o == 0 ? this : plus(of(o));
    }

    default Expr minus(Expr o) {
        return new Bin(Op.SUB, this, o);
    }

    default Expr times(Expr o) {
        return new Bin(Op.MUL, this, o);
    }

    default Expr times(long o) {
        return o == 1 ? this : times(of(o));
    }

    default Expr div(Expr o) {
        return new Bin(Op.DIV, this, o);
    }

    default Expr lt(Expr o) {
        return new Bin(Op.LT, this, o);
    }

    static Expr min(Expr a, Expr b) {
        return new Bin(Op.MIN, a, b);
    }

    static Expr max(Expr a, Expr b) {
        return new Bin(Op.MAX, a, b);
    }
}
