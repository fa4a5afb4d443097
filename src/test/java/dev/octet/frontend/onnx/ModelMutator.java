package dev.octet.frontend.onnx;

import dev.octet.frontend.onnx.ProtoTree.Edit;
import dev.octet.frontend.onnx.ProtoTree.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic mutations of a model file: byte-level damage (bit flips, byte replacements, truncation, chunks cut
 * or repeated) aimed mostly at the file's structure rather than at its weights, and field-level edits through
 * {@link ProtoTree} (a varint spliced with a hostile or borrowed value, a name swapped for another, a field dropped
 * or repeated, raw data resized) that keep the protobuf valid so that the importer, the IR checks, shape inference
 * and the operators see the damage. The same random generator gives the same mutation.
 */
final class ModelMutator {
    /** One mutated file and how it was made, for reproduction. */
    record Mutation(String description, byte[] bytes) {
    }

    static final long[] INTERESTING = {0, 1, 2, 3, -1, -2, 4, 7, 8, 9, 10, 11, 13, 16, 17, 18, 99, 127, 128,
        255, 256, 65535, 65536, Integer.MAX_VALUE, 1L << 31, 1L << 32, (1L << 32) + 1, 1_000_000, 1_000_000_000_000L,
        Long.MAX_VALUE, Long.MIN_VALUE};
    private static final byte[] INTERESTING_BYTES = {0, (byte) 0xFF, 0x7F, (byte) 0x80, 1, 0x08, 0x12, 0x3A};

    private final ProtoTree tree;
    private final byte[] source;
    private final List<Field> varints = new ArrayList<>();
    private final List<Field> names = new ArrayList<>();
    private final List<Field> blobs = new ArrayList<>();
    private final List<Field> small = new ArrayList<>();
    private final List<Field> all;

    ModelMutator(ProtoTree tree) {
        this.tree = tree;
        this.source = tree.source();
        this.all = tree.fields();
        for (Field f : all) {
            if (f.wireType == ProtoTree.VARINT) {
                varints.add(f);
            } else if (f.isLeafBytes()) {
                (f.bytes.length <= 256 ? names : blobs).add(f);
            }
            if (f.end - f.start <= 64 || f.isMessage()) {
                small.add(f);
            }
        }
    }

    Mutation mutate(SplittableRandom rnd) {
        int kind = rnd.nextInt(12);
        return switch (kind) {
            case 0 -> bitFlips(rnd, true);
            case 1 -> bitFlips(rnd, false);
            case 2 -> byteReplace(rnd);
            case 3 -> truncate(rnd);
            case 4 -> chunk(rnd);
            default -> {
                Map<Field, Edit> edits = new IdentityHashMap<>();
                List<String> what = new ArrayList<>();
                int n = kind == 11 ? 2 + rnd.nextInt(3) : 1;
                for (int i = 0; i < n; i++) {
                    int k = kind == 11 ? 5 + rnd.nextInt(6) : kind;
                    what.add(edit(k, rnd, edits));
                }
                yield new Mutation(String.join("; ", what), tree.write(edits));
            }
        };
    }

    /** A byte offset inside the file's structure (tags, lengths, small fields, message headers). */
    private int structuralOffset(SplittableRandom rnd) {
        if (small.isEmpty()) {
            return rnd.nextInt(source.length);
        }
        Field f = small.get(rnd.nextInt(small.size()));
        return f.start + rnd.nextInt(Math.min(f.end - f.start, 12));
    }

    private Mutation bitFlips(SplittableRandom rnd, boolean structural) {
        byte[] b = source.clone();
        int n = 1 + rnd.nextInt(structural ? 4 : 8);
        StringBuilder sb = new StringBuilder(structural ? "bit flips in structure at" : "bit flips at");
        for (int i = 0; i < n; i++) {
            int at = structural ? structuralOffset(rnd) : rnd.nextInt(b.length);
            int bit = rnd.nextInt(8);
            b[at] ^= (byte) (1 << bit);
            sb.append(' ').append(at).append(':').append(bit);
        }
        return new Mutation(sb.toString(), b);
    }

    private Mutation byteReplace(SplittableRandom rnd) {
        byte[] b = source.clone();
        int n = 1 + rnd.nextInt(4);
        StringBuilder sb = new StringBuilder("bytes replaced at");
        for (int i = 0; i < n; i++) {
            int at = structuralOffset(rnd);
            b[at] = rnd.nextBoolean() ? INTERESTING_BYTES[rnd.nextInt(INTERESTING_BYTES.length)]
                    : (byte) rnd.nextInt(256);
            sb.append(' ').append(at).append("=0x").append(Integer.toHexString(b[at] & 0xFF));
        }
        return new Mutation(sb.toString(), b);
    }

