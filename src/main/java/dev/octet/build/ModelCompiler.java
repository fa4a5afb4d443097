package dev.octet.build;

import dev.octet.CompileOptions;
import dev.octet.codegen.c.CCompiler;
import dev.octet.codegen.c.CPrinter;
import dev.octet.codegen.c.Headers;
import dev.octet.codegen.c.LibraryCache;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.TensorType;
import dev.octet.kernel.IsaLevel;
import dev.octet.kernel.Config;
import dev.octet.kernel.ConfigChooser;
import dev.octet.kernel.KernelUse;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.pass.BindInputShapes;
import dev.octet.pass.ConvTransposeAsConv;
import dev.octet.pass.FoldBatchNorm;
import dev.octet.pass.FoldConstants;
import dev.octet.pass.FoldScaleShift;
import dev.octet.pass.FoldScaleShiftBeforeConv;
import dev.octet.pass.FuseConvEpilogue;
import dev.octet.pass.FuseMatMulEpilogue;
import dev.octet.pass.FuseQuantizedAdd;
import dev.octet.pass.FuseQuantizedConv;
import dev.octet.pass.FuseQuantizedResidual;
import dev.octet.pass.FuseQuantizedLookup;
import dev.octet.pass.FuseQuantizedMovement;
import dev.octet.pass.GraphPass;
import dev.octet.pass.PassPipeline;
import dev.octet.pass.RemoveExportNoise;
import dev.octet.runtime.BuildRecord;
import dev.octet.runtime.CompiledModel;
import dev.octet.runtime.NativeKernel;
import dev.octet.runtime.NativeLibrary;
import dev.octet.runtime.OperatorStep;
import dev.octet.runtime.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Lowers a graph to a program: nodes Octet has kernels for become kernel steps, every other node runs its reference
 * implementation. Native kernels are printed into one C library, compiled once and cached; JVM kernels (the
 * backend where there is no C compiler, or where asked for) need nothing built.
 */
public final class ModelCompiler {
    private ModelCompiler() {
    }

    public static CompiledModel compile(Graph model, CompileOptions options) {
        for (Node n : model.nodes()) {
            dev.octet.ir.op.OperatorRegistry.forNode(n);
        }
        CompileOptions.Backend backend = options.backend();
        CCompiler cc = null;
        if (backend == CompileOptions.Backend.AUTO || backend == CompileOptions.Backend.NATIVE) {
            cc = CCompiler.find();
            if (cc == null && backend == CompileOptions.Backend.NATIVE) {
                throw new OctetException("no C compiler found (looked for " + CCompiler.searched() + "); install "
                        + "gcc or use another backend");
            }
            if (cc == null) {
                System.err.println("octet: no C compiler found (looked for " + CCompiler.searched()
                        + "); using the JVM backend");
            }
            backend = cc == null ? CompileOptions.Backend.JVM : CompileOptions.Backend.NATIVE;
        }
        LibrarySource natives = null;
        if (cc != null) {
            LibraryCache cache = new LibraryCache(options.cacheDir() != null ? options.cacheDir()
                    : LibraryCache.defaultDir(), cc, options.isaLevel());
            natives = (source, headers, kernelList, level) -> cache.load(source, headers, kernelList);
        }
        return build(model, options.withBackend(backend), natives);
    }

    /** Where the native library of a model's kernels comes from: the C compiler (through the cache) or a bundle. */
    @FunctionalInterface
    public interface LibrarySource {
        /**
         * The loaded library of this translation unit (whose functions are {@code kernels}), built for
         * {@code level}.
         */
        NativeLibrary load(String source, Headers headers, List<LoopKernel> kernels, IsaLevel level);
    }

    /**
     * Lowers a graph with a chosen backend and library source, starting no compiler of its own: {@link #compile}
     * after it has found the C compiler, and the loading of a bundle, whose library source hands out the stored
     * library. The result records how it was built ({@link BuildRecord}), so it can be saved as a bundle.
     *
     * @param options with {@code backend} NATIVE (then {@code natives} is required), JVM or REFERENCE
     * @param natives where native kernels' library comes from; null where there are no native kernels
     */
    public static CompiledModel build(Graph model, CompileOptions options, LibrarySource natives) {
        CompileOptions.Backend backend = options.backend();
        if (backend == CompileOptions.Backend.AUTO || (backend == CompileOptions.Backend.NATIVE) != (natives != null)) {
            throw new IllegalArgumentException("build needs a NATIVE backend with a library source, or JVM/REFERENCE "
                    + "without one, not " + backend + (natives == null ? " without" : " with") + " one");
        }
        IsaLevel level = options.isaLevel();
        Map<String, Config> chosen = new LinkedHashMap<>();
        ConfigChooser recording = r -> {
            Config c = options.configs().choose(r);
            chosen.put(r.key(), c);
            return c;
        };
        List<Lowered> lowered = new ArrayList<>();
        Map<String, LoopKernel> kernels = new LinkedHashMap<>();
        boolean jvm = backend == CompileOptions.Backend.JVM;
        boolean compiled = backend != CompileOptions.Backend.REFERENCE;
        boolean nat = natives != null;
        Graph graph = compiled ? simplify(model, options.keptValues()) : model;
        GraphFacts facts = compiled ? new GraphFacts(graph) : null;
        ElementwiseLowering elementwise = !nat ? null : new ElementwiseLowering(facts, options.keptValues());
        for (Node n : graph.nodes()) {
            // JVM kernels have no ISA-specific knobs (AVX-512 tiles): their configurations are the baseline level's
            Lowered l = compiled ? ConvLowering.lower(graph, n, kernels, jvm, jvm ? IsaLevel.X86_64_V3 : level,
                    recording) : null;
            l = l != null || !compiled ? l : Int8Lowering.lower(graph, n, kernels, nat, level, recording);
            l = l != null || !nat ? l : MatMulLowering.lower(graph, n, kernels, level, recording);
            l = l != null || !nat ? l : elementwise.lower(n, kernels);
            l = l != null || facts == null ? l : PoolLowering.lower(facts, n, nat ? kernels : null);
            l = l != null || facts == null ? l : MovementLowering.lower(facts, n);
            l = l != null || facts == null ? l : JavaMathLowering.lower(facts, n);
            lowered.add(l != null ? l : new Lowered(lib -> new OperatorStep(n, graph.opset(n.domain()))));
        }
        NativeLibrary library = null;
        String source = null;
        Headers headers = Headers.standard();
        if (!kernels.isEmpty()) {
            if (natives == null) {
                throw new IllegalStateException("native kernels lowered without a library source");
            }
            source = CPrinter.translationUnit(headers, List.copyOf(kernels.values()));
            library = natives.load(source, headers, List.copyOf(kernels.values()), level);
        }
        List<Step> steps = new ArrayList<>();
        for (Lowered l : lowered) {
            steps.add(l.step().apply(library));
        }
        BuildRecord record = new BuildRecord(model, options.keptValues(), backend.name(),
                library != null ? level : null, source == null ? null : BuildRecord.sourceKey(source,
                headers.fingerprint()), chosen);
        return new CompiledModel(graph, steps, library, options.threads(), record, options.preprocessing());
    }

