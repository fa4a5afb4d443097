package dev.octet.ir.op.math;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.OpContext;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * Element type conversions, as ONNX Cast defines them (and where it leaves them undefined, as C does them):
 * floats to integers truncate toward zero and then wrap to the type's width (NaN becomes 0, which ONNX leaves
 * undefined); integers wrap; to float types each value is rounded once; to BOOL a value is true unless it is 0;
 * numbers print as numpy prints them (shortest round-trip digits) and strings parse as decimal numbers, with
 * "NaN", "INF", "+INF" and "-INF" (any case) for the special values.
 */
final class Conversions {
    private Conversions() {
    }

    /** The tensor's values as type {@code to}. */
    static Tensor convert(OpContext ctx, Tensor x, DataType to) {
        DataType from = x.dtype();
        int n = x.size();
        if (from == to) {
            return x;
        }
        if (to == DataType.STRING) {
            String[] out = new String[n];
            for (int i = 0; i < n; i++) {
                out[i] = format(x, i);
            }
            return Tensor.of(to, x.shape(), out);
        }
        if (from == DataType.STRING) {
            return parse(ctx, x, to);
        }
        return switch (to) {
            case BOOL -> {
                boolean[] out = new boolean[n];
                for (int i = 0; i < n; i++) {
                    out[i] = x.getDouble(i) != 0; // NaN != 0: true, as in C
                }
                yield Tensor.of(to, x.shape(), out);
            }
            case FLOAT, FLOAT16, BFLOAT16, DOUBLE -> {
                double[] out = new double[n];
                for (int i = 0; i < n; i++) {
                    out[i] = from == DataType.INT64 || from == DataType.UINT64 ? longToDouble(to, x.getLong(i))
                            : x.getDouble(i);
                }
                yield Tensor.ofDoubles(to, x.shape(), out);
            }
            default -> {
                long[] out = new long[n];
                for (int i = 0; i < n; i++) {
                    long v = from.isFloat() ? (long) x.getDouble(i) : x.getLong(i);
                    out[i] = Elementwise.wrap(to, v);
                }
                yield Tensor.of(to, x.shape(), out);
            }
        };
    }

    /**
     * A 64-bit integer as a double that rounds once to the float type {@code to}: beyond 2^53 the conversion to
     * double is inexact, so for FLOAT it goes through Java's correctly rounded long-to-float conversion.
     */
    private static double longToDouble(DataType to, long v) {
        return to == DataType.FLOAT ? (float) v : (double) v;
    }

    private static String format(Tensor x, int i) {
        return switch (x.dtype()) {
            case BOOL -> x.booleans()[i] ? "True" : "False";
            case FLOAT -> formatFloat(x.floats()[i], Float.toString(x.floats()[i]));
            case DOUBLE -> formatFloat(x.doubles()[i], Double.toString(x.doubles()[i]));
            case FLOAT16, BFLOAT16 -> formatFloat(x.floats()[i], shortestHalf(x.dtype(), x.floats()[i]));
            default -> Long.toString(x.getLong(i));
        };
    }

    /** The fewest significant digits that read back as the same half-precision value. */
    private static String shortestHalf(DataType t, float v) {
        if (!Float.isFinite(v) || v == 0) {
            return Float.toString(v);
        }
        BigDecimal exact = new BigDecimal(v);
        for (int digits = 1; ; digits++) {
            BigDecimal candidate = exact.round(new MathContext(digits));
            if (Tensor.round(t, candidate.doubleValue()) == v) {
                return candidate.toString();
            }
        }
    }

    /** Formats shortest round-trip digits as numpy's repr does: positional from 1e-4 up to 1e16, else 1.5e-05. */
    private static String formatFloat(double v, String shortest) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "INF" : "-INF";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0.0" : "0.0";
        }
        BigDecimal d = new BigDecimal(shortest).stripTrailingZeros();
        double abs = Math.abs(v);
        if (abs >= 1e-4 && abs < 1e16) {
            String plain = d.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = d.unscaledValue().abs().toString();
        int exponent = d.precision() - d.scale() - 1;
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (v < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
    }

    private static Tensor parse(OpContext ctx, Tensor x, DataType to) {
        String[] in = x.strings();
        int n = in.length;
        if (to == DataType.BOOL) {
            boolean[] out = new boolean[n];
            for (int i = 0; i < n; i++) {
                String s = in[i].trim();
                out[i] = s.equalsIgnoreCase("true") || !s.equalsIgnoreCase("false") && parseDouble(ctx, s) != 0;
            }
            return Tensor.of(to, x.shape(), out);
        }
        if (to.isFloat()) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                double d = parseDouble(ctx, in[i]);
                // Parsed straight to float where the target is float, so that the value is rounded once.
                out[i] = to == DataType.FLOAT && Double.isFinite(d) ? Float.parseFloat(in[i].trim()) : d;
            }
            return Tensor.ofDoubles(to, x.shape(), out);
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            String s = in[i].trim();
            long v;
            try {
                v = Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
            } catch (NumberFormatException e) {
                v = (long) parseDouble(ctx, s);
            }
            out[i] = Elementwise.wrap(to, v);
        }
        return Tensor.of(to, x.shape(), out);
    }

    private static double parseDouble(OpContext ctx, String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "nan", "+nan", "-nan" -> {
                return Double.NaN;
            }
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
            }
        }
        // Java also reads hexadecimal and "1d"/"1f" suffixes; ONNX strings are plain decimal numbers.
        if (!s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)(e[+-]?\\d+)?")) {
            throw ctx.fail("cannot read the string '" + text + "' as a number");
        }
        return Double.parseDouble(s);
    }
}
