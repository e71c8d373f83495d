package dev.carrot.evaluation;

import dev.carrot.evaluation.dataset.EvalItem;
import dev.carrot.rewards.grading.Grade;
import dev.carrot.rewards.grading.Grader;

/**
 * Grades the completion an item received, seeing the whole item: a {@link Grader} reads only the references, a
 * judge model also reads the question.
 */
@FunctionalInterface
public interface ItemGrader {

    Grade grade(EvalItem item, String completion);

    /** {@code grader} against the item's references. */
    static ItemGrader of(Grader grader) {
        return (item, completion) -> grader.grade(completion, item.references());
    }
}
