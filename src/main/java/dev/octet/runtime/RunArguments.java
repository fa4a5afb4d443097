package dev.octet.runtime;

/**
 * Where a fast step finds its arguments for one run: constants fixed at compile time (attributes of older opsets)
 * or values computed by the run (inputs of newer ones). Null where they are not known, so the reference step runs.
 *
 * @param <A> the step's argument record
 */
@FunctionalInterface
public interface RunArguments<A> {
    A read(ExecutionContext ctx);
}
