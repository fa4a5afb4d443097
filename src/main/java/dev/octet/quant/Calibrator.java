package dev.octet.quant;

import dev.octet.CompileOptions;
import dev.octet.build.ModelCompiler;
import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.runtime.CompiledModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Calibration: runs an fp32 model, compiled as Octet compiles it (native kernels, not the reference interpreter),
 * over calibration images and collects {@link TensorStatistics} of the tensors the quantizer will quantize; an
 * {@link Observer} then turns each into a {@link TensorRange}. What {@code octet quantize MODEL --calib DIR
 * --method kl --preprocess SPEC} does:
 *
 * <pre>{@code
 * Preprocessing p = PreprocessSpec.apply(spec, ModelFamily.of(model).preprocessing(graph.inputs().getFirst().type()));
 * CalibrationImages images = CalibrationImages.fromDirectory(dir, p);
 * Set<String> tensors = Quantizer.calibrationTargets(graph, options);
 * Map<String, TensorStatistics> stats = Calibrator.defaults().collect(graph, tensors, images, compileOptions);
 * Map<String, TensorRange> ranges = Calibrator.ranges(stats, CalibrationMethod.parse("kl").observer());
 * }</pre>
 *
 * <p>Statistics are cached on disk ({@code $OCTET_CACHE/calib}, else {@code ~/.cache/octet/calib}) under a key of
 * the graph, the backend, the tensors and the images' names, sizes and modification times, so a second calibration
 * with any method reads no image. A progress bar goes to stderr unless {@link #quiet()}.
 */
public final class Calibrator {
    private final boolean progress;
    private final Path cacheDir;

    private Calibrator(boolean progress, Path cacheDir) {
        this.progress = progress;
        this.cacheDir = cacheDir;
    }

    /** A progress bar on stderr and the cache in its default folder. */
    public static Calibrator defaults() {
        return new Calibrator(true, CalibrationCache.defaultDir());
    }

    /** The same without the progress bar. */
    public Calibrator quiet() {
        return new Calibrator(false, cacheDir);
    }

    /** The same with the cache in {@code dir} (null: no cache). */
    public Calibrator withCacheDir(Path dir) {
        return new Calibrator(progress, dir);
    }

    /** The cache folder, or null where there is none. */
    public Path cacheDir() {
        return cacheDir;
    }

    /**
     * Statistics of each named tensor over all images, in the order of {@code tensors}' sorted names.
     *
     * @param graph an fp32 graph with one image input (the simplified graph the quantizer works on)
     * @param tensors values of the graph: graph inputs or node outputs, fp32
     * @param options how to compile it (threads, backend); the tensors are added to its kept values so that no
     *     fusion hides one
     * @throws OctetException where the graph has no single input, a tensor is not in it or is not computed as fp32,
     *     an image is unreadable or its tensor does not fit the input (naming the input and both shapes), or a
     *     tensor has a non-finite value (naming it and the image)
     */
    public Map<String, TensorStatistics> collect(Graph graph, Set<String> tensors, CalibrationImages images,
            CompileOptions options) {
        if (graph.inputs().size() != 1) {
            throw new OctetException("calibration with images needs a model with one input, not "
                    + graph.inputs().stream().map(Value::name).toList());
        }
        List<String> names = tensors.stream().sorted().toList();
        requireValues(graph, names);
        CalibrationCache cache = cacheDir == null ? null : new CalibrationCache(cacheDir);
        String key = cache == null ? null : CalibrationCache.key(graph, options.backend().name(), names, images);
        Map<String, TensorStatistics> cached = cache == null ? null : cache.read(key);
        if (cached != null && cached.keySet().equals(new HashSet<>(names))) {
            return cached;
        }
        Map<String, TensorStatistics> stats = run(graph, names, images, options);
        if (cache != null) {
            try {
                cache.write(key, stats);
            } catch (IOException e) {
                System.err.println("octet: could not write the calibration cache in " + cacheDir + " ("
                        + e.getMessage() + "); calibrating again next time");
            }
        }
        return stats;
    }

    /**
     * The range of each tensor by the observer, in the statistics' order.
     *
     * @throws OctetException naming the first tensor that has no range (see {@link Observer#range})
     */
    public static Map<String, TensorRange> ranges(Map<String, TensorStatistics> stats, Observer observer) {
        Map<String, TensorRange> ranges = new LinkedHashMap<>();
        stats.forEach((name, s) -> ranges.put(name, observer.range(s)));
        return ranges;
    }

    private Map<String, TensorStatistics> run(Graph graph, List<String> names, CalibrationImages images,
            CompileOptions options) {
        Map<String, TensorStatistics> stats = new LinkedHashMap<>();
        names.forEach(n -> stats.put(n, new TensorStatistics(n)));
        Value input = graph.inputs().getFirst();
        Set<String> seen = new HashSet<>();
        Set<String> tapped = Set.copyOf(names);
        try (CompiledModel model = ModelCompiler.compile(graph, options.withKeptValues(union(options, names)));
                ProgressBar bar = progress ? bar(images.size()) : null) {
            for (int i = 0; i < images.size(); i++) {
                Path file = images.files().get(i);
                Tensor x = images.tensor(i);
                requireFits(input, x, file);
                try {
                    model.runTapped(Map.of(input.name(), x), tapped, (name, t) -> {
                        if (t.dtype() != DataType.FLOAT) {
                            throw new OctetException("tensor '" + name + "' is " + t.dtype()
                                    + ", not FLOAT: only fp32 activations are calibrated");
                        }
                        stats.get(name).add(t.floats());
                        seen.add(name);
                    });
                } catch (OctetException e) {
                    throw new OctetException("calibration image " + file + ": " + e.getMessage());
                }
                if (bar != null) {
                    bar.step();
                }
            }
        }
        List<String> missing = names.stream().filter(n -> !seen.contains(n)).toList();
        if (!missing.isEmpty()) {
            throw new OctetException("the compiled model never computed " + missing + " on its own (removed or "
                    + "renamed by its simplification passes); calibrate the simplified graph's values");
        }
        return stats;
    }

    private static Set<String> union(CompileOptions options, List<String> names) {
        Set<String> all = new HashSet<>(options.keptValues());
        all.addAll(names);
        return all;
    }

    private static ProgressBar bar(int images) {
        return new ProgressBarBuilder().setTaskName("Calibrating").setInitialMax(images).setUnit(" images", 1)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).continuousUpdate().build();
    }

    /** Every name must be the graph's input or a node's output. */
    private static void requireValues(Graph graph, List<String> names) {
        Set<String> values = new HashSet<>();
        graph.inputs().forEach(v -> values.add(v.name()));
        for (Node n : graph.nodes()) {
            values.addAll(n.outputs());
        }
        List<String> unknown = names.stream().filter(n -> !values.contains(n)).toList();
        if (!unknown.isEmpty()) {
            throw new OctetException("no value named " + unknown + " is computed by the graph '" + graph.name()
                    + "': calibration observes its input and node outputs");
        }
    }

    /** The image's tensor must have the input's rank and every dimension the input fixes. */
    private static void requireFits(Value input, Tensor x, Path file) {
        TensorType t = input.type();
        boolean fits = t == null || (t.rank() == x.rank() && t.dtype() == x.dtype());
        for (int a = 0; fits && t != null && a < t.rank(); a++) {
            Dim d = t.dims().get(a);
            fits = !d.isKnown() || d.value() == x.dim(a);
        }
        if (!fits) {
            throw new OctetException("calibration image " + file.getFileName() + " becomes a tensor of shape "
                    + Arrays.toString(x.shape()) + " but the model's input '" + input.name() + "' is " + t
                    + ": give a --preprocess that fits it (size, layout, order)");
        }
    }
}
