package dev.octet.oracle;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.octet.frontend.onnx.proto.Onnx.ModelProto;
import dev.octet.frontend.onnx.proto.Onnx.NodeProto;
import dev.octet.ir.OctetException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The graph ONNX Runtime actually runs: the model after ORT's graph optimisations (all levels, CPU), as ORT writes
 * it out with {@code SessionOptions.setOptimizedModelFilePath}. Counting its operators shows whether a QDQ model
 * really runs in int8 (how many QLinearConv nodes ORT fused) or fell back to float.
 */
public final class OrtOptimizedGraph {
    private OrtOptimizedGraph() {
    }

    /**
     * Operator counts of ORT's optimized graph of a model, by op type (domain left out: ORT's NHWC int8 conv is
     * com.microsoft's QLinearConv and counts as QLinearConv).
     *
     * @param threads intra-op threads of the session (ORT may choose kernels by it; 0: ORT's default)
     * @throws OctetException where ONNX Runtime is missing or rejects the model
     */
    public static Map<String, Integer> operatorCounts(Path model, int threads) {
        if (!Oracles.onnxRuntimeAvailable()) {
            throw new OctetException("ONNX Runtime is not on the class path (Maven artifact "
                    + "com.microsoft.onnxruntime:onnxruntime); counting its operators needs it");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(model);
        } catch (IOException e) {
            throw new OctetException(model + ": cannot read (" + e.getMessage() + ")");
        }
        Path optimized = null;
        try {
            optimized = Files.createTempFile("octet-ort-optimized", ".onnx");
            OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "octet");
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                options.setOptimizedModelFilePath(optimized.toString());
                if (threads > 0) {
                    options.setIntraOpNumThreads(threads);
                    options.setInterOpNumThreads(1);
                }
                try (OrtSession ignored = env.createSession(bytes, options)) {
                    // Creating the session optimises the graph and writes it out.
                }
            }
            ModelProto proto;
            try (InputStream in = Files.newInputStream(optimized)) {
                proto = ModelProto.parseFrom(in);
            }
            Map<String, Integer> counts = new TreeMap<>();
            for (NodeProto n : proto.getGraph().getNodeList()) {
                counts.merge(n.getOpType(), 1, Integer::sum);
            }
            return counts;
        } catch (OrtException e) {
            throw new OctetException(model + ": ONNX Runtime rejects the model (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new OctetException(model + ": cannot read ONNX Runtime's optimized graph (" + e.getMessage() + ")");
        } finally {
            if (optimized != null) {
                try {
                    Files.deleteIfExists(optimized);
                } catch (IOException ignored) {
                    // A temporary file left behind is not worth failing the count.
                }
            }
        }
    }

    /** How many QLinearConv nodes ORT's optimized graph of a model has: the {@code ort_qlinearconv_nodes} figure. */
    public static int qlinearConvCount(Path model, int threads) {
        return operatorCounts(model, threads).getOrDefault("QLinearConv", 0);
    }
}
