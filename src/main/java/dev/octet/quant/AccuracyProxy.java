package dev.octet.quant;

import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.runtime.CompiledModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A cheap stand-in for an end-task metric that a compile can always report: the cosine similarity of the int8
 * model's outputs to the fp32 model's (all outputs of one input as one vector, in double, as the float fallback's
 * budget measures it), mean and minimum over a few images. It says how far int8 moved the outputs, not whether the
 * answers changed; {@code octet eval} measures that on labelled data.
 *
 * @param meanCosine mean over the images
 * @param minCosine the worst image's
 * @param images how many images were run
 * @param heldOut whether the images were not calibrated on (a proxy on calibration images is optimistic)
 */
public record AccuracyProxy(double meanCosine, double minCosine, int images, boolean heldOut) {
    /**
     * Runs both models on every image of {@code images}.
     *
     * @throws OctetException where there are no images
     */
    public static AccuracyProxy measure(CompiledModel fp32, CompiledModel int8, CalibrationImages images,
            String inputName, boolean heldOut) {
        if (images.size() == 0) {
            throw new OctetException("accuracy proxy: no images to run");
        }
        List<Map<String, Tensor>> inputs = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            inputs.add(Map.of(inputName, images.tensor(i)));
        }
        double[] c = new OutputAgreement(fp32, inputs).cosines(int8);
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        for (double v : c) {
            sum += v;
            min = Math.min(min, v);
        }
        return new AccuracyProxy(sum / c.length, min, c.length, heldOut);
    }

    /** "output cosine fp32 vs int8: mean 0.9991, min 0.9975 on 4 held-out images". */
    public String describe() {
        return String.format("output cosine fp32 vs int8: mean %.4f, min %.4f on %d %s", meanCosine, minCosine,
                images, heldOut ? "held-out image(s)" : "calibration image(s) (none held out: optimistic)");
    }
}
