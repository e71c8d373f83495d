package dev.carrot.experiments.calibration.world;

import dev.carrot.common.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WorldConfigTest {

    /** Surefire runs in the module folder; the example configs live at the repository root. */
    private static final Path CONFIGS = Path.of("..", "configs");

    @TempDir
    Path folder;

    @Test
    void exampleFileStatesExactlyTheDefaults() {
        assertEquals(WorldConfig.defaults(), WorldConfig.load(CONFIGS.resolve("world.yaml"), WorldConfig.smoke()));
    }

    @Test
    void smokeFileOverDefaultsIsTheSmokePreset() {
        assertEquals(WorldConfig.smoke(), WorldConfig.load(CONFIGS.resolve("world-smoke.yaml"), WorldConfig.defaults()));
    }

    @Test
    void fieldsLeftOutKeepTheBaseValues() throws IOException {
        WorldConfig config = WorldConfig.load(yaml("world:\n  seed: 9\n  entities: {people: 50}\n"), WorldConfig.defaults());
        WorldConfig defaults = WorldConfig.defaults();
        assertEquals(9, config.seed());
        assertEquals(new WorldConfig.Entities(defaults.entities().countries(), 50, defaults.entities().cities()),
                config.entities());
        assertEquals(defaults.tiers(), config.tiers());
    }

    @Test
    void unknownFieldIsNamedWithFileAndPath() throws IOException {
        Path file = yaml("world:\n  entities: {contries: 5}\n");
        ConfigException error = assertThrows(ConfigException.class, () -> WorldConfig.load(file, WorldConfig.defaults()));
        assertEquals(file + ": world.entities: unknown field 'contries' (did you mean 'countries'?); expected one of"
                + " cities, countries, people", error.getMessage());
    }

    @Test
    void wrongTypeSaysWhatWasExpected() throws IOException {
        Path file = yaml("world:\n  repetitions:\n    rare: {min: one}\n");
        ConfigException error = assertThrows(ConfigException.class, () -> WorldConfig.load(file, WorldConfig.defaults()));
        assertEquals(file + ": world.repetitions.rare.min: expected an integer, got \"one\"", error.getMessage());
    }

    @Test
    void quotedNumberIsRejectedRatherThanGuessed() throws IOException {
        Path file = yaml("world:\n  seed: \"7\"\n");
        ConfigException error = assertThrows(ConfigException.class, () -> WorldConfig.load(file, WorldConfig.defaults()));
        assertEquals(file + ": world.seed: expected an integer, got \"7\"", error.getMessage());
    }

    @Test
    void fractionsMustSumToOne() throws IOException {
        Path file = yaml("world:\n  tiers: {well_known: 0.6}\n");
        ConfigException error = assertThrows(ConfigException.class, () -> WorldConfig.load(file, WorldConfig.defaults()));
        assertEquals(file + ": world.tiers.well_known: expected well_known + rare + unseen to sum to 1, got 1.1",
                error.getMessage());
    }

    @Test
    void rareMustStayBelowWellKnown() throws IOException {
        Path file = yaml("world:\n  repetitions:\n    rare: {max: 12}\n");
        ConfigException error = assertThrows(ConfigException.class, () -> WorldConfig.load(file, WorldConfig.defaults()));
        assertEquals(file + ": world.repetitions.well_known.min: expected at least 13, got 12", error.getMessage());
    }

    @Test
    void worldTooSmallForEveryTierInEverySplitIsRejected() throws IOException {
        Path file = yaml("world:\n  entities: {countries: 1, people: 1, cities: 1}\n");
        ConfigException error = assertThrows(ConfigException.class, () -> WorldConfig.load(file, WorldConfig.defaults()));
        assertEquals(file + ": world.entities: too few for every split to hold a fact of every tier: the rl split gets 0 "
                + "facts, none of them well_known", error.getMessage());
    }

    @Test
    void missingSectionIsReported() throws IOException {
        Path file = yaml("trainer: {}\n");
        ConfigException error = assertThrows(ConfigException.class, () -> WorldConfig.load(file, WorldConfig.defaults()));
        assertEquals(file + ": expected a 'world:' section", error.getMessage());
    }

    @Test
    void constructorsValidateToo() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new WorldConfig.SftStyles(0.5, 0.5, 0.5));
        assertEquals("answer: expected answer + hedge + abstain to sum to 1, got 1.5", error.getMessage());
    }

    private Path yaml(String text) throws IOException {
        Path file = folder.resolve("job.yaml");
        Files.writeString(file, text);
        return file;
    }
}
