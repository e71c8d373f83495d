package dev.carrot.evaluation;

import dev.carrot.evaluation.dataset.EvalItem;
import dev.carrot.evaluation.dataset.QuestionFormat;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.rollout.Completion;
import dev.carrot.rollout.RolloutService;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers with the policy on the rollout workers: evaluation reuses the machinery that generates training rollouts.
 * Each question becomes {@link QuestionFormat#prompt}; completions end at the end-of-sequence token or a newline
 * (the format's answers are one line). An answer's probability is that of its exact tokens, end-of-sequence
 * included: the policy's probability of saying this and stopping.
 */
public final class RolloutAnswerSource implements AnswerSource {

    private final RolloutService rollouts;
    private final SamplingParams sampling;
    private final long seed;

    public RolloutAnswerSource(RolloutService rollouts, SamplingParams sampling, long seed) {
        this.rollouts = rollouts;
        this.sampling = sampling.stop().contains("\n") ? sampling : sampling.withStop(withNewline(sampling.stop()));
        this.seed = seed;
    }

    private static List<String> withNewline(List<String> stop) {
        List<String> all = new ArrayList<>(stop);
        all.add("\n");
        return all;
    }

    @Override
    public List<Answer> answer(List<EvalItem> items) {
        List<String> prompts = items.stream().map(item -> QuestionFormat.prompt(item.question())).toList();
        List<Answer> answers = new ArrayList<>(items.size());
        for (Completion c : rollouts.generate(prompts, sampling, seed).join()) {
            double logprob = 0;
            for (float lp : c.logprobs()) {
                logprob += lp;
            }
            answers.add(new Answer(c.text(), logprob));
        }
        return answers;
    }
}