    private Mutation truncate(SplittableRandom rnd) {
        int at;
        if (rnd.nextBoolean() || all.isEmpty()) {
            at = rnd.nextInt(source.length);
        } else {
            Field f = all.get(rnd.nextInt(all.size()));
            at = Math.clamp((rnd.nextBoolean() ? f.start : f.end) + rnd.nextInt(-2, 3), 0, source.length - 1);
        }
        return new Mutation("truncated to " + at + " of " + source.length + " bytes", Arrays.copyOf(source, at));
    }

    private Mutation chunk(SplittableRandom rnd) {
        int at = structuralOffset(rnd);
        int len = Math.min(1 + rnd.nextInt(64), source.length - at);
        byte[] b;
        String what;
        if (rnd.nextBoolean()) {
            b = new byte[source.length - len];
            System.arraycopy(source, 0, b, 0, at);
            System.arraycopy(source, at + len, b, at, source.length - at - len);
            what = "cut";
        } else {
            b = new byte[source.length + len];
            System.arraycopy(source, 0, b, 0, at + len);
            System.arraycopy(source, at, b, at + len, source.length - at);
            what = "repeated";
        }
        return new Mutation(len + " bytes at " + at + " " + what, b);
    }

    /** One field-level edit of the given kind (5..10); returns its description. */
    private String edit(int kind, SplittableRandom rnd, Map<Field, Edit> edits) {
        switch (kind) {
            case 5, 6 -> {
                if (varints.isEmpty()) {
                    break;
                }
                Field f = varints.get(rnd.nextInt(varints.size()));
                long v = newVarint(f.varint, rnd);
                edits.put(f, new Edit.SetVarint(v));
                return f.path + " = " + v + " (was " + f.varint + ")";
            }
            case 7 -> {
                if (names.isEmpty()) {
                    break;
                }
                Field f = names.get(rnd.nextInt(names.size()));
                byte[] v = newName(f.bytes, rnd);
                edits.put(f, new Edit.SetBytes(v));
                return f.path + " = '" + new String(v, StandardCharsets.UTF_8).replace("\n", "\\n") + "' (was '"
                        + new String(f.bytes, StandardCharsets.UTF_8) + "')";
            }
            case 8 -> {
                if (blobs.isEmpty()) {
                    break;
                }
                Field f = blobs.get(rnd.nextInt(blobs.size()));
                int len = switch (rnd.nextInt(4)) {
                    case 0 -> 0;
                    case 1 -> Math.max(0, f.bytes.length - 1 - rnd.nextInt(8));
                    case 2 -> f.bytes.length + 1 + rnd.nextInt(8);
                    default -> f.bytes.length / 2;
                };
                edits.put(f, new Edit.SetBytes(Arrays.copyOf(f.bytes, len)));
                return f.path + " resized from " + f.bytes.length + " to " + len + " bytes";
            }
            case 9 -> {
                Field f = all.get(rnd.nextInt(all.size()));
                edits.put(f, new Edit.Delete());
                return f.path + " deleted";
            }
            default -> {
                Field f = all.get(rnd.nextInt(all.size()));
                edits.put(f, new Edit.Duplicate());
                return f.path + " repeated";
            }
        }
        return "nothing to edit";
    }

    private long newVarint(long old, SplittableRandom rnd) {
        return switch (rnd.nextInt(6)) {
            case 0, 1 -> INTERESTING[rnd.nextInt(INTERESTING.length)];
            case 2 -> old + (rnd.nextBoolean() ? 1 : -1);
            case 3 -> rnd.nextBoolean() ? -old : old * (rnd.nextBoolean() ? 2 : 1000);
            case 4 -> varints.get(rnd.nextInt(varints.size())).varint;
            default -> rnd.nextLong(-300, 300);
        };
    }

    private byte[] newName(byte[] old, SplittableRandom rnd) {
        return switch (rnd.nextInt(5)) {
            case 0, 1 -> names.get(rnd.nextInt(names.size())).bytes;
            case 2 -> new byte[0];
            case 3 -> Arrays.copyOf(old, old.length / 2);
            default -> {
                byte[] b = new byte[1 + rnd.nextInt(12)];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(32) : rnd.nextInt(256));
                }
                yield b;
            }
        };
    }
}
