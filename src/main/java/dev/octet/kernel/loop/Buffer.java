package dev.octet.kernel.loop;

/**
 * A pointer parameter or local array of a kernel. Indexing is flat (in elements); templates compute the index
 * expressions. {@code readOnly} buffers print as {@code const}; all kernel buffers are {@code restrict}: Octet's
 * memory plan never hands a kernel overlapping buffers.
 */
public record Buffer(String name, ScalarType type, boolean readOnly) {
    public Buffer {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not an identifier: " + name);
        }
    }

    public static Buffer input(String name, ScalarType type) {
        return new Buffer(name, type, true);
    }

    public static Buffer output(String name, ScalarType type) {
        return new Buffer(name, type, false);
    }

    public Expr load(Expr index) {
        return new Expr.Load(this, index);
    }

    public Stmt store(Expr index, Expr value) {
        return new Stmt.Store(this, index, value);
    }
}
