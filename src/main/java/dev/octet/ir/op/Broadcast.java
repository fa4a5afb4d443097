package dev.octet.ir.op;

import dev.octet.ir.Dim;
import dev.octet.ir.OctetException;
import dev.octet.ir.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Numpy-style multidirectional broadcasting, as ONNX defines it: the one place its rules are written. */
public final class Broadcast {
    private Broadcast() {
    }

    /** The broadcast shape of concrete shapes; fails naming both shapes. */
    public static int[] shape(int[]... shapes) {
        int rank = 0;
        for (int[] s : shapes) {
            rank = Math.max(rank, s.length);
        }
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        for (int[] s : shapes) {
            for (int i = 0; i < s.length; i++) {
                int o = rank - s.length + i;
                if (s[i] == out[o] || s[i] == 1) {
                    continue;
                }
                if (out[o] != 1) {
                    throw new OctetException("shapes " + describe(shapes) + " cannot be broadcast together");
                }
                out[o] = s[i];
            }
        }
        return out;
    }

    /** The broadcast of symbolic shapes; an unknown dimension against 1 or itself stays as it is. */
    public static List<Dim> dims(List<List<Dim>> shapes) {
        int rank = 0;
        for (List<Dim> s : shapes) {
            rank = Math.max(rank, s.size());
        }
        List<Dim> out = new ArrayList<>();
        for (int o = 0; o < rank; o++) {
            Dim acc = Dim.of(1);
            for (List<Dim> s : shapes) {
                int i = o - (rank - s.size());
                if (i < 0) {
                    continue;
                }
                Dim d = s.get(i);
                if (d.isKnown() && d.value() == 1) {
                    continue;
                }
                if (acc.isKnown() && acc.value() == 1) {
                    acc = d;
                } else if (d.isKnown() && acc.isKnown() && d.value() != acc.value()) {
                    throw new OctetException("shapes " + shapes + " cannot be broadcast together");
                } else if (d.isKnown()) {
                    acc = d;
                } else if (!acc.isKnown() && !d.equals(acc)) {
                    acc = Dim.unknown();
                }
            }
            out.add(acc);
        }
        return out;
    }

    /**
     * For each element of the broadcast output, in row-major order, the flat index of the element of an input of
     * shape {@code in} that it reads.
     */
    public static int[] indexMap(int[] in, int[] out) {
        int n = Shapes.size(out);
        int[] map = new int[n];
        int[] inStrides = Shapes.strides(in);
        int offset = out.length - in.length;
        int[] idx = new int[out.length];
        for (int flat = 0; flat < n; flat++) {
            int src = 0;
            for (int i = 0; i < in.length; i++) {
                if (in[i] != 1) {
                    src += idx[i + offset] * inStrides[i];
                }
            }
            map[flat] = src;
            for (int d = out.length - 1; d >= 0; d--) {
                if (++idx[d] < out[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return map;
    }

    private static String describe(int[][] shapes) {
        StringBuilder sb = new StringBuilder();
        for (int[] s : shapes) {
            sb.append(sb.isEmpty() ? "" : " and ").append(Arrays.toString(s));
        }
        return sb.toString();
    }
}
