package dev.octet.tune;

/**
 * The outcome of measuring one candidate, after AutoTVM's MeasureErrorNo. Only {@link #NO_ERROR} records carry a
 * time that may be used; every other code marks a candidate that can never be picked.
 */
public enum ErrorCode {
    NO_ERROR,
    /** The configuration could not be turned into a kernel (not a point of a valid space, a template refused it). */
    INSTANTIATION_ERROR,
    /** The C compiler rejected the kernel. */
    COMPILE_ERROR,
    /** The worker process died (segfault, abort) or reported an error. */
    RUNTIME_ERROR,
    /** The kernel ran but its output disagrees with the reference (int8: any bit; fp32: beyond the bound). */
    WRONG_ANSWER,
    /** The C compiler did not finish in time. */
    BUILD_TIMEOUT,
    /** The worker process did not finish in time and was killed. */
    RUN_TIMEOUT
}