    /** The kernels the native lowering builds for a graph, in node order, one per node that gets a kernel. */
    public static List<KernelUse> kernelUses(Graph model) {
        return kernelUses(model, IsaLevel.defaultLevel());
    }

    /** {@link #kernelUses(Graph)} for code built at one ISA level (whose templates and knobs may differ). */
    public static List<KernelUse> kernelUses(Graph model, IsaLevel level) {
        Graph graph = simplify(model, Set.of());
        GraphFacts facts = new GraphFacts(graph);
        List<KernelUse> uses = new ArrayList<>();
        Map<String, LoopKernel> kernels = new LinkedHashMap<>();
        for (Node n : graph.nodes()) {
            ConfigChooser recorder = r -> {
                uses.add(new KernelUse(r, n, facts.type(n.input(0))));
                return r.defaults();
            };
            if (ConvLowering.lower(graph, n, kernels, false, level, recorder) == null
                    && Int8Lowering.lower(graph, n, kernels, true, level, recorder) == null) {
                MatMulLowering.lower(graph, n, kernels, level, recorder);
            }
        }
        return uses;
    }

    /**
     * The passes that hold for every input size: the int8 fusions of a QDQ graph (before constant folding, which
     * would turn the weights' DequantizeLinear into float constants; they leave a graph without QuantizeLinear as
     * it is), folding constants and export noise, BatchNorm and per-channel scale/shift into convolutions, and
     * epilogue fusion. Where the model's inputs are fully static, their shapes are bound first so shape-computing
     * chains fold too. Folding and fusion stop at the values in {@code kept}, so that each is still computed and
     * stored.
     */
    static Graph simplify(Graph g) {
        return simplify(g, Set.of());
    }

    /** {@link #simplify(Graph)}, keeping the values in {@code kept} stored. */
    static Graph simplify(Graph g, Set<String> kept) {
        List<GraphPass> passes = standardOpPasses(g, kept, true);
        passes.addAll(List.of(new FuseConvEpilogue(kept), new FuseMatMulEpilogue(kept),
                new FoldScaleShiftBeforeConv(kept))); // after fusion: it would take the Div out of exported HardSwish
        return new PassPipeline(passes).apply(g);
    }

    /**
     * The simplification that calibration and quantization run on: the passes of {@link #compile}'s simplify that
     * keep standard ONNX operators (folding constants and export noise, BatchNorm and per-channel scale/shift into
     * convolutions), without epilogue fusion, so that the quantized graph can be written as a QDQ ONNX file.
     */
    public static Graph simplifyForQuantization(Graph g) {
        return new PassPipeline(standardOpPasses(g, Set.of(), false)).apply(g);
    }

    private static List<GraphPass> standardOpPasses(Graph g, Set<String> kept, boolean int8Fusions) {
        List<GraphPass> passes = new ArrayList<>();
        if (g.inputs().stream().allMatch(v -> v.type().isStatic())) {
            Map<String, TensorType> types = new LinkedHashMap<>();
            g.inputs().forEach(v -> types.put(v.name(), v.type()));
            passes.add(new BindInputShapes(types));
        }
        if (int8Fusions) {
            passes.addAll(List.of(new FuseQuantizedConv(), new FuseQuantizedAdd(), new FuseQuantizedResidual(kept),
                    new FuseQuantizedMovement(),
                    new FuseQuantizedLookup())); // last: the islands the others leave
        }
        passes.addAll(List.of(new FoldConstants(), new RemoveExportNoise(), new FoldConstants(), new FoldBatchNorm(),
                new ConvTransposeAsConv(), new FoldScaleShift(kept), new FoldBatchNorm())); // again: BN after a moved Add
        return passes;
    }

    /** A node's step, made once the library that holds its kernel is loaded. */
    record Lowered(Function<NativeLibrary, Step> step) {
    }

    /** The kernel of a step in a loaded library. */
    static NativeKernel kernel(NativeLibrary lib, LoopKernel k) {
        return new NativeKernel(lib, k.name(), k.buffers().size(), k.scalars().size());
    }
}
