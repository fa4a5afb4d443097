package dev.octet.frontend.onnx;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A protobuf message as a tree of wire-format fields, guided by the message descriptors (which fields hold
 * sub-messages, which hold packed varints), so that the fuzzer can change one field and write the message back
 * with every enclosing length recomputed: a structurally valid file with one hostile value in it.
 *
 * <p>Fields keep their byte range in the original file, for byte-level mutations aimed at structure rather than
 * at the megabytes of weights.
 */
final class ProtoTree {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH = 2;
    static final int FIXED32 = 5;

    /** One field occurrence; a packed element has no tag of its own. */
    static final class Field {
        final Field parent;
        final String path;
        final int number;
        final int wireType;
        final boolean packedElement;
        final int start;
        final int end;
        long varint;
        byte[] bytes;
        List<Field> children;

        Field(Field parent, String path, int number, int wireType, boolean packedElement, int start, int end) {
            this.parent = parent;
            this.path = path;
            this.number = number;
            this.wireType = wireType;
            this.packedElement = packedElement;
            this.start = start;
            this.end = end;
        }

        boolean isMessage() {
            return children != null && !isPacked();
        }

        boolean isPacked() {
            return children != null && !children.isEmpty() && children.get(0).packedElement;
        }

        boolean isLeafBytes() {
            return wireType == LENGTH && children == null;
        }

        @Override
        public String toString() {
            return path;
        }
    }

    /** What to do with one field when writing the tree back. */
    sealed interface Edit {
        record SetVarint(long value) implements Edit {
        }

        record SetBytes(byte[] value) implements Edit {
        }

        record Delete() implements Edit {
        }

        record Duplicate() implements Edit {
        }
    }

    private final byte[] source;
    private final List<Field> top;
    private final List<Field> all = new ArrayList<>();

    private ProtoTree(byte[] source, Descriptor root) {
        this.source = source;
        this.top = parse(null, root.getName(), root, 0, source.length, 0);
        if (top == null) {
            throw new IllegalArgumentException("not a valid " + root.getName());
        }
    }

    static ProtoTree parse(byte[] bytes, Descriptor root) {
        return new ProtoTree(bytes, root);
    }

    /** Every field of the tree, depth first. */
    List<Field> fields() {
        return all;
    }

    byte[] source() {
        return source;
    }

    /** Parses [from, to) as a message of type d, or null if it is not one. */
    private List<Field> parse(Field parent, String path, Descriptor d, int from, int to, int depth) {
        if (depth > 64) {
            return null;
        }
        List<Field> out = new ArrayList<>();
        Map<Integer, Integer> seen = new java.util.HashMap<>();
        int before = all.size();
        int[] pos = {from};
        while (pos[0] < to) {
            int start = pos[0];
            long tag = readVarint(pos, to);
            if (tag < 0 || (tag >>> 3) == 0 || (tag >>> 3) > Integer.MAX_VALUE) {
                truncateAll(before);
                return null;
            }
            int number = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            FieldDescriptor fd = d == null ? null : d.findFieldByNumber(number);
            int index = seen.merge(number, 1, Integer::sum) - 1;
            String name = path + "." + (fd == null ? "#" + number : fd.getName())
                    + (fd != null && fd.isRepeated() ? "[" + index + "]" : "");
            Field f;
            switch (wire) {
                case VARINT -> {
                    long v = readVarint(pos, to);
                    if (v == Long.MIN_VALUE + 1) {
                        truncateAll(before);
                        return null;
                    }
                    f = new Field(parent, name, number, wire, false, start, pos[0]);
                    f.varint = v;
                }
                case FIXED64, FIXED32 -> {
                    int n = wire == FIXED64 ? 8 : 4;
                    if (to - pos[0] < n) {
                        truncateAll(before);
                        return null;
                    }
                    f = new Field(parent, name, number, wire, false, start, pos[0] + n);
                    f.bytes = java.util.Arrays.copyOfRange(source, pos[0], pos[0] + n);
                    pos[0] += n;
                }
                case LENGTH -> {
                    long len = readVarint(pos, to);
                    if (len < 0 || len > to - pos[0]) {
                        truncateAll(before);
                        return null;
                    }
                    int bodyStart = pos[0];
                    int bodyEnd = bodyStart + (int) len;
                    f = new Field(parent, name, number, wire, false, start, bodyEnd);
                    all.add(f);
                    if (fd != null && fd.getType() == FieldDescriptor.Type.MESSAGE) {
                        f.children = parse(f, name, fd.getMessageType(), bodyStart, bodyEnd, depth + 1);
                    } else if (fd != null && fd.isRepeated() && isVarintType(fd)) {
                        f.children = packed(f, name, bodyStart, bodyEnd);
                    }
                    if (f.children == null) {
                        f.bytes = java.util.Arrays.copyOfRange(source, bodyStart, bodyEnd);
                    }
                    pos[0] = bodyEnd;
                    out.add(f);
                    continue;
                }
                default -> {
                    truncateAll(before);
                    return null;
                }
            }
            all.add(f);
            out.add(f);
        }
        return out;
    }

