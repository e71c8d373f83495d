package dev.carrot.experiments.calibration.world;

import dev.carrot.evaluation.dataset.EvalItem;
import dev.carrot.policy.PromptFormat;

import java.util.List;
import java.util.Map;

/**
 * A question of the world with its gold answer: a fact or an arithmetic problem, in one split and one tier.
 *
 * @param entity  the entity's name for a fact, the expression ({@code 23 + 45}) for a problem; splits never share one
 * @param aliases other accepted spellings of the answer (a product's thousands separators), possibly none
 */
public record WorldItem(String id, Family family, Tier tier, Split split, String entity, String question,
                        String answer, List<String> aliases) {

    public WorldItem {
        aliases = List.copyOf(aliases);
    }

    public String prompt() {
        return PromptFormat.prompt(question);
    }

    /** The item as the evaluation harness reads it from {@code eval.jsonl}: family and entity travel as metadata. */
    public EvalItem evalItem() {
        return new EvalItem(id, question, answer, aliases, tier.key(),
                Map.of("family", family.key(), "entity", entity));
    }
}
