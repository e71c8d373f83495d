package dev.carrot.experiments.calibration.world;

import java.util.Locale;

/** The disjoint parts of the world: no entity and no arithmetic problem belongs to two splits. */
public enum Split {
    /** Questions turned into supervised fine-tuning examples. */
    SFT,
    /** Prompts for reinforcement learning. */
    RL,
    /** Held-out questions, never asked in SFT or RL. */
    EVAL;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
