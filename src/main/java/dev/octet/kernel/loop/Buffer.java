package dev.octet.kernel.loop;

/**
 * A pointer parameter or local array of a kernel. Indexing is flat (in elements); templates compute the index
 * expressions. {@code readOnly} buffers print as {@code const}. Kernel buffers are {@code restrict} unless
 * {@code shared}: the runtime hands a kernel overlapping buffers only where its template declared both of them
 * shared (a conv that writes its output over the residual it adds, see ConvGemmTemplate#writesOverResidual).
 */
public record Buffer(String name, ScalarType type, boolean readOnly, boolean shared) {
    public Buffer {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not an identifier: " + name);
        }
    }

    public static Buffer input(String name, ScalarType type) {
        return new Buffer(name, type, true, false);
    }

    public static Buffer output(String name, ScalarType type) {
        return new Buffer(name, type, false, false);
    }

    /** This buffer, printed without {@code restrict}: the runtime may pass it the memory of another shared one. */
    public Buffer asShared() {
        return new Buffer(name, type, readOnly, true);
    }

    public Expr load(Expr index) {
        return new Expr.Load(this, index);
    }

    public Stmt store(Expr index, Expr value) {
        return new Stmt.Store(this, index, value);
    }
}
