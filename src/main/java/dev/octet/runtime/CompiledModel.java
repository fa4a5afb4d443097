package dev.octet.runtime;

import dev.octet.data.Preprocessing;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.ir.op.ShapeInference;
import java.awt.image.BufferedImage;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * A model ready to run: its program of steps (native kernels where Octet has them, reference operators
 * elsewhere), the native library and packed weights they use, and a thread pool. {@link #run} may be called from
 * many threads at once; each call has its own {@link ExecutionContext}. Close it to unload the library and stop
 * the threads.
 *
 * <p>As ONNX Runtime's {@code OrtSession.run}, every {@code run} returns the outputs by name in the graph's order
 * (a {@link SequencedMap}: {@code firstEntry()} is the first output). The inputs come as tensors by name ({@link
 * #run(Map)}), as plain float data for a single-input model ({@link #run(float[], int...)}, {@link
 * #run(MemorySegment, int...)}) or, as DJL's {@code Predictor} with an image translator, as images turned into the
 * input by the {@link #preprocessing() preprocessing} of the compile ({@link #run(BufferedImage)}).
 */
public final class CompiledModel implements AutoCloseable {
    private final Graph graph;
    private final List<Step> steps;
    private final List<List<String>> freedAfter;
    private final NativeLibrary library;
    private final BuildRecord build;
    private final Preprocessing preprocessing;
    private final WorkPool pool;
    private final Map<List<TensorType>, ShapeInference.Result> plans = new ConcurrentHashMap<>();
    /** Buffer pools of finished runs, each taken by one run at a time. */
    private final java.util.concurrent.ConcurrentLinkedDeque<BufferPool> idleBuffers =
            new java.util.concurrent.ConcurrentLinkedDeque<>();

    /**
     * @param steps one per node of {@code graph}, in the graph's order
     * @param library the native library the steps call, or null
     */
    public CompiledModel(Graph graph, List<Step> steps, NativeLibrary library, int threads) {
        this(graph, steps, library, threads, null);
    }

    /**
     * @param steps one per node of {@code graph}, in the graph's order
     * @param library the native library the steps call, or null
     * @param build how the model was built (what a bundle stores), or null where it is not known
     */
    public CompiledModel(Graph graph, List<Step> steps, NativeLibrary library, int threads, BuildRecord build) {
        this(graph, steps, library, threads, build, null);
    }

    /**
     * @param steps one per node of {@code graph}, in the graph's order
     * @param library the native library the steps call, or null
     * @param build how the model was built (what a bundle stores), or null where it is not known
     * @param preprocessing how {@link #run(BufferedImage)} turns images into the input, or null where none is known
     */
    public CompiledModel(Graph graph, List<Step> steps, NativeLibrary library, int threads, BuildRecord build,
            Preprocessing preprocessing) {
        this.graph = graph;
        this.steps = List.copyOf(steps);
        this.library = library;
        this.build = build;
        this.preprocessing = preprocessing;
        this.pool = new WorkPool(threads);
        this.freedAfter = lastUses(graph);
    }

    /** The graph the steps run: the compiled one, after simplification (its inputs are the model's). */
    public Graph graph() {
        return graph;
    }

    /** How the model was built, where the compiler recorded it (every model {@code ModelCompiler} builds). */
    public java.util.Optional<BuildRecord> buildRecord() {
        return java.util.Optional.ofNullable(build);
    }

    /** The native library the steps call, where there is one (a bundle stores its file). */
    public java.util.Optional<NativeLibrary> nativeLibrary() {
        return java.util.Optional.ofNullable(library);
    }

    /** How many steps run native or JVM kernels or Java steps, rather than a reference operator. */
    public long kernelStepCount() {
        return steps.stream().filter(st -> !st.describe().startsWith("reference")).count();
    }

    /** What runs each node, in order (for reports and tests). */
    public List<String> stepDescriptions() {
        return steps.stream().map(Step::describe).toList();
    }

    /** What runs the model, for a one-line report: "58 of 64 nodes on native kernels, 6 by reference". */
    public String backendDescription() {
        long reference = steps.stream().filter(st -> st.describe().startsWith("reference")).count();
        boolean jvm = steps.stream().anyMatch(st -> st.describe().contains("on the JVM"));
        String kind = library != null ? "native kernels" : jvm ? "JVM kernels" : "Java steps";
        return (steps.size() - reference) + " of " + steps.size() + " nodes on " + kind + ", " + reference
                + " by reference";
    }

    /**
     * How {@link #run(BufferedImage)} turns images into the input: the one the compile declared ({@code
     * CompileOptions.withPreprocessing}), else the convention of the model's family; empty where there is neither.
     */
    public Optional<Preprocessing> preprocessing() {
        return Optional.ofNullable(preprocessing);
    }

    /**
     * Runs the model.
     *
     * @param inputs a tensor for each of the model's inputs, by name
     * @return the outputs by name, in the graph's order
     * @throws dev.octet.ir.OctetException naming the input where one is missing, unknown, or of the wrong type or
     *     shape
     */
    public SequencedMap<String, Tensor> run(Map<String, Tensor> inputs) {
        return run(inputs, null, null, Set.of(), null);
    }

    /**
     * Runs a model with one FLOAT input on plain data. The array is copied (as ONNX Runtime copies it into a
     * tensor), so the caller may reuse it during and after the call.
     *
     * @param data the input's values, row-major
     * @param shape the input's shape; none for the model's static shape
     * @return the outputs by name, in the graph's order
     * @throws dev.octet.ir.OctetException where the model has more than one input or a non-float one, or where
     *     the shape does not match the data or the model's input (the message names the input and its shape)
     */
    public SequencedMap<String, Tensor> run(float[] data, int... shape) {
        return run(ArrayInput.of(graph, data, shape));
    }

    /**
     * {@link #run(float[], int...)} on floats in native byte order held in a memory segment (off-heap, mapped or
     * heap; any alignment). The values are copied in before the run: the segment is only read during the call.
     *
     * @throws dev.octet.ir.OctetException also where the segment's size is not a whole number of floats
     */
    public SequencedMap<String, Tensor> run(MemorySegment data, int... shape) {
        return run(ArrayInput.of(graph, data, shape));
    }

    /**
     * Runs a single-input image model on one image (a batch of one), turned into the input tensor by {@link
     * #preprocessing()}.
     *
     * @return the outputs by name, in the graph's order
     * @throws dev.octet.ir.OctetException where there is no preprocessing (declare one with {@code
     *     CompileOptions.withPreprocessing}), or where its tensor does not fit the input (channels, layout, size)
     */
    public SequencedMap<String, Tensor> run(BufferedImage image) {
        return run(List.of(image));
    }

    /**
     * {@link #run(BufferedImage)} on a batch: one tensor of all the images, each sized as {@link
     * dev.octet.data.Images#toTensor(List, Preprocessing)} sizes a batch (text lines as wide as the widest needs).
     */
    public SequencedMap<String, Tensor> run(List<BufferedImage> images) {
        return run(ImageInput.of(graph, preprocessing, images));
    }

    /**
     * Runs the model and hands each value named in {@code tapped} to {@code tap} as soon as it is computed (graph
     * inputs first), before the run frees it: how calibration observes activations without keeping them all. A
     * value fused inside a larger step is never computed on its own and so never handed out: compile with
     * {@link dev.octet.CompileOptions#withKeptValues} to keep it. The tensor is only valid during the call.
     *
     * @return the outputs, as {@link #run} returns them
     */
    public Map<String, Tensor> runTapped(Map<String, Tensor> inputs, Set<String> tapped,
            BiConsumer<String, Tensor> tap) {
        return run(inputs, null, null, Set.copyOf(tapped), Objects.requireNonNull(tap));
    }

    /**
     * Runs the model and adds each step's wall time (nanoseconds) to {@code times}, keyed by the step's
     * description: where a compiled model spends its time, by kind of step. Time a fast step spent running its
     * reference step instead (a shape it does not cover) is also recorded under "fallback from " + its description.
     */
    public Map<String, Tensor> runTimed(Map<String, Tensor> inputs, Map<String, Long> times) {
        return run(inputs, Objects.requireNonNull(times), null, Set.of(), null);
    }

    /**
     * Runs the model and adds each step's wall time (nanoseconds) to {@code stepNanos[i]}, {@code i} the step's
     * index (the node's in {@link #graph()}): where the time goes layer by layer, for the compile report. A node
     * folded to a constant for these input shapes does not run and adds nothing.
     *
     * @param stepNanos one slot per node of {@link #graph()}
     */
    public Map<String, Tensor> runTimedPerStep(Map<String, Tensor> inputs, long[] stepNanos) {
        if (stepNanos.length != steps.size()) {
            throw new IllegalArgumentException(stepNanos.length + " slots for " + steps.size() + " steps");
        }
        return run(inputs, null, stepNanos, Set.of(), null);
    }

    private SequencedMap<String, Tensor> run(Map<String, Tensor> inputs, Map<String, Long> times, long[] stepNanos,
            Set<String> tapped, BiConsumer<String, Tensor> tap) {
        Map<String, TensorType> inputTypes = InputBinding.bind(graph, inputs);
        ShapeInference.Result shapes = plans.computeIfAbsent(List.copyOf(inputTypes.values()),
                k -> ShapeInference.infer(graph, inputTypes));
        BufferPool buffers = idleBuffers.poll();
        buffers = buffers != null ? buffers : new BufferPool();
        ExecutionContext ctx = new ExecutionContext(shapes, pool, buffers);
        ctx.recordFallbacks(times);
        inputs.forEach(ctx::put); // constants are looked up in the plan, not copied per run (ResNet-50: 108)
        if (tap != null) {
            graph.inputs().stream().map(Value::name).filter(tapped::contains).forEach(n -> tap.accept(n, ctx.get(n)));
        }
        for (int i = 0; i < steps.size(); i++) {
            Node node = graph.nodes().get(i);
            if (computed(node, ctx)) {
                handOut(node, ctx, tapped, tap);
                continue; // folded to a constant for these input shapes
            }
            boolean timed = times != null || stepNanos != null;
            long start = timed ? System.nanoTime() : 0;
            ctx.beginStep(freedAfter.get(i));
            steps.get(i).run(ctx);
            if (timed) {
                long spent = System.nanoTime() - start;
                if (times != null) {
                    times.merge(steps.get(i).describe(), spent, Long::sum);
                }
                if (stepNanos != null) {
                    stepNanos[i] += spent;
                }
            }
            handOut(node, ctx, tapped, tap);
            for (String dead : freedAfter.get(i)) {
                ctx.remove(dead);
            }
        }
        SequencedMap<String, Tensor> out = new LinkedHashMap<>();
        for (Value v : graph.outputs()) {
            out.put(v.name(), ctx.get(v.name()));
        }
        buffers.endRun(); // only after a run that ended normally: a failed run's pool is dropped
        idleBuffers.push(buffers);
        return out;
    }

    /** Whether every output of the node is known before it runs: constants for these shapes, or a fused step's. */
    private static boolean computed(Node node, ExecutionContext ctx) {
        for (String o : node.outputs()) {
            if (!o.isEmpty() && ctx.find(o) == null) {
                return false;
            }
        }
        return true;
    }

    /** Hands the node's tapped outputs that this run computed (a fused-away node's are absent) to the tap. */
    private static void handOut(Node node, ExecutionContext ctx, Set<String> tapped, BiConsumer<String, Tensor> tap) {
        if (tap == null) {
            return;
        }
        for (String o : node.outputs()) {
            Tensor t = o.isEmpty() || !tapped.contains(o) ? null : ctx.find(o);
            if (t != null) {
                tap.accept(o, t);
            }
        }
    }

    /** For each step, the intermediate values no later step reads (freed so memory stays at the live set). */
    private static List<List<String>> lastUses(Graph g) {
        Map<String, Integer> last = new HashMap<>();
        for (int i = 0; i < g.nodes().size(); i++) {
            for (String in : g.nodes().get(i).inputs()) {
                last.put(in, i);
            }
        }
        for (Value v : g.outputs()) {
            last.remove(v.name());
        }
        List<List<String>> freed = new ArrayList<>();
        for (int i = 0; i < g.nodes().size(); i++) {
            freed.add(new ArrayList<>());
        }
        last.forEach((name, step) -> {
            if (!g.constants().containsKey(name)) {
                freed.get(step).add(name);
            }
        });
        return freed;
    }

    /** Stops the worker threads and unloads the native library; runs after this fail. */
    @Override
    public void close() {
        pool.close();
        if (library != null) {
            library.close();
        }
    }
}
