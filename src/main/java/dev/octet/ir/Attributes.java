package dev.octet.ir;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node's attributes with typed getters. A missing attribute gives the default; one of the wrong kind is an
 * {@link OctetException} that names it (the caller adds the node).
 */
public final class Attributes {
    private static final Attributes EMPTY = new Attributes(Map.of());
    private final Map<String, Attribute> byName;

    private Attributes(Map<String, Attribute> byName) {
        this.byName = Collections.unmodifiableMap(new TreeMap<>(byName));
    }

    public static Attributes empty() {
        return EMPTY;
    }

    public static Attributes of(Collection<Attribute> attributes) {
        Map<String, Attribute> m = new TreeMap<>();
        for (Attribute a : attributes) {
            if (m.put(a.name(), a) != null) {
                throw new OctetException("attribute '" + a.name() + "' is given twice");
            }
        }
        return new Attributes(m);
    }

    public static Attributes of(Attribute... attributes) {
        return of(List.of(attributes));
    }

    /** A copy with one attribute added or replaced. */
    public Attributes with(Attribute a) {
        Map<String, Attribute> m = new TreeMap<>(byName);
        m.put(a.name(), a);
        return new Attributes(m);
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    /** All attributes, sorted by name. */
    public Collection<Attribute> all() {
        return byName.values();
    }

    private Object get(String name, Attribute.Kind kind) {
        Attribute a = byName.get(name);
        if (a == null) {
            return null;
        }
        if (a.kind() != kind) {
            throw new OctetException("attribute '" + name + "' is " + a.kind() + ", expected " + kind);
        }
        return a.value();
    }

    private Object require(String name, Attribute.Kind kind) {
        Object v = get(name, kind);
        if (v == null) {
            throw new OctetException("required attribute '" + name + "' is missing");
        }
        return v;
    }

    public long getInt(String name, long dflt) {
        Object v = get(name, Attribute.Kind.INT);
        return v == null ? dflt : (Long) v;
    }

    public long requireInt(String name) {
        return (Long) require(name, Attribute.Kind.INT);
    }

    public float getFloat(String name, float dflt) {
        Object v = get(name, Attribute.Kind.FLOAT);
        return v == null ? dflt : (Float) v;
    }

    public String getString(String name, String dflt) {
        Object v = get(name, Attribute.Kind.STRING);
        return v == null ? dflt : (String) v;
    }

    public Tensor getTensor(String name) {
        return (Tensor) get(name, Attribute.Kind.TENSOR);
    }

    /** The INTS attribute, or null if absent. */
    public long[] getInts(String name) {
        long[] v = (long[]) get(name, Attribute.Kind.INTS);
        return v == null ? null : v.clone();
    }

    public long[] getInts(String name, long[] dflt) {
        long[] v = getInts(name);
        return v == null ? dflt : v;
    }

    /** The FLOATS attribute, or null if absent. */
    public float[] getFloats(String name) {
        float[] v = (float[]) get(name, Attribute.Kind.FLOATS);
        return v == null ? null : v.clone();
    }

    @SuppressWarnings("unchecked")
    public List<String> getStrings(String name) {
        return (List<String>) get(name, Attribute.Kind.STRINGS);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (Attribute a : byName.values()) {
            sb.append(sb.length() == 1 ? "" : ", ").append(a.name()).append('=').append(a.valueText());
        }
        return sb.append('}').toString();
    }
}
