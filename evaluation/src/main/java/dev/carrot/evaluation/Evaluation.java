package dev.carrot.evaluation;

import dev.carrot.evaluation.dataset.Dataset;
import dev.carrot.evaluation.dataset.EvalItem;
import dev.carrot.evaluation.metrics.Bootstrap;
import dev.carrot.evaluation.metrics.GradedItem;
import dev.carrot.evaluation.metrics.GroupMetrics;
import dev.carrot.rewards.analysis.RewardAnalysis;
import dev.carrot.rewards.grading.Grade;
import dev.carrot.rewards.grading.Grader;
import dev.carrot.rewards.grading.Style;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Asks a dataset's questions, grades the answers, and measures them: the hallucination harness.
 *
 * <pre>{@code
 * Evaluation evaluation = new Evaluation(grader, new NamedReward("tiered", scheme::reward), Bootstrap.standard());
 * EvalReport report = evaluation.run(Datasets.load(Path.of("world/eval.jsonl")), policySource);
 * ReportWriter.write(report, Path.of("runs/eval"));
 * }</pre>
 */
public final class Evaluation {

    private final ItemGrader grader;
    private final NamedReward reward;
    private final Bootstrap bootstrap;
    private final RewardAnalysis analysis;

    /** @throws IllegalArgumentException if {@code reward} pays some category other than a finite number */
    public Evaluation(Grader grader, NamedReward reward, Bootstrap bootstrap) {
        this(ItemGrader.of(Objects.requireNonNull(grader, "grader")), reward, bootstrap);
    }

    /** As {@link #Evaluation(Grader, NamedReward, Bootstrap)}, with a grader that also reads the question. */
    public Evaluation(ItemGrader grader, NamedReward reward, Bootstrap bootstrap) {
        this.grader = Objects.requireNonNull(grader, "grader");
        this.reward = Objects.requireNonNull(reward, "reward");
        this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
        this.analysis = reward.analysis();
    }

    /** Asks {@code source} every question of {@code dataset} and reports on its answers. */
    public EvalReport run(Dataset dataset, AnswerSource source) {
        return report(dataset, source.answer(dataset.items()));
    }

    /** Reports on answers already given, one per item of {@code dataset}, in its order. */
    public EvalReport report(Dataset dataset, List<Answer> answers) {
        if (answers.size() != dataset.items().size()) {
            throw new IllegalArgumentException("expected one answer per item: " + dataset.items().size()
                    + " items, " + answers.size() + " answers");
        }
        List<GradedItem> graded = new ArrayList<>(answers.size());
        for (int i = 0; i < answers.size(); i++) {
            graded.add(grade(dataset.items().get(i), answers.get(i)));
        }
        Map<String, List<GradedItem>> tiers = new LinkedHashMap<>();
        for (GradedItem item : graded) {
            tiers.computeIfAbsent(item.item().tier(), tier -> new ArrayList<>()).add(item);
        }
        Map<String, EvalReport.Group> byTier = new LinkedHashMap<>();
        tiers.forEach((tier, items) -> byTier.put(tier, group(items)));
        return new EvalReport(dataset.name(), reward, group(graded), byTier, bootstrap, graded);
    }

    private GradedItem grade(EvalItem item, Answer answer) {
        Grade grade = grader.grade(item, answer.completion());
        // The oracle knows which answers are right: it states those plainly and abstains on everything else.
        Grade oracle = grade.correct() ? new Grade(Style.ANSWERED, true, grade.answer())
                : new Grade(Style.ABSTAINED, false, "");
        return new GradedItem(item, answer.completion(), answer.confidence(), grade, reward.of(grade),
                reward.of(oracle));
    }

    private EvalReport.Group group(List<GradedItem> items) {
        return new EvalReport.Group(GroupMetrics.of(items, analysis), bootstrap.intervals(items, Bootstrap.HEADLINE));
    }
}
