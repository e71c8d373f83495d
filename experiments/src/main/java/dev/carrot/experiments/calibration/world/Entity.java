package dev.carrot.experiments.calibration.world;

/**
 * A fictional entity.
 *
 * @param id    stable within a world, for example {@code country-007}
 * @param name  its pronounceable name, unique in the world
 * @param split the one split whose questions may mention it
 */
public record Entity(String id, EntityKind kind, String name, Split split) {}
