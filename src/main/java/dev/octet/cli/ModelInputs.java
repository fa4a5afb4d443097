package dev.octet.cli;

import dev.octet.data.Images;
import dev.octet.data.ModelFamily;
import dev.octet.data.Preprocessing;
import dev.octet.data.TensorFiles;
import dev.octet.data.TextRenderer;
import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.ir.Shapes;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Builds a model's input tensors from the --input and --shape options. */
final class ModelInputs {
    /** The tensors, and one line per input saying where its values came from. */
    record Prepared(Map<String, Tensor> tensors, List<String> descriptions) {
    }

    private ModelInputs() {
    }

    static Prepared build(Model model, ModelFamily family, InputOptions options) {
        List<Value> inputs = model.graph().inputs();
        Map<String, String> specs = assign(inputs, options.inputs, "--input");
        Map<String, String> shapes = assign(inputs, options.shapes, "--shape");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<String> descriptions = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(options.seed);
        for (Value v : inputs) {
            String spec = specs.getOrDefault(v.name(), "random");
            int[] shape = shapes.containsKey(v.name()) ? parseShape(v, shapes.get(v.name())) : null;
            StringBuilder how = new StringBuilder();
            Tensor t = one(v, family, spec, shape, random, how);
            tensors.put(v.name(), t);
            descriptions.add(v.name() + ": " + t.type() + " <- " + how);
        }
        return new Prepared(tensors, descriptions);
    }

    private static Tensor one(Value v, ModelFamily family, String spec, int[] shape, SplittableRandom random,
            StringBuilder how) {
        boolean image = family.takesImages() && ModelFamily.channelAxis(v.type()) >= 0;
        if (spec.equals("random")) {
            int[] s = concreteShape(v, family, shape);
            if (image) {
                Preprocessing p = sized(family.preprocessing(v.type()), v.type(), s);
                how.append("random pixels, ").append(family.description()).append(" preprocessing (").append(p)
                        .append(")");
                return Images.toTensor(noise(p.height(), p.width(), random), p, s[0]);
            }
            how.append("random values");
            return randomTensor(v.type().dtype(), s, random);
        }
        if (spec.startsWith("text:")) {
            if (!image) {
                throw new OctetException("input '" + v.name() + "' (" + v.type() + ") does not take an image, so "
                        + "not rendered text either");
            }
            Preprocessing p = sized(family.preprocessing(v.type()), v.type(), shape);
            TextRenderer renderer = TextRenderer.withDefaultFont();
            String text = spec.substring(5);
            // Rendered at twice the model's height, then scaled down like a photographed line.
            BufferedImage img = renderer.line(text, Math.max(32, 2 * Math.min(p.height(), 64)));
            how.append("text \"").append(text).append("\" rendered with ").append(renderer.fontName()).append(", ")
                    .append(family.description()).append(" preprocessing (").append(p).append(")");
            return Images.toTensor(img, p, batch(shape));
        }
        Path file = Path.of(spec);
        if (TensorFiles.isTensorFile(file)) {
            how.append("tensor file ").append(file);
            return TensorFiles.load(file);
        }
        if (!image) {
            throw new OctetException("input '" + v.name() + "' (" + v.type() + ") does not take an image; give a "
                    + ".npy or .pb tensor file, or 'random'");
        }
        Preprocessing p = sized(family.preprocessing(v.type()), v.type(), shape);
        BufferedImage img = Images.load(file);
        how.append("image ").append(file).append(" (").append(img.getWidth()).append("x").append(img.getHeight())
                .append("), ").append(family.description()).append(" preprocessing (").append(p).append(")");
        return Images.toTensor(img, p, batch(shape));
    }

    /** The preprocessing with the height and width of a requested shape, where one was given. */
    private static Preprocessing sized(Preprocessing p, TensorType type, int[] shape) {
        if (shape == null) {
            return p;
        }
        if (shape.length != 4) {
            throw new OctetException("an image input needs a 4-dimensional --shape, got " + Arrays.toString(shape));
        }
        int axis = ModelFamily.channelAxis(type);
        int h = axis == 3 ? shape[1] : shape[2];
        int w = axis == 3 ? shape[2] : shape[3];
        return ModelFamily.fixedSize(p, h, w);
    }

