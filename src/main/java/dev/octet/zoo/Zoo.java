package dev.octet.zoo;

import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The standard architectures Octet builds in code with fixed-seed random weights, for benchmarks where no
 * pretrained ONNX file is at hand. Speed does not depend on the weights; writing the model as ONNX lets ONNX
 * Runtime run the very same graph.
 */
public final class Zoo {
    /** The seed used unless another is asked for, so that every benchmark runs the same weights. */
    public static final long DEFAULT_SEED = 20240613L;

    /**
     * One architecture of the zoo.
     *
     * @param name the name on the command line
     * @param parameters its parameter count as torchvision counts it (BN running statistics excluded)
     */
    public record Entry(String name, String description, long parameters, LongFunction<Model> builder) {
        /** Builds the model with the default seed. */
        public Model build() {
            return builder.apply(DEFAULT_SEED);
        }

        public Model build(long seed) {
            return builder.apply(seed);
        }
    }

    private static final List<Entry> ENTRIES = List.of(
            new Entry("resnet50", "ResNet-50 v1.5 (torchvision), 224x224", 25_557_032L, ResNet50::build),
            new Entry("vgg16", "VGG-16 with classifier (torchvision), 224x224", 138_357_544L, Vgg16::build),
            new Entry("inceptionv3", "Inception-v3 without aux head (torchvision), 299x299", 23_834_568L,
                    InceptionV3::build),
            new Entry("mobilenetv2", "MobileNetV2 1.0 (torchvision), 224x224", 3_504_872L, MobileNetV2::build));

    private Zoo() {
    }

    public static List<Entry> entries() {
        return ENTRIES;
    }

    public static List<String> names() {
        return ENTRIES.stream().map(Entry::name).toList();
    }

    /** The entry of a name (case-insensitive); an unknown name is an {@link OctetException} listing the known. */
    public static Entry get(String name) {
        for (Entry e : ENTRIES) {
            if (e.name().equalsIgnoreCase(name)) {
                return e;
            }
        }
        throw new OctetException("unknown model '" + name + "'; the zoo has " + String.join(", ", names()));
    }
}
