package dev.octet.quant;

import dev.octet.ir.OctetException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The observers by the names {@code --method} takes: {@code kl|percentile|mse|max|pow2}. */
public enum CalibrationMethod {
    KL("kl"), PERCENTILE("percentile"), MSE("mse"), MAX("max"), POW2("pow2");

    /** The percentile {@link #PERCENTILE} uses unless told otherwise. */
    public static final double DEFAULT_PERCENTILE = 99.99;

    private final String cliName;

    CalibrationMethod(String cliName) {
        this.cliName = cliName;
    }

    /** The name on the command line. */
    public String cliName() {
        return cliName;
    }

    /**
     * The method named {@code name} (case-insensitive).
     *
     * @throws OctetException listing the known names where there is no such method
     */
    public static CalibrationMethod parse(String name) {
        for (CalibrationMethod m : values()) {
            if (m.cliName.equalsIgnoreCase(name.strip())) {
                return m;
            }
        }
        throw new OctetException("unknown calibration method '" + name + "': expected one of "
                + Arrays.stream(values()).map(CalibrationMethod::cliName).collect(Collectors.joining("|")));
    }

    /** The method's observer ({@link #DEFAULT_PERCENTILE} for the percentile). */
    public Observer observer() {
        return observer(DEFAULT_PERCENTILE);
    }

    /** The method's observer; {@code percentile} applies to {@link #PERCENTILE} only. */
    public Observer observer(double percentile) {
        return switch (this) {
            case KL -> new KlDivergenceObserver();
            case PERCENTILE -> new PercentileObserver(percentile);
            case MSE -> new MseObserver();
            case MAX -> new MaxObserver();
            case POW2 -> new PowerOfTwoObserver();
        };
    }

    @Override
    public String toString() {
        return cliName.toLowerCase(Locale.ROOT);
    }
}
