package dev.octet.ir.op.tensor;

import dev.octet.ir.Dim;
import dev.octet.ir.OctetException;
import dev.octet.ir.Shapes;
import java.util.ArrayList;
import java.util.List;

/**
 * Arithmetic on symbolic shapes for the shape operators' inference. Evaluation goes through the same functions
 * with concrete dimensions, so inference and evaluation cannot disagree.
 */
final class Dims {
    private Dims() {
    }

    static List<Dim> of(int[] shape) {
        List<Dim> dims = new ArrayList<>(shape.length);
        for (int d : shape) {
            dims.add(Dim.of(d));
        }
        return dims;
    }

    static List<Dim> unknown(int rank) {
        List<Dim> dims = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            dims.add(Dim.unknown());
        }
        return dims;
    }

    /** The concrete shape of fully known dimensions; fails clearly on a shape too large for a Java array. */
    static int[] concrete(List<Dim> dims, String what) {
        long[] s = new long[dims.size()];
        for (int i = 0; i < s.length; i++) {
            if (!dims.get(i).isKnown()) {
                throw new IllegalStateException(what + ": dimension " + i + " of " + dims + " is not known");
            }
            s[i] = dims.get(i).value();
        }
        return Shapes.toIntShape(s, what);
    }

    /**
     * Fails when the known dimensions alone already make a tensor too large for a Java array, so that a fuzzed
     * shape is rejected at inference, before anything is allocated.
     */
    static List<Dim> checkSize(List<Dim> dims, String what) {
        long n = 1;
        for (Dim d : dims) {
            if (d.isKnown()) {
                if (d.value() == 0) {
                    return dims;
                }
                n = times(n, d.value(), what);
            }
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new OctetException(what + ": shape " + dims + " has more than 2^31 elements");
        }
        return dims;
    }

    /** a·b, failing clearly instead of overflowing. */
    static long times(long a, long b, String what) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if ((hi != 0 || lo < 0) && (hi != -1 || lo >= 0)) {
            throw new OctetException(what + ": size " + a + " x " + b + " overflows");
        }
        return lo;
    }

    /**
     * The product of dimensions: known when all are, the one symbolic dimension when the rest are 1, else unknown.
     */
    static Dim product(List<Dim> dims, String what) {
        long known = 1;
        Dim symbolic = null;
        int unknown = 0;
        for (Dim d : dims) {
            if (d.isKnown()) {
                known = times(known, d.value(), what);
            } else {
                unknown++;
                symbolic = d;
            }
        }
        if (unknown == 0) {
            return Dim.of(known);
        }
        return unknown == 1 && known == 1 ? symbolic : Dim.unknown();
    }

    /**
     * The dimension x such that product(whole) = x · product(part), where it can be told: known sizes divide,
     * and a symbolic dimension of {@code part} cancels the same symbol of {@code whole}. Fails when known sizes
     * cannot divide.
     */
    static Dim quotient(List<Dim> whole, List<Dim> part, String what) {
        long wholeKnown = 1;
        List<Dim> wholeSymbols = new ArrayList<>();
        for (Dim d : whole) {
            if (d.isKnown()) {
                wholeKnown = times(wholeKnown, d.value(), what);
            } else {
                wholeSymbols.add(d);
            }
        }
        long partKnown = 1;
        for (Dim d : part) {
            if (d.isKnown()) {
                partKnown = times(partKnown, d.value(), what);
            } else if (d.symbol() == null || !wholeSymbols.remove(d)) {
                return Dim.unknown();
            }
        }
        if (partKnown == 0) {
            throw new OctetException(what + ": the size of -1 is ambiguous next to a dimension of size 0");
        }
        if (wholeSymbols.isEmpty()) {
            if (wholeKnown % partKnown != 0) {
                throw new OctetException(what + ": " + wholeKnown + " elements cannot be split into parts of "
                        + partKnown);
            }
            return Dim.of(wholeKnown / partKnown);
        }
        if (wholeSymbols.size() == 1 && wholeKnown == partKnown && wholeSymbols.get(0).symbol() != null) {
            return wholeSymbols.get(0);
        }
        return Dim.unknown();
    }
}
