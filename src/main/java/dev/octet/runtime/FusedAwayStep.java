package dev.octet.runtime;

/**
 * The place of a node whose work a fused step earlier in the program does (an elementwise chain computes its value
 * without storing the intermediate). Where that step did not run, because its first node's outputs were folded to
 * constants for this run's shapes, the node runs its reference step here.
 */
public final class FusedAwayStep implements Step {
    private final Step reference;
    private final String fusedOutput;

    /** @param fusedOutput the value the fused step writes; its absence means this node must run itself */
    public FusedAwayStep(Step reference, String fusedOutput) {
        this.reference = reference;
        this.fusedOutput = fusedOutput;
    }

    @Override
    public void run(ExecutionContext ctx) {
        if (ctx.find(fusedOutput) == null) {
            ctx.runReference(reference, this);
        }
    }

    @Override
    public String describe() {
        return "fused";
    }
}
