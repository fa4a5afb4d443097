package dev.octet.cli;

import dev.octet.CompileOptions;
import dev.octet.data.ModelFamily;
import dev.octet.data.PreprocessSpec;
import dev.octet.data.Preprocessing;
import dev.octet.ir.DataType;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.quant.CalibrationImages;
import dev.octet.quant.CalibrationMethod;
import dev.octet.quant.Calibrator;
import dev.octet.quant.FallbackBudget;
import dev.octet.quant.FloatFallback;
import dev.octet.quant.LayerSummary;
import dev.octet.quant.PostTrainingQuantizer;
import dev.octet.quant.QuantizeOptions;
import dev.octet.quant.QuantizedModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The options that quantize a model to int8 before it is compiled, shared by {@code quantize}, {@code run},
 * {@code compare}, {@code bench} and {@code eval}: calibration images, their preprocessing, the calibration method
 * and what to keep in float.
 */
final class Int8Options {
    @Option(names = "--calib", paramLabel = "DIR",
            description = "Calibration images (every image file of DIR, in name order) for int8 quantization.")
    Path calib;

    @Option(names = "--calib-count", paramLabel = "N", defaultValue = "0",
            description = "Calibrate on the first N images of DIR only (default: all).")
    int calibCount;

    @Option(names = "--preprocess", paramLabel = "SPEC", defaultValue = "",
            description = {"How a calibration image becomes the model's input, overriding the model family's "
                    + "default: comma-separated key=value, e.g. size=224x224,scale=0.003921569,mean=0.485,0.456,"
                    + "0.406,std=0.229,0.224,0.225,order=rgb,layout=nchw. Keys: size, resize=stretch|pad|grow|"
                    + "limit32, scale, mean, std, order=rgb|bgr|rgba, layout=nchw|nhwc, alpha."})
    String preprocess;

    @Option(names = "--method", paramLabel = "kl|percentile|mse|max|pow2", defaultValue = "percentile",
            description = "How each activation's range is chosen from its calibration histogram (default: "
                    + "${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--percentile", paramLabel = "P", defaultValue = "99.99",
            description = "The percentile of |x| kept by --method percentile (default: ${DEFAULT-VALUE}).")
    double percentile;

    @Option(names = "--skip", paramLabel = "NODE", split = ",",
            description = "Keep these nodes in float: names, or indices in the simplified graph's node order "
                    + "(e.g. 0 for the first conv). Repeatable or comma-separated.")
    List<String> skip = new ArrayList<>();

    @Option(names = "--skip-op", paramLabel = "TYPE", split = ",",
            description = "Keep every node of these operator types in float (e.g. Add). Repeatable or "
                    + "comma-separated.")
    List<String> skipOps = new ArrayList<>();

    @Option(names = "--weight-bits", paramLabel = "8|7", defaultValue = "8",
            description = "Weight precision: 8, or 7 so that every pair of weights fits AVX2's saturating "
                    + "u8*s8 instruction (default: ${DEFAULT-VALUE}).")
    int weightBits;

    @Option(names = "--activations", paramLabel = "u8|s8", defaultValue = "u8",
            description = "Activation type (default: ${DEFAULT-VALUE}).")
    String activations;

    @Option(names = "--per-tensor-weights",
            description = "One weight scale per tensor instead of per output channel (for comparison only).")
    boolean perTensorWeights;

    @Option(names = "--no-calib-cache", description = "Calibrate again even where cached statistics exist.")
    boolean noCache;

    @Option(names = "--bias-correction", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Shift each int8 conv's bias by the mean error its weight rounding causes on the "
                    + "calibration images (one more fp32 pass over them; default: on, --no-bias-correction to turn "
                    + "off).")
    boolean biasCorrection;

    @Option(names = "--fallback", description = "Return the most sensitive layers to float until the output "
            + "cosine fp32 vs int8 on held-out images (the last --fallback-images of the calibration images, not "
            + "calibrated on) reaches --min-cosine on average (or --min-agreement), or (eval) until --max-drop "
            + "holds. Costs one compile per int8 Conv/Add when the budget does not hold with every layer int8.")
    boolean fallback;

    @Option(names = "--min-cosine", paramLabel = "X", description = "The fallback's budget: mean output cosine "
            + "(default 0.99); implies --fallback.")
    Double minCosine;

    @Option(names = "--min-agreement", paramLabel = "X", description = "The fallback's budget: the share of "
            + "fp32's class decisions (argmax along each output's last axis: per time step for a text recogniser, "
            + "per image for a classifier) that int8 keeps on the held-out images, e.g. 0.99; implies "
            + "--fallback. Not for outputs without a class axis (a detector's map).")
    Double minAgreement;

