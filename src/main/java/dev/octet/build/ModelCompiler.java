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
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.pass.BindInputShapes;
import dev.octet.pass.ConvTransposeAsConv;
import dev.octet.pass.FoldBatchNorm;
import dev.octet.pass.FoldConstants;
import dev.octet.pass.FoldScaleShift;
import dev.octet.pass.FoldScaleShiftBeforeConv;
import dev.octet.pass.FuseConvEpilogue;
import dev.octet.pass.FuseMatMulEpilogue;
import dev.octet.pass.GraphPass;
import dev.octet.pass.PassPipeline;
import dev.octet.pass.RemoveExportNoise;
import dev.octet.runtime.CompiledModel;
import dev.octet.runtime.NativeKernel;
import dev.octet.runtime.NativeLibrary;
import dev.octet.runtime.OperatorStep;
import dev.octet.runtime.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        List<Lowered> lowered = new ArrayList<>();
        Map<String, LoopKernel> kernels = new LinkedHashMap<>();
        boolean jvm = backend == CompileOptions.Backend.JVM;
        boolean compiled = backend != CompileOptions.Backend.REFERENCE;
        Graph graph = compiled ? simplify(model) : model;
        GraphFacts facts = compiled ? new GraphFacts(graph) : null;
        ElementwiseLowering elementwise = cc == null ? null : new ElementwiseLowering(facts);
        for (Node n : graph.nodes()) {
            Lowered l = compiled ? ConvLowering.lower(graph, n, kernels, jvm) : null;
            l = l != null || cc == null ? l : MatMulLowering.lower(graph, n, kernels);
            l = l != null || cc == null ? l : elementwise.lower(n, kernels);
            l = l != null || cc == null ? l : PoolLowering.lower(facts, n, kernels);
            l = l != null || facts == null ? l : MovementLowering.lower(facts, n);
            l = l != null || facts == null ? l : JavaMathLowering.lower(facts, n);
            lowered.add(l != null ? l : new Lowered(lib -> new OperatorStep(n, graph.opset(n.domain()))));
        }
        NativeLibrary library = null;
        if (!kernels.isEmpty()) {
            Headers headers = Headers.standard();
            String source = CPrinter.translationUnit(headers, List.copyOf(kernels.values()));
            LibraryCache cache = new LibraryCache(options.cacheDir() != null ? options.cacheDir()
                    : LibraryCache.defaultDir(), cc);
            library = NativeLibrary.load(cache.get(source, headers).library());
        }
        List<Step> steps = new ArrayList<>();
        for (Lowered l : lowered) {
            steps.add(l.step().apply(library));
        }
        return new CompiledModel(graph, steps, library, options.threads());
    }

    /**
     * The passes that hold for every input size: folding constants and export noise, BatchNorm and per-channel
     * scale/shift into convolutions, and epilogue fusion. Where the model's inputs are fully static, their shapes
     * are bound first so shape-computing chains fold too.
     */
    static Graph simplify(Graph g) {
        List<GraphPass> passes = new ArrayList<>();
        if (g.inputs().stream().allMatch(v -> v.type().isStatic())) {
            Map<String, TensorType> types = new LinkedHashMap<>();
            g.inputs().forEach(v -> types.put(v.name(), v.type()));
            passes.add(new BindInputShapes(types));
        }
        passes.addAll(List.of(new FoldConstants(), new RemoveExportNoise(), new FoldConstants(), new FoldBatchNorm(),
                new ConvTransposeAsConv(), new FoldScaleShift(), new FoldBatchNorm(), // again: BN after a moved Add
                new FuseConvEpilogue(), new FuseMatMulEpilogue(),
                new FoldScaleShiftBeforeConv())); // after fusion: it would take the Div out of exported HardSwish
        return new PassPipeline(passes).apply(g);
    }

    /** A node's step, made once the library that holds its kernel is loaded. */
    record Lowered(Function<NativeLibrary, Step> step) {
    }

    /** The kernel of a step in a loaded library. */
    static NativeKernel kernel(NativeLibrary lib, LoopKernel k) {
        return new NativeKernel(lib, k.name(), k.buffers().size(), k.scalars().size());
    }
}
