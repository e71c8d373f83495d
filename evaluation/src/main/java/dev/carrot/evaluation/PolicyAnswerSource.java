package dev.carrot.evaluation;

import dev.carrot.evaluation.dataset.EvalItem;
import dev.carrot.evaluation.dataset.QuestionFormat;
import dev.carrot.policy.Policy;
import dev.carrot.policy.generate.Generation;
import dev.carrot.policy.generate.Generator;
import dev.carrot.policy.generate.SamplingParams;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers with a local policy: each question becomes {@link QuestionFormat#prompt}, completions are decoded in
 * batches with the KV cache and end at the end-of-sequence token or a newline (the format's answers are one line).
 * An answer's probability is that of its exact tokens, end-of-sequence included: the policy's probability of saying
 * this and stopping.
 */
public final class PolicyAnswerSource implements AnswerSource {

    private final Generator generator;
    private final SamplingParams sampling;
    private final int batchSize;
    private final long seed;

    public PolicyAnswerSource(Policy policy, SamplingParams sampling, int batchSize, long seed) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size: expected a positive integer, got " + batchSize);
        }
        this.generator = new Generator(policy.model(), policy.tokenizer());
        this.sampling = sampling.stop().contains("\n") ? sampling : sampling.withStop(appendNewline(sampling.stop()));
        this.batchSize = batchSize;
        this.seed = seed;
    }

    private static List<String> appendNewline(List<String> stop) {
        List<String> all = new ArrayList<>(stop);
        all.add("\n");
        return all;
    }

    @Override
    public List<Answer> answer(List<EvalItem> items) {
        List<Answer> answers = new ArrayList<>(items.size());
        for (int first = 0; first < items.size(); first += batchSize) {
            List<String> prompts = new ArrayList<>();
            for (EvalItem item : items.subList(first, Math.min(items.size(), first + batchSize))) {
                prompts.add(QuestionFormat.prompt(item.question()));
            }
            // One generator per batch, split off the seed by batch index: results do not depend on batch timing.
            for (Generation g : generator.generateText(prompts, sampling, seed + first / batchSize)) {
                answers.add(new Answer(g.text(), g.sequenceLogProb()));
            }
        }
        return answers;
    }
}
