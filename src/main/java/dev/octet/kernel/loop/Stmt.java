package dev.octet.kernel.loop;

import java.util.List;

/** Statements of the loop language. */
public sealed interface Stmt permits Stmt.For, Stmt.Store, Stmt.Seq, Stmt.Declare, Stmt.Assign, Stmt.If,
        Stmt.Eval, Stmt.LocalArray {

    /** How a loop is executed: a plain loop, unrolled by the C compiler, or a hint that its body is vectorizable. */
    enum Kind { SERIAL, UNROLLED, VECTORIZED }

    /** for (var = start; var &lt; end; var += step) body. */
    record For(Var var, Expr start, Expr end, long step, Kind kind, Stmt body) implements Stmt {
        public For {
            if (step <= 0) {
                throw new IllegalArgumentException("step " + step);
            }
        }
    }

    record Store(Buffer buffer, Expr index, Expr value) implements Stmt {
    }

    record Seq(List<Stmt> body) implements Stmt {
        public Seq {
            body = List.copyOf(body);
        }
    }

    /** Declares a mutable local scalar with an initial value; visible in the rest of the enclosing Seq. */
    record Declare(Var var, Expr init) implements Stmt {
    }

    record Assign(Var var, Expr value) implements Stmt {
    }

    record If(Expr condition, Stmt then, Stmt otherwise) implements Stmt {
    }

    /** Evaluates a call for its side effects (a micro-kernel writing into a buffer). */
    record Eval(Expr.Call call) implements Stmt {
    }

    /** A 64-byte aligned local array (packing buffers, accumulator tiles), visible in {@code body}. */
    record LocalArray(Buffer buffer, long size, Stmt body) implements Stmt {
    }

    static Stmt seq(Stmt... body) {
        return new Seq(List.of(body));
    }

    static Stmt loop(Var v, Expr start, Expr end, Stmt body) {
        return new For(v, start, end, 1, Kind.SERIAL, body);
    }

    static Stmt loop(Var v, long extent, Stmt body) {
        return new For(v, Expr.of(0), Expr.of(extent), 1, Kind.SERIAL, body);
    }
}
