package dev.carrot.experiments.calibration.world;

import dev.carrot.evaluation.dataset.QuestionFormat;
import dev.carrot.rewards.grading.Style;

/** A supervised fine-tuning example: an item's prompt and a completion in one of the three answer styles. */
public record SftRecord(WorldItem item, Style style) {

    public SftRecord {
        if (style == Style.UNPARSEABLE) {
            throw new IllegalArgumentException("an SFT example cannot be unparseable");
        }
    }

    public String prompt() {
        return item.prompt();
    }

    /** The target text: hedged completions carry the true answer, abstentions none. */
    public String completion() {
        return QuestionFormat.completion(style, item.answer());
    }
}
