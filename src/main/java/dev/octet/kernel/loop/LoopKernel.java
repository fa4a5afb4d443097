package dev.octet.kernel.loop;

import java.util.List;

/**
 * One generated function: a name, its parameters (buffers and scalars, in call order) and a loop nest. What a
 * template builds for one workload and one configuration of its knobs; printers turn it into C or Java.
 *
 * <p>Every kernel takes its work range as the last two parameters {@code (int64_t begin, int64_t end)} over its
 * parallel axis; the runtime's Java threads split that range, so kernels themselves never start threads.
 */
public record LoopKernel(String name, List<Buffer> buffers, List<Var> scalars, Stmt body) {
    public LoopKernel {
        buffers = List.copyOf(buffers);
        scalars = List.copyOf(scalars);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not an identifier: " + name);
        }
    }

    public static final Var BEGIN = Var.i64("begin");
    public static final Var END = Var.i64("end");
}
