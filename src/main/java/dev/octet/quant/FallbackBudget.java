package dev.octet.quant;

import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.runtime.CompiledModel;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.function.ToDoubleFunction;

/**
 * What {@link FloatFallback} must reach: a value measured on a compiled int8 candidate and whether it is good
 * enough. Either fp32-vs-int8 agreement of the outputs on held-out inputs (their cosine, {@link #minCosine}, or
 * their class decisions, {@link #minTopAgreement}), or an end-task metric the caller computes ({@link #maxDrop},
 * e.g. character accuracy on a labelled set).
 */
public interface FallbackBudget {
    /** The budget's check, set up once with the fp32 model (its outputs or its metric) and the held-out inputs. */
    Check against(CompiledModel fp32, List<Map<String, Tensor>> heldOut);

    /** One budget's measure of candidates. */
    interface Check {
        /** The measured value of a candidate (cosine, metric...). */
        double value(CompiledModel candidate);

        boolean holds(double value);

        /** The budget in words, e.g. "mean output cosine >= 0.99 on 8 held-out images". */
        String describe();
    }

    /**
     * Output cosine of fp32 vs int8 per held-out input at least {@code min}: on average over the inputs, or for
     * every input ({@code worst}).
     */
    static FallbackBudget minCosine(double min, boolean worst) {
        if (!(min > -1 && min <= 1)) {
            throw new OctetException("the minimum output cosine must be in (-1, 1], not " + min);
        }
        return (fp32, heldOut) -> {
            OutputAgreement agreement = new OutputAgreement(fp32, heldOut);
            return check(worst ? agreement::min : agreement::mean, v -> v >= min, (worst ? "min" : "mean")
                    + " output cosine >= " + min + " on " + heldOut.size() + " held-out input(s)");
        };
    }

    /**
     * The share of fp32's class decisions (argmax along each output's last axis: per time step for a sequence
     * recogniser, per image for a classifier) that the candidate keeps on the held-out inputs, at least
     * {@code min}. Closer to an end-task metric than the cosine where the outputs are class scores: a cosine of
     * softmax outputs is dominated by confident positions that no int8 error flips.
     */
    static FallbackBudget minTopAgreement(double min) {
        if (!(min > 0 && min <= 1)) {
            throw new OctetException("the minimum share of kept decisions must be in (0, 1], not " + min);
        }
        return (fp32, heldOut) -> {
            OutputAgreement agreement = new OutputAgreement(fp32, heldOut);
            return check(agreement::topAgreement, v -> v >= min, "share of fp32's argmax decisions kept >= " + min
                    + " on " + heldOut.size() + " held-out input(s)");
        };
    }

    /** The check of a measure, a test of its value and the words for both. */
    private static Check check(ToDoubleFunction<CompiledModel> measure, DoublePredicate holds, String description) {
        return new Check() {
            @Override
            public double value(CompiledModel candidate) {
                return measure.applyAsDouble(candidate);
            }

            @Override
            public boolean holds(double value) {
                return holds.test(value);
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }

    /**
     * An end-task metric (higher is better) that may drop from fp32's by at most {@code maxDrop} (in the metric's
     * units, e.g. 0.5 for half a point of a percentage). The metric is called once on the fp32 model, then on
     * each candidate of the greedy search (not for the ranking, which uses the output cosine).
     */
    static FallbackBudget maxDrop(String name, ToDoubleFunction<CompiledModel> metric, double maxDrop) {
        if (!(maxDrop >= 0)) {
            throw new OctetException("the largest metric drop must be >= 0, not " + maxDrop);
        }
        return (fp32, heldOut) -> {
            double reference = metric.applyAsDouble(fp32);
            return check(metric, v -> reference - v <= maxDrop, name + " drop <= " + maxDrop + " from fp32's "
                    + reference);
        };
    }
}
