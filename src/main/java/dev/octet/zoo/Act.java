package dev.octet.zoo;

import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.TensorType;
import java.util.ArrayList;
import java.util.List;

/**
 * An activation while a {@link GraphBuilder} builds: the value [N, channels, height, width], or after
 * {@link GraphBuilder#flatten} the value [N, channels] (then {@code flat} is true and height and width are 1). The
 * builder tracks the shapes itself, to size each layer's weights.
 */
public record Act(String name, int channels, int height, int width, boolean flat) {
    /** The type, with the symbolic batch dimension {@link GraphBuilder#BATCH}. */
    public TensorType type() {
        List<Dim> dims = new ArrayList<>(List.of(Dim.symbol(GraphBuilder.BATCH), Dim.of(channels)));
        if (!flat) {
            dims.add(Dim.of(height));
            dims.add(Dim.of(width));
        }
        return new TensorType(DataType.FLOAT, dims);
    }

    /** The same activation under another value name (the output of an elementwise node). */
    Act withName(String newName) {
        return new Act(newName, channels, height, width, flat);
    }
}
