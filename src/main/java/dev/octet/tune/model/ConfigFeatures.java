package dev.octet.tune.model;

import dev.octet.kernel.Config;
import dev.octet.kernel.loop.LoopKernel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The feature vector of one (workload, configuration) pair, with a fixed schema so that records of several
 * workloads and templates train one model (that is what lets records of other workloads pre-train it):
 * <ul>
 * <li>the template, one-hot, and every knob's value under the knob's name (-1 where the template has no such knob).
 * Knob values are integers (tile sizes, loop orders, variant indices): trees split on thresholds, so a size works
 * as a number and an order or variant as its index without a one-hot of its own;
 * <li>the workload, read from its key alone (the log holds nothing else): the operator, one-hot; each number of a
 * token such as {@code c256>128} or {@code k3x3} under the token's letters and position ({@code c.0, c.1, k.0,
 * k.1}); each other token ({@code pw}, {@code bias+relu}) as a flag.
 * <li>with a {@link LoopFeatures.Source}, the {@link LoopFeatures} of the configuration's built loop nest (-1 where
 * the source cannot build it, e.g. a workload of another model in a transfer log).
 * </ul>
 * The schema is the union over the keys and configurations it was built from; anything unseen maps to -1 or 0.
 */
public final class ConfigFeatures {
    private static final Pattern NUMBERED = Pattern.compile("([a-z]+)(\\d+(?:[x>]\\d+)*)");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private final Map<String, Integer> index = new LinkedHashMap<>();
    private final List<Double> absent = new ArrayList<>();
    private final LoopFeatures.Source loops;

    private ConfigFeatures(Collection<String> workloads, Collection<Config> configs, LoopFeatures.Source loops) {
        this.loops = loops;
        TreeSet<String> ops = new TreeSet<>();
        TreeSet<String> numbers = new TreeSet<>();
        TreeSet<String> flags = new TreeSet<>();
        for (String key : workloads) {
            ops.add(op(key));
            for (Map.Entry<String, Double> e : numbers(key).entrySet()) {
                numbers.add(e.getKey());
            }
            flags.addAll(flags(key));
        }
        TreeSet<String> templates = new TreeSet<>();
        TreeSet<String> knobs = new TreeSet<>();
        for (Config c : configs) {
            templates.add(c.template());
            knobs.addAll(c.values().keySet());
        }
        ops.forEach(o -> add("op=" + o, 0));
        numbers.forEach(n -> add("w." + n, -1));
        flags.forEach(f -> add("w:" + f, 0));
        templates.forEach(t -> add("template=" + t, 0));
        knobs.forEach(k -> add("knob." + k, -1));
        if (loops != null) {
            LoopFeatures.NAMES.forEach(n -> add("loop." + n, -1));
        }
    }

    /** A schema covering these workload keys and configurations, knob features only. */
    public static ConfigFeatures of(Collection<String> workloads, Collection<Config> configs) {
        return new ConfigFeatures(workloads, configs, null);
    }

    /** A schema covering these workload keys and configurations, with the loop features of {@code loops}' nests. */
    public static ConfigFeatures of(Collection<String> workloads, Collection<Config> configs,
            LoopFeatures.Source loops) {
        return new ConfigFeatures(workloads, configs, loops);
    }

    public List<String> names() {
        return List.copyOf(index.keySet());
    }

    /** The features of configuration c of workload key. */
    public double[] of(String workload, Config c) {
        double[] v = new double[absent.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = absent.get(i);
        }
        set(v, "op=" + op(workload), 1);
        numbers(workload).forEach((name, value) -> set(v, "w." + name, value));
        flags(workload).forEach(f -> set(v, "w:" + f, 1));
        set(v, "template=" + c.template(), 1);
        c.values().forEach((k, value) -> set(v, "knob." + k, value));
        if (loops != null) {
            LoopKernel kernel = loops.kernel(workload, c);
            if (kernel != null) {
                LoopFeatures.of(kernel).forEach((name, value) -> set(v, "loop." + name, value));
            }
        }
        return v;
    }

    private void add(String name, double whenAbsent) {
        index.put(name, index.size());
        absent.add(whenAbsent);
    }

    private void set(double[] v, String name, double value) {
        Integer i = index.get(name);
        if (i != null) {
            v[i] = value;
        }
    }

    private static String op(String key) {
        int b = key.indexOf('[');
        return b < 0 ? key : key.substring(0, b);
    }

    private static List<String> tokens(String key) {
        int b = key.indexOf('[');
        int e = key.lastIndexOf(']');
        return b < 0 || e < b ? List.of() : List.of(key.substring(b + 1, e).split(","));
    }

    private static Map<String, Double> numbers(String key) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String t : tokens(key)) {
            Matcher m = NUMBERED.matcher(t);
            if (m.matches()) {
                Matcher n = NUMBER.matcher(m.group(2));
                for (int i = 0; n.find(); i++) {
                    out.put(m.group(1) + "." + i, Double.parseDouble(n.group()));
                }
            }
        }
        return out;
    }

    private static List<String> flags(String key) {
        return tokens(key).stream().filter(t -> !NUMBERED.matcher(t).matches()).toList();
    }
}
