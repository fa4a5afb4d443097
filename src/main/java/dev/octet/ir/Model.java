package dev.octet.ir;

import java.nio.file.Path;
import java.util.Map;

/**
 * A graph with where it came from.
 *
 * @param source the file it was read from, or null for a graph built in code
 * @param producer the producer name recorded in the file ("pytorch", "onnx-tf"...), or ""
 * @param metadata the file's metadata properties
 */
public record Model(Graph graph, Path source, String producer, Map<String, String> metadata) {
    public Model {
        metadata = Map.copyOf(metadata);
    }

    /** A graph built in code: no file (so no family told by a file name), no metadata. */
    public static Model of(Graph graph) {
        return new Model(graph, null, "", Map.of());
    }

    /** The file name, for messages. */
    public String displayName() {
        return source == null ? (graph.name().isEmpty() ? "<graph>" : graph.name()) : source.toString();
    }
}
