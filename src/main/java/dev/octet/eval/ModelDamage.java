package dev.octet.eval;

import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Model;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deliberately damaged copies of a model, to check that an evaluation notices damage: an evaluation that scores a
 * model with one convolution's weights doubled as well as the intact one measures nothing. (The int8 form of the
 * same check doubles a layer's quantization scale.)
 */
public final class ModelDamage {
    private ModelDamage() {
    }

    /** How many Conv nodes the model has (damage one in the middle: the first and last are often tolerated). */
    public static int convCount(Model model) {
        return (int) model.graph().nodes().stream().filter(n -> n.opType().equals("Conv")).count();
    }

    /** The model with the weights of its {@code index}-th Conv node (in graph order, from 0) multiplied by factor. */
    public static Model scaleConvWeights(Model model, int index, double factor) {
        Graph g = model.graph();
        List<Node> convs = g.nodes().stream().filter(n -> n.opType().equals("Conv")).toList();
        if (index < 0 || index >= convs.size()) {
            throw new OctetException("the model has " + convs.size() + " Conv nodes, no Conv number " + index);
        }
        String weightName = convs.get(index).input(1);
        Tensor w = g.constants().get(weightName);
        if (w == null || w.dtype() != DataType.FLOAT) {
            throw new OctetException("Conv number " + index + " has no constant float weights");
        }
        float[] scaled = w.floats().clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = (float) (scaled[i] * factor);
        }
        Map<String, Tensor> constants = new LinkedHashMap<>(g.constants());
        constants.put(weightName, Tensor.of(DataType.FLOAT, w.shape(), scaled));
        return withConstants(model, constants);
    }

    private static Model withConstants(Model model, Map<String, Tensor> constants) {
        Graph g = model.graph();
        Graph damaged = new Graph(g.name(), g.inputs(), g.outputs(), g.nodes(), constants, g.valueTypes(),
                g.opsets());
        return new Model(damaged, model.source(), model.producer(), model.metadata());
    }
}