    @Option(names = "--max-drop", paramLabel = "X", description = "octet eval ocr-rec|ocr-cls|ocr-det with "
            + "--fallback: the fallback's budget is the task's own metric instead of the output cosine ("
            + TaskMetric.DESCRIPTION + "), which may drop from fp32's by at most "
            + "X points, measured on --fallback-samples rendered samples held out from both calibration and "
            + "evaluation. Layers are still ranked by output cosine on the --fallback-images.")
    Double maxDrop;

    @Option(names = "--fallback-samples", paramLabel = "N", description = "Held-out rendered samples --max-drop "
            + "measures on (default: 100 lines for ocr-rec, 200 for ocr-cls, 20 pages for ocr-det).")
    Integer fallbackSamples;

    /** The end-task metric that --max-drop budgets: set by `octet eval` for its labelled tasks, else null. */
    TaskMetric taskMetric;

    @Option(names = "--fallback-images", paramLabel = "N", defaultValue = "8",
            description = "Calibration images held out for the fallback's budget (default: ${DEFAULT-VALUE}).")
    int fallbackImages;

    @Option(names = "--fallback-max-layers", paramLabel = "N", defaultValue = "16",
            description = "The most layers the fallback returns to float (default: ${DEFAULT-VALUE}).")
    int fallbackMaxLayers;

    /** The quantize options these flags give. */
    QuantizeOptions quantizeOptions() {
        DataType type = switch (activations.toLowerCase(Locale.ROOT)) {
            case "u8", "uint8" -> DataType.UINT8;
            case "s8", "int8" -> DataType.INT8;
            default -> throw new OctetException("--activations '" + activations + "' is not one of u8, s8");
        };
        return QuantizeOptions.defaults().withActivationType(type).withWeightBits(weightBits)
                .withPerChannelWeights(!perTensorWeights).withSkipNodes(new LinkedHashSet<>(skip))
                .withSkipOpTypes(new LinkedHashSet<>(skipOps)).withBiasCorrection(biasCorrection);
    }

    /**
     * Refuses budget flags that do not go together: --max-drop without --fallback, or two budgets at once
     * (--min-cosine, --min-agreement, --max-drop).
     */
    void checkBudget() {
        if (minAgreement != null && (minCosine != null || maxDrop != null)) {
            throw new OctetException("--min-agreement, --min-cosine and --max-drop are budgets for the fallback: "
                    + "give one");
        }
        if (maxDrop == null) {
            return;
        }
        if (!fallback) {
            throw new OctetException("--max-drop " + maxDrop + " is the fallback's budget: add --fallback");
        }
        if (minCosine != null) {
            throw new OctetException("--max-drop and --min-cosine are both budgets for the fallback: give one");
        }
    }

    /**
     * The float fallback these flags ask for, or null.
     *
     * @throws OctetException where the budget flags do not go together ({@link #checkBudget}), or --max-drop has
     *     no end-task metric to budget ({@link #taskMetric} unset: every command but eval of a labelled task)
     */
    FloatFallback floatFallback(boolean progress) {
        checkBudget();
        if (!fallback && minCosine == null && minAgreement == null) {
            return null;
        }
        FallbackBudget budget;
        if (maxDrop != null) {
            if (taskMetric == null) {
                throw new OctetException("--max-drop needs an end-task metric, which only `octet eval "
                        + "ocr-rec|ocr-cls|ocr-det --int8` measures; use --min-cosine here");
            }
            budget = taskMetric.budget(maxDrop);
        } else if (minAgreement != null) {
            budget = FallbackBudget.minTopAgreement(minAgreement);
        } else {
            budget = FallbackBudget.minCosine(minCosine == null ? 0.99 : minCosine, false);
        }
        FloatFallback f = FloatFallback.defaults().withBudget(budget).withHeldOutImages(fallbackImages)
                .withMaxLayers(fallbackMaxLayers);
        return progress ? f : f.quiet();
    }

