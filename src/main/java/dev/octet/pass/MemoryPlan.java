package dev.octet.pass;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where each intermediate value of a graph lives in one arena of memory, for one run at fixed input shapes. Values
 * whose lifetimes do not overlap may share bytes.
 *
 * @param slots each intermediate value's place, by value name, in the order of the graph's nodes
 * @param arenaBytes the arena's size: the end of the highest slot
 */
public record MemoryPlan(Map<String, Slot> slots, long arenaBytes) {
    /**
     * One value's place and lifetime.
     *
     * @param offset byte offset in the arena (a multiple of {@link PlanMemory#ALIGNMENT})
     * @param bytes the bytes reserved (the value's size rounded up to the alignment)
     * @param firstStep index of the node that computes the value
     * @param lastStep index of the last node that reads it (firstStep where nothing does)
     */
    public record Slot(long offset, long bytes, int firstStep, int lastStep) {
        boolean livesWith(Slot o) {
            return firstStep <= o.lastStep && o.firstStep <= lastStep;
        }

        boolean overlaps(Slot o) {
            return offset < o.offset + o.bytes && o.offset < offset + bytes;
        }
    }

    public MemoryPlan {
        slots = Collections.unmodifiableMap(new LinkedHashMap<>(slots));
    }

    /** The memory one buffer per value would take: the sum of all slots. */
    long unsharedBytes() {
        return slots.values().stream().mapToLong(Slot::bytes).sum();
    }

    /**
     * Checks the plan: every slot is inside the arena, and no two values that are alive at the same step share a
     * byte.
     *
     * @throws IllegalStateException naming the first two values that collide
     */
    public void check() {
        List<Map.Entry<String, Slot>> all = new ArrayList<>(slots.entrySet());
        for (int i = 0; i < all.size(); i++) {
            Slot a = all.get(i).getValue();
            if (a.offset() < 0 || a.offset() + a.bytes() > arenaBytes) {
                throw new IllegalStateException("value '" + all.get(i).getKey() + "' lies outside the arena");
            }
            for (int j = i + 1; j < all.size(); j++) {
                Slot b = all.get(j).getValue();
                if (a.livesWith(b) && a.overlaps(b)) {
                    throw new IllegalStateException("values '" + all.get(i).getKey() + "' and '"
                            + all.get(j).getKey() + "' are alive together and share memory");
                }
            }
        }
    }

    /** One line per value: name, offset, bytes and lifetime, then the totals; stable, for golden tests. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        slots.forEach((name, s) -> sb.append(String.format(Locale.ROOT, "%-12s @%-8d %8d bytes  steps %d..%d%n", name, s.offset(),
                s.bytes(), s.firstStep(), s.lastStep())));
        return sb.append(this).append('\n').toString();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d values, arena %,d bytes, one buffer per value %,d bytes (%.1f%% saved)",
                slots.size(), arenaBytes, unsharedBytes(),
                unsharedBytes() == 0 ? 0.0 : 100.0 * (unsharedBytes() - arenaBytes) / unsharedBytes());
    }
}
