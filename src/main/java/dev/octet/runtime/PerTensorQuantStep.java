package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;

/**
 * What {@link QuantizeStep} and {@link DequantizeStep} share: one constant per-tensor (scale, zero point) between
 * fp32 and an 8-bit type, applied where the input has the type the step was compiled for; any other input type
 * runs the reference step, so a step built for one type never reinterprets another's bytes.
 */
abstract class PerTensorQuantStep implements Step {
    private final String input;
    private final String output;
    protected final float scale;
    protected final long zeroPoint;
    /** The 8-bit type of the quantized side (the output of a quantize, the input of a dequantize). */
    protected final DataType type;
    private final Step reference;

    PerTensorQuantStep(String input, String output, float scale, long zeroPoint, DataType type, Step reference) {
        this.input = input;
        this.output = output;
        this.scale = scale;
        this.zeroPoint = zeroPoint;
        this.type = type;
        this.reference = reference;
    }

    @Override
    public final void run(ExecutionContext ctx) {
        Tensor x = ctx.get(input);
        if (x.dtype() != inputType()) {
            ctx.runReference(reference, this);
            return;
        }
        ctx.put(output, convert(x, ctx.pool()));
    }

    /** The input type this step converts; others run the reference. */
    abstract DataType inputType();

    /** The converted tensor, element by element with the formula of {@code QuantMath}. */
    abstract Tensor convert(Tensor x, WorkPool pool);
}