    /**
     * The model quantized by these options: a model that is already quantized (QDQ, QLinearConv) as it is, else
     * the QDQ model of calibrating it on {@code --calib}.
     *
     * @param progress whether calibration shows a progress bar on stderr
     * @throws OctetException where a float model has no {@code --calib}, or calibration or quantization fails
     */
    Quantized quantize(Model model, CompileOptions compile, boolean progress) {
        if (PostTrainingQuantizer.isQuantized(model.graph())) {
            return new Quantized(model, null, null);
        }
        if (calib == null) {
            throw new OctetException("int8 of float model " + model.displayName() + " needs calibration images: "
                    + "--calib DIR (or give a QDQ model file)");
        }
        CalibrationImages images = calibrationImages(model);
        CalibrationMethod m = CalibrationMethod.parse(method);
        PostTrainingQuantizer q = quantizer(compile, progress);
        QuantizedModel qm = q.quantize(model.graph(), images);
        if (progress) {
            qm.summary().notes().stream().filter(n -> n.startsWith("fallback:"))
                    .forEach(n -> System.err.println("octet: " + n));
        }
        FloatFallback f = q.fallback();
        String how = (f == null ? images.size() + " image(s)" : (images.size() - f.heldOutImages()) + " image(s) ("
                + f.heldOutImages() + " more held out for the fallback)") + " of " + calib + ", " + m.cliName()
                + (m == CalibrationMethod.PERCENTILE ? " " + percentile : "") + ", preprocessing "
                + images.preprocessing();
        return new Quantized(new Model(qm.qdq(), model.source(), model.producer(), model.metadata()), qm, how);
    }

    /** The calibration images of {@code --calib} (the first {@code --calib-count}), preprocessed for the model. */
    CalibrationImages calibrationImages(Model model) {
        return firstCalibCount(allImages(model));
    }

    /** Every image of {@code --calib}, preprocessed for the model. */
    private CalibrationImages allImages(Model model) {
        Preprocessing base = ModelFamily.of(model).preprocessing(model.graph().inputs().getFirst().type());
        return CalibrationImages.fromDirectory(calib, PreprocessSpec.apply(preprocess, base));
    }

    private CalibrationImages firstCalibCount(CalibrationImages images) {
        return calibCount > 0 && calibCount < images.size() ? images.first(calibCount) : images;
    }

    /** The images an accuracy proxy runs on, and whether they were held out of calibration. */
    record ProxyImages(CalibrationImages images, boolean heldOut) {
    }

    /**
     * Up to {@code max} images for an accuracy proxy of a model quantized with these flags: the fallback's held-out
     * images, else the images of --calib beyond --calib-count, else (nothing held out) the last calibration images.
     */
    ProxyImages proxyImages(Model model, int max) {
        CalibrationImages all = allImages(model);
        CalibrationImages used = firstCalibCount(all);
        FloatFallback f = floatFallback(false);
        if (f != null) {
            return new ProxyImages(used.subset(used.size() - f.heldOutImages(), used.size()), true);
        }
        if (used.size() < all.size()) {
            return new ProxyImages(all.subset(used.size(), Math.min(all.size(), used.size() + max)), true);
        }
        return new ProxyImages(all.subset(Math.max(0, all.size() - max), all.size()), false);
    }

    /** The quantizer these flags configure (its calibrator's cache is where a later report finds the statistics). */
    PostTrainingQuantizer quantizer(CompileOptions compile, boolean progress) {
        Calibrator calibrator = progress ? Calibrator.defaults() : Calibrator.defaults().quiet();
        if (noCache) {
            calibrator = calibrator.withCacheDir(null);
        }
        return new PostTrainingQuantizer(calibrator, CalibrationMethod.parse(method).observer(percentile),
                quantizeOptions(), compile.withConfigs(null), floatFallback(progress));
    }

    /**
     * A model ready to compile as int8.
     *
     * @param model the QDQ (or otherwise quantized) model
     * @param quantized the quantizer's result, or null where the model was quantized already
     * @param calibration how it was calibrated, or null
     */
    record Quantized(Model model, QuantizedModel quantized, String calibration) {
        /** One line for a command's report. */
        String describe() {
            return "int8    " + summary();
        }

        /** What was quantized and how, without the report's prefix. */
        String summary() {
            if (quantized == null) {
                return "the model's own quantization";
            }
            List<LayerSummary> layers = quantized.summary().layers();
            List<String> fallback = layers.stream().filter(l -> l.reason().startsWith("fallback:"))
                    .map(LayerSummary::name).toList();
            long corrected = layers.stream().filter(l -> l.biasShift() != null).count();
            return quantized.summary().int8Count("Conv") + " convs in int8"
                    + (fallback.isEmpty() ? "" : ", " + fallback.size() + " layer(s) returned to float by the "
                    + "fallback " + fallback) + (corrected > 0 ? ", " + corrected + " bias(es) corrected" : "")
                    + "; calibrated on " + calibration;
        }

        void printSummary(PrintWriter out) {
            if (quantized != null) {
                out.print(quantized.summary().toText());
            }
        }
    }
}
