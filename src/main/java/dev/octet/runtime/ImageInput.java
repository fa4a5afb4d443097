package dev.octet.runtime;

import dev.octet.data.Images;
import dev.octet.data.Preprocessing;
import dev.octet.ir.Graph;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.Value;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

/**
 * Images as the input of a single-input image model, through the preprocessing the compile declared or derived:
 * what {@link CompiledModel#run(BufferedImage)} binds. A preprocessing that does not fit the input (channels,
 * layout, size) is one clear error naming both, before the run.
 */
final class ImageInput {
    private ImageInput() {
    }

    static Map<String, Tensor> of(Graph graph, Preprocessing p, List<BufferedImage> images) {
        Value in = ArrayInput.single(graph, "run(BufferedImage)");
        if (p == null) {
            throw new OctetException("run(BufferedImage): no preprocessing for input '" + in.name() + "' " + in.type()
                    + ": the model is of no family whose convention Octet knows; declare one with "
                    + "CompileOptions.withPreprocessing");
        }
        if (images.isEmpty()) {
            throw new OctetException("run(List<BufferedImage>): no images");
        }
        p.checkFits(in.name(), in.type(), -1, -1);
        Tensor t = Images.toTensor(images, p);
        int hAxis = p.nhwc() ? 1 : 2;
        p.checkFits(in.name(), in.type(), t.dim(hAxis), t.dim(hAxis + 1));
        return Map.of(in.name(), t);
    }
}
