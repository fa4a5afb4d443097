package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;

/**
 * octet.QLinearLookup: each byte of the input replaced by its entry of a constant 256-entry table (a float island
 * between two 8-bit tensors, tabulated at compile time). Exactly the reference: both read the same table.
 */
public final class Int8LookupStep implements Step {
    private final String input;
    private final String output;
    private final DataType outputType;
    private final byte[] unsignedByBits;
    private final byte[] signedByBits;
    private final Step reference;

    /**
     * @param table the 256 outputs for the inputs from the input type's minimum up (the operator's table)
     * @param reference the node's reference step, for an input that is not 8-bit (which it rejects)
     */
    public Int8LookupStep(String input, String output, Tensor table, Step reference) {
        this.input = input;
        this.output = output;
        this.outputType = table.dtype();
        this.reference = reference;
        this.unsignedByBits = byBits(table.longs(), DataType.UINT8);
        this.signedByBits = byBits(table.longs(), DataType.INT8);
    }

    /** The table indexed by an input byte's bits (b & 0xFF), so that the loop needs no sign handling. */
    private static byte[] byBits(long[] table, DataType inputType) {
        byte[] t = new byte[256];
        for (int bits = 0; bits < 256; bits++) {
            long q = inputType == DataType.UINT8 ? bits : (byte) bits;
            t[bits] = (byte) table[(int) (q - inputType.minValue())];
        }
        return t;
    }

    @Override
    public void run(ExecutionContext ctx) {
        Tensor x = ctx.get(input);
        byte[] byBits = x.dtype() == DataType.UINT8 ? unsignedByBits : x.dtype() == DataType.INT8 ? signedByBits
                : null;
        if (byBits == null) {
            ctx.runReference(reference, this);
            return;
        }
        byte[] q = x.bytes();
        byte[] y = ctx.allocateBytes(q.length);
        ctx.pool().parallelFor(ElementChunks.count(y.length), (begin, end) -> {
            for (int i = ElementChunks.start(begin, y.length), e = ElementChunks.start(end, y.length); i < e; i++) {
                y[i] = byBits[q[i] & 0xFF];
            }
        });
        ctx.put(output, Tensor.ofBytes(outputType, x.shape(), y));
    }

    @Override
    public String describe() {
        return "java int8 Lookup";
    }
}
