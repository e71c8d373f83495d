package dev.carrot.experiments.calibration.world;

import java.util.List;

/**
 * A generated world: what exists, what the model trains on, and what it is asked.
 *
 * @param facts           every fact, including unseen ones (which appear in no training data)
 * @param items           every asked question: facts and arithmetic problems of all splits
 * @param corpus          the pretraining corpus, one statement per line, in training order
 * @param sft             the SFT set: questions of the SFT split that the model could know, in training order
 * @param workedAdditions how many distinct additions the corpus works
 */
public record CalibrationWorld(WorldConfig config, List<Entity> entities, List<Fact> facts, List<WorldItem> items,
                               List<String> corpus, List<SftRecord> sft, int workedAdditions) {

    public CalibrationWorld {
        entities = List.copyOf(entities);
        facts = List.copyOf(facts);
        items = List.copyOf(items);
        corpus = List.copyOf(corpus);
        sft = List.copyOf(sft);
    }

    public List<WorldItem> items(Split split) {
        return items.stream().filter(item -> item.split() == split).toList();
    }
}
