package dev.octet.runtime;

/** One step of a compiled model's program: reads values of the run's context and writes its outputs there. */
public interface Step {
    void run(ExecutionContext ctx);

    /** What the step runs, for reports: "conv_gemm[kc=256,nc=256,order=0]" or "reference Softmax". */
    String describe();
}
