package dev.carrot.evaluation;

import dev.carrot.evaluation.dataset.PromptRecord;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.rewards.Reward;
import dev.carrot.rewards.RewardScheme;
import dev.carrot.rewards.Rollout;
import dev.carrot.rewards.grading.Category;
import dev.carrot.rollout.Completion;
import dev.carrot.rollout.RolloutService;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Evaluates a policy on prompt records under any reward scheme: the policy completes every prompt on the rollout
 * workers, the scheme scores the completions with each record's references and metadata, exactly as in training,
 * and the rewards are summarised. Where the scheme grades (every reward carries a category), the summary adds
 * accuracy, hallucination and abstention rates.
 */
public final class RewardEvaluation {

    private static final Set<Category> CORRECT = EnumSet.of(Category.CORRECT, Category.HEDGED_CORRECT);
    private static final Set<Category> WRONG = EnumSet.of(Category.INCORRECT, Category.HEDGED_INCORRECT);

    private RewardEvaluation() {}

    /**
     * @param records  the records, their prompts already in the policy's format
     * @param sampling how to decode: greedy makes the result a function of the policy alone
     */
    public static RewardSummary run(List<PromptRecord> records, RolloutService rollouts, RewardScheme reward,
            SamplingParams sampling, long seed) {
        List<Completion> completions = rollouts.generate(records.stream().map(PromptRecord::prompt).toList(),
                sampling, seed).join();
        List<Rollout> scored = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            scored.add(records.get(i).rollout(completions.get(i)));
        }
        return summarise(reward.score(scored), scored);
    }

    static RewardSummary summarise(List<Reward> rewards, List<Rollout> rollouts) {
        int n = rewards.size();
        double sum = 0;
        double squares = 0;
        double tokens = 0;
        Map<String, Double> components = new HashMap<>();
        Map<String, Double> categories = new HashMap<>();
        int correct = 0;
        int wrong = 0;
        int abstained = 0;
        boolean graded = n > 0;
        for (int i = 0; i < n; i++) {
            Reward r = rewards.get(i);
            sum += r.value();
            squares += r.value() * r.value();
            tokens += rollouts.get(i).completionLength();
            r.components().forEach((name, value) -> components.merge(name, value / n, Double::sum));
            Category category = r.category();
            graded &= category != null;
            if (category != null) {
                categories.merge(category.name().toLowerCase(Locale.ROOT), 1.0 / n, Double::sum);
                correct += CORRECT.contains(category) ? 1 : 0;
                wrong += WRONG.contains(category) ? 1 : 0;
                abstained += category == Category.ABSTAINED ? 1 : 0;
            }
        }
        double mean = n == 0 ? 0 : sum / n;
        double std = n == 0 ? 0 : Math.sqrt(Math.max(0, squares / n - mean * mean));
        return new RewardSummary(n, mean, std, components, categories, n == 0 ? 0 : tokens / n,
                graded ? (double) correct / n : null, graded ? (double) wrong / n : null,
                graded ? (double) abstained / n : null);
    }

    /** The summary's headline, for a log line. */
    public static String describe(RewardSummary s) {
        Objects.requireNonNull(s);
        String graded = s.accuracy() == null ? "" : String.format(Locale.ROOT,
                "  accuracy %.1f%%  hallucination %.1f%%  abstain %.1f%%", 100 * s.accuracy(),
                100 * s.hallucinationRate(), 100 * s.abstainRate());
        return String.format(Locale.ROOT, "n %d  mean reward %+.3f ±%.3f  completion %.1f tokens%s", s.n(),
                s.meanReward(), s.rewardStd(), s.meanCompletionTokens(), graded);
    }
}
