package dev.carrot.experiments.calibration.world;

/**
 * One relation of one entity, with its answer and how often the corpus states it.
 *
 * @param id         {@code <entity id>/<relation>}, for example {@code country-007/capital}
 * @param statements how many corpus lines state it: within the tier's repetition range, zero when unseen
 */
public record Fact(String id, Entity entity, Relation relation, String answer, Tier tier, int statements) {

    public String question() {
        return relation.question(entity.name());
    }
}
