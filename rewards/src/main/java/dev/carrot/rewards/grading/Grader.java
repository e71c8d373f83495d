package dev.carrot.rewards.grading;

import java.util.List;

/** Classifies a completion's style and, when it states an answer, whether it matches a reference. */
public interface Grader {

    /**
     * @param completion the generated text after the prompt, end-of-sequence marker removed
     * @param references the gold answer first, then its accepted aliases; never empty
     */
    Grade grade(String completion, List<String> references);
}
