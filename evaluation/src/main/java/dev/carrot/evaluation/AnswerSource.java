package dev.carrot.evaluation;

import dev.carrot.evaluation.dataset.EvalItem;

import java.util.List;

/**
 * Whatever answers questions: a policy sampling from its weights, a remote model, a file of recorded completions.
 * Implementations build each prompt with {@link dev.carrot.policy.PromptFormat#prompt} from
 * {@link EvalItem#question()}, and may batch and parallelise as they like.
 */
@FunctionalInterface
public interface AnswerSource {

    /** One answer per item, in the order of {@code items}. */
    List<Answer> answer(List<EvalItem> items);
}
