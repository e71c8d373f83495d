package dev.carrot.experiments.calibration.world;

import java.util.Locale;

/** The skill an item exercises. */
public enum Family {
    /** Recall of a relation between a fictional entity and its answer. */
    FACT,
    /** Computing a sum or a product. */
    ARITHMETIC;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