    private void truncateAll(int size) {
        while (all.size() > size) {
            all.remove(all.size() - 1);
        }
    }

    private List<Field> packed(Field parent, String path, int from, int to) {
        List<Field> out = new ArrayList<>();
        int before = all.size();
        int[] pos = {from};
        while (pos[0] < to) {
            int start = pos[0];
            long v = readVarint(pos, to);
            if (v == Long.MIN_VALUE + 1) {
                truncateAll(before);
                return null;
            }
            Field f = new Field(parent, path + "{" + out.size() + "}", parent.number, VARINT, true, start, pos[0]);
            f.varint = v;
            all.add(f);
            out.add(f);
        }
        return out;
    }

    private static boolean isVarintType(FieldDescriptor fd) {
        return switch (fd.getType()) {
            case INT32, INT64, UINT32, UINT64, SINT32, SINT64, BOOL, ENUM -> true;
            default -> false;
        };
    }

    /** Reads a varint; Long.MIN_VALUE + 1 marks a malformed one (too long or past the end). */
    private long readVarint(int[] pos, int to) {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos[0] >= to) {
                return Long.MIN_VALUE + 1;
            }
            byte b = source[pos[0]++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
        return Long.MIN_VALUE + 1;
    }

    /** The tree written back with the edits applied; without edits, the original bytes. */
    byte[] write(Map<Field, Edit> edits) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(source.length + 64);
        writeAll(top, edits instanceof IdentityHashMap ? edits : new IdentityHashMap<>(edits), out);
        return out.toByteArray();
    }

    private void writeAll(List<Field> fields, Map<Field, Edit> edits, ByteArrayOutputStream out) {
        for (Field f : fields) {
            Edit e = edits.get(f);
            if (e instanceof Edit.Delete) {
                continue;
            }
            writeOne(f, e, edits, out);
            if (e instanceof Edit.Duplicate) {
                writeOne(f, null, edits, out);
            }
        }
    }

    private void writeOne(Field f, Edit e, Map<Field, Edit> edits, ByteArrayOutputStream out) {
        if (!f.packedElement) {
            writeVarint(out, ((long) f.number << 3) | f.wireType);
        }
        switch (f.wireType) {
            case VARINT -> writeVarint(out, e instanceof Edit.SetVarint s ? s.value() : f.varint);
            case FIXED64, FIXED32 -> out.writeBytes(e instanceof Edit.SetBytes s ? s.value() : f.bytes);
            default -> {
                byte[] body;
                if (e instanceof Edit.SetBytes s) {
                    body = s.value();
                } else if (f.children != null) {
                    ByteArrayOutputStream inner = new ByteArrayOutputStream();
                    writeAll(f.children, edits, inner);
                    body = inner.toByteArray();
                } else {
                    body = f.bytes;
                }
                writeVarint(out, body.length);
                out.writeBytes(body);
            }
        }
    }

    static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
