package dev.carrot.rewards.schemes;

import dev.carrot.rewards.PerRolloutScheme;
import dev.carrot.rewards.Reward;
import dev.carrot.rewards.Rollout;
import dev.carrot.rewards.grading.AnswerFormat;

/**
 * A shaping term: 1 when the completion is exactly one of the three answer forms ("X.", "I think it is X, but I am
 * not sure.", "I don't know.") on one line, else 0. Graders read sloppy completions leniently; this term is what
 * keeps the policy writing the exact forms. It pays the same for every form, so it favours no answering behaviour.
 */
public final class FormatScheme implements PerRolloutScheme {

    @Override
    public String name() {
        return "format";
    }

    @Override
    public Reward score(Rollout rollout) {
        return Reward.of(name(), AnswerFormat.parse(rollout.completion()).canonical() ? 1.0 : 0.0, null);
    }
}
