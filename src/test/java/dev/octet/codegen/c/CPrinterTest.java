package dev.octet.codegen.c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.kernel.loop.Buffer;
import dev.octet.kernel.loop.Expr;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.kernel.loop.ScalarType;
import dev.octet.kernel.loop.Stmt;
import dev.octet.kernel.loop.Var;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CPrinterTest {
    @Test
    void printsALoopNestAsC() throws IOException {
        Buffer x = Buffer.input("x", ScalarType.F32);
        Buffer y = Buffer.output("y", ScalarType.F32);
        Var n = Var.i64("n");
        Var i = Var.i64("i");
        Var j = Var.i64("j");
        Expr idx = i.times(n).plus(j);
        Stmt body = Stmt.loop(i, LoopKernel.BEGIN, LoopKernel.END, new Stmt.For(j, Expr.of(0), n, 1,
                Stmt.Kind.VECTORIZED, y.store(idx, Expr.max(x.load(idx).times(Expr.f32(0.1)), Expr.f32(0)))));
        String c = CPrinter.translationUnit(new Headers(List.of("octet_runtime.h")),
                List.of(new LoopKernel("scale_relu", List.of(x, y), List.of(n), body)));
        String expected;
        try (InputStream in = CPrinterTest.class.getResourceAsStream("/golden/codegen/scale_relu.c")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(c).isEqualTo(expected);
    }

    @Test
    void floatConstantsAreExactAndIdentifiersAreChecked() {
        assertThat(CPrinter.real(0.1, ScalarType.F32)).isEqualTo("(0x1.99999ap-4f)");
        assertThat(CPrinter.real(0.1, ScalarType.F16)).isEqualTo("((_Float16)0x1.998p-4f)");
        assertThat(CPrinter.real(Double.NEGATIVE_INFINITY, ScalarType.F32)).isEqualTo("(-INFINITY)");
        // A name from a model could carry C; identifiers are Octet's own and validated.
        assertThatThrownBy(() -> Buffer.input("x); system(\"rm\"", ScalarType.F32))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
