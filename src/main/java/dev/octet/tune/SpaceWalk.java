package dev.octet.tune;

import dev.octet.kernel.Config;
import dev.octet.kernel.Knob;
import dev.octet.kernel.KnobSpace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Moves in a task's configuration space without listing it: uniform random points, one-knob neighbours, knob-wise
 * crossover. The genetic and the cost-model tuner share it, so both stay usable on spaces too large to enumerate,
 * and both fall back to listing only what is left when a space is nearly exhausted.
 */
final class SpaceWalk {
    /** Spaces up to this size may be listed (the untried rest of a nearly exhausted space, exhaustive scoring). */
    static final long LISTABLE = 1 << 16;

    private final List<KnobSpace> spaces;
    private final Map<String, KnobSpace> byTemplate = new HashMap<>();
    private final long size;
    private final Random random;

    SpaceWalk(List<KnobSpace> spaces, Random random) {
        this.spaces = List.copyOf(spaces);
        this.random = random;
        long n = 0;
        for (KnobSpace s : spaces) {
            byTemplate.put(s.template(), s);
            n += s.size();
        }
        this.size = n;
    }

    long size() {
        return size;
    }

    /** Whether c is a point of the space. */
    boolean contains(Config c) {
        KnobSpace s = byTemplate.get(c.template());
        return s != null && s.contains(c);
    }

    /** A uniform random point (templates weighted by their size). */
    Config random() {
        long pick = (long) (random.nextDouble() * size);
        for (KnobSpace s : spaces) {
            if (pick < s.size() || s == spaces.get(spaces.size() - 1)) {
                Map<String, Integer> v = new LinkedHashMap<>();
                for (Knob k : s.knobs()) {
                    v.put(k.name(), k.values().get(random.nextInt(k.values().size())));
                }
                return new Config(s.template(), v);
            }
            pick -= s.size();
        }
        throw new IllegalStateException("empty space");
    }

    /** A uniform random point not in seen, or null once every point is seen. */
    Config randomUnseen(Set<Config> seen) {
        for (int i = 0; i < 64; i++) {
            Config c = random();
            if (!seen.contains(c)) {
                return c;
            }
        }
        List<Config> rest = unseen(seen);
        return rest.isEmpty() ? null : rest.get(random.nextInt(rest.size()));
    }

    /** Every point not in seen (only for listable spaces; empty otherwise). */
    List<Config> unseen(Set<Config> seen) {
        List<Config> rest = new ArrayList<>();
        if (size <= LISTABLE || seen.size() >= size - LISTABLE) {
            for (KnobSpace s : spaces) {
                for (Config c : s.all()) {
                    if (!seen.contains(c)) {
                        rest.add(c);
                    }
                }
            }
        }
        return rest;
    }

    /** c with one knob changed to another of its values; now and then a random point of another template. */
    Config neighbour(Config c) {
        KnobSpace s = byTemplate.get(c.template());
        List<Knob> movable = s == null ? List.of() : s.knobs().stream().filter(k -> k.values().size() > 1).toList();
        if (movable.isEmpty() || (spaces.size() > 1 && random.nextInt(8) == 0)) {
            return random();
        }
        Knob k = movable.get(random.nextInt(movable.size()));
        int now = k.values().indexOf(c.get(k.name()));
        int other = random.nextInt(k.values().size() - 1);
        Map<String, Integer> v = new LinkedHashMap<>(c.values());
        v.put(k.name(), k.values().get(other >= now ? other + 1 : other));
        return new Config(c.template(), v);
    }

    /**
     * Uniform crossover: each knob from either parent with even odds. Parents of different templates share no
     * knob structure, so the child is then a copy of one of them (mutation moves it on).
     */
    Config crossover(Config a, Config b) {
        if (!a.template().equals(b.template())) {
            return random.nextBoolean() ? a : b;
        }
        Map<String, Integer> v = new LinkedHashMap<>();
        for (String k : new java.util.TreeSet<>(a.values().keySet())) { // a fixed order: the same seed, the same child
            v.put(k, random.nextBoolean() ? a.get(k) : b.get(k));
        }
        return new Config(a.template(), v);
    }

    /** Each knob of c re-drawn with probability rate (mutation). */
    Config mutate(Config c, double rate) {
        KnobSpace s = byTemplate.get(c.template());
        if (s == null) {
            return random();
        }
        Map<String, Integer> v = new LinkedHashMap<>(c.values());
        for (Knob k : s.knobs()) {
            if (random.nextDouble() < rate) {
                v.put(k.name(), k.values().get(random.nextInt(k.values().size())));
            }
        }
        return new Config(c.template(), v);
    }
}
