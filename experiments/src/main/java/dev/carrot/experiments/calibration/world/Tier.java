package dev.carrot.experiments.calibration.world;

import java.util.Locale;

/**
 * What the model could know about an item, by construction of its training data. The three fact tiers measure
 * exposure; the two arithmetic tiers measure whether a skill taught by the corpus suffices.
 */
public enum Tier {
    /** A fact stated many times, in varied paraphrases, in the pretraining corpus. */
    WELL_KNOWN,
    /** A fact stated once or twice in the pretraining corpus. */
    RARE,
    /** A fact stated nowhere the model trains on: neither the corpus nor the SFT set. */
    UNSEEN,
    /**
     * A two-digit addition. The corpus works thousands of other two-digit additions, so the skill is within a small
     * model's reach, but the asked sum itself is never shown: answering it means computing, not recalling.
     */
    ARITHMETIC_EASY,
    /** A three-digit multiplication. The corpus works none; the answer is beyond what the training data teaches. */
    ARITHMETIC_HARD;

    /** The name in files and reports: {@code well_known}, {@code arithmetic_easy}, ... */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
