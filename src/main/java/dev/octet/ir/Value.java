package dev.octet.ir;

/** A named graph input or output and its type. */
public record Value(String name, TensorType type) {
}