    private static int batch(int[] shape) {
        return shape == null ? 1 : shape[0];
    }

    /** The declared shape with its open dimensions filled: from --shape, else batch 1 and the family's size. */
    private static int[] concreteShape(Value v, ModelFamily family, int[] requested) {
        if (requested != null) {
            return requested;
        }
        TensorType t = v.type();
        int axis = ModelFamily.channelAxis(t);
        int[] size = family.defaultSize();
        int[] s = new int[t.rank()];
        for (int i = 0; i < s.length; i++) {
            Dim d = t.dims().get(i);
            if (d.isKnown()) {
                s[i] = (int) d.value();
            } else if (i == 0) {
                s[i] = 1;
            } else if (axis >= 0 && family.takesImages() && i != axis) {
                s[i] = size[(axis == 3 ? i - 1 : i - 2)];
            } else {
                throw new OctetException("input '" + v.name() + "' has open dimensions (" + t + "); give them with "
                        + "--shape " + v.name() + "=...");
            }
        }
        return s;
    }

    private static int[] parseShape(Value v, String text) {
        String[] parts = text.split(",");
        int[] s = new int[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                s[i] = Integer.parseInt(parts[i].trim());
                if (s[i] <= 0 || s[i] > 1 << 20) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw new OctetException("--shape " + text + ": expected positive sizes separated by commas");
        }
        TensorType t = v.type();
        if (s.length != t.rank()) {
            throw new OctetException("--shape " + text + ": input '" + v.name() + "' has rank " + t.rank() + " ("
                    + t + ")");
        }
        for (int i = 0; i < s.length; i++) {
            if (t.dims().get(i).isKnown() && t.dims().get(i).value() != s[i]) {
                throw new OctetException("--shape " + text + ": dimension " + i + " of input '" + v.name()
                        + "' is fixed at " + t.dims().get(i).value() + " (" + t + ")");
            }
        }
        Shapes.size(s);
        return s;
    }

    /** NAME=VALUE specs go to that input; plain ones to the remaining inputs in order. */
    private static Map<String, String> assign(List<Value> inputs, List<String> specs, String option) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> plain = new ArrayList<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            String name = eq > 0 ? spec.substring(0, eq) : null;
            if (name != null && inputs.stream().anyMatch(v -> v.name().equals(name))) {
                if (out.put(name, spec.substring(eq + 1)) != null) {
                    throw new OctetException(option + " is given twice for input '" + name + "'");
                }
            } else {
                plain.add(spec);
            }
        }
        int next = 0;
        for (Value v : inputs) {
            if (!out.containsKey(v.name()) && next < plain.size()) {
                out.put(v.name(), plain.get(next++));
            }
        }
        if (next < plain.size()) {
            throw new OctetException(option + " " + plain.get(next) + ": the model has no input left for it (its "
                    + "inputs are " + inputs.stream().map(Value::name).toList() + ")");
        }
        return out;
    }

    private static BufferedImage noise(int h, int w, SplittableRandom random) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return img;
    }

    /** Floats uniform in [-1, 1), integers in 0..9, booleans fair coins. */
    private static Tensor randomTensor(DataType dtype, int[] shape, SplittableRandom random) {
        int n = Shapes.size(shape);
        if (dtype.isFloat()) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = random.nextDouble(-1, 1);
            }
            return Tensor.ofDoubles(dtype, shape, v);
        }
        if (dtype == DataType.BOOL) {
            boolean[] v = new boolean[n];
            for (int i = 0; i < n; i++) {
                v[i] = random.nextBoolean();
            }
            return Tensor.ofBooleans(shape, v);
        }
        if (dtype.isInteger()) {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
                v[i] = random.nextInt(10);
            }
            return Tensor.ofLongs(dtype, shape, v);
        }
        throw new OctetException("cannot make random " + dtype.shortName() + " values");
    }
}
