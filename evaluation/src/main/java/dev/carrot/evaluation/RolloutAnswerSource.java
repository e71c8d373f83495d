package dev.carrot.evaluation;

import dev.carrot.evaluation.dataset.EvalItem;
import dev.carrot.policy.PromptFormat;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.rollout.Completion;
import dev.carrot.rollout.RolloutService;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers with the policy on the rollout workers: evaluation reuses the machinery that generates training rollouts.
 * Each question becomes {@link PromptFormat#prompt}; completions end at the end-of-sequence token or a newline
 * (the format's answers are one line). An answer's probability is that of its exact tokens, end-of-sequence
 * included: the policy's probability of saying this and stopping.
 */
public final class RolloutAnswerSource implements AnswerSource {

    private final RolloutService rollouts;
    private final SamplingParams sampling;
    private final long seed;

    public RolloutAnswerSource(RolloutService rollouts, SamplingParams sampling, long seed) {
        this.rollouts = rollouts;
        this.sampling = sampling.stop().contains(PromptFormat.ANSWER_END) ? sampling
                : sampling.withStop(withAnswerEnd(sampling.stop()));
        this.seed = seed;
    }

    private static List<String> withAnswerEnd(List<String> stop) {
        List<String> all = new ArrayList<>(stop);
        all.add(PromptFormat.ANSWER_END);
        return all;
    }

    @Override
    public List<Answer> answer(List<EvalItem> items) {
        List<String> prompts = items.stream().map(item -> PromptFormat.prompt(item.question())).toList();
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
