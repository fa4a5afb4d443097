package dev.octet.quant;

import dev.octet.ir.OctetException;

/** A graph or a set of ranges that the quantizer cannot turn into a QDQ graph, with one line saying why. */
public final class QuantizationException extends OctetException {
    public QuantizationException(String message) {
        super(message);
    }
}
