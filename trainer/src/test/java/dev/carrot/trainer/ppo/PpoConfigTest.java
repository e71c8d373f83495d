package dev.carrot.trainer.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.carrot.common.ConfigBinder;
import dev.carrot.common.ConfigException;
import dev.carrot.trainer.rl.KlEstimator;
import org.junit.jupiter.api.Test;

/** The choices of the {@code ppo:} section are enums, read in any case and refused by field when unknown. */
class PpoConfigTest {

    private static PpoConfig bind(String yaml) throws Exception {
        JsonNode section = ConfigBinder.mapper().readTree(yaml);
        return ConfigBinder.bind(section, PpoConfig.class, "job.yaml", "ppo");
    }

    @Test
    void choicesAreReadAsEnumsWithTheirDefaults() throws Exception {
        PpoConfig defaults = bind("{}");
        assertEquals(PpoConfig.Algorithm.PPO, defaults.algorithm());
        assertEquals(KlEstimator.K1, defaults.klEstimator());
        PpoConfig grpo = bind("{algorithm: GRPO, kl_estimator: k3}");
        assertEquals(PpoConfig.Algorithm.GRPO, grpo.algorithm());
        assertEquals(4, grpo.samplesPerPrompt(), "a group per prompt by default");
        assertEquals(KlEstimator.K3, grpo.klEstimator());
        assertEquals("rloo", PpoConfig.Algorithm.RLOO.id());
    }

    @Test
    void unknownChoicesAreRefusedByField() {
        ConfigException algorithm = assertThrows(ConfigException.class, () -> bind("{algorithm: dpo}"));
        assertTrue(algorithm.getMessage().startsWith("job.yaml: ppo.algorithm")
                && algorithm.getMessage().contains("ppo, grpo or rloo"), algorithm.getMessage());
        ConfigException estimator = assertThrows(ConfigException.class, () -> bind("{kl_estimator: k2}"));
        assertTrue(estimator.getMessage().startsWith("job.yaml: ppo.kl_estimator")
                && estimator.getMessage().contains("k1 or k3"), estimator.getMessage());
    }

    @Test
    void theLinearScheduleAnnealsTowardsZeroOverTheRun() throws Exception {
        PpoConfig linear = bind("{iterations: 4, learning_rate: 1.0e-4, lr_schedule: linear}");
        assertEquals(PpoConfig.LrSchedule.LINEAR, linear.lrSchedule());
        assertEquals(1.0e-4, linear.learningRateAt(0), 1e-18);
        assertEquals(0.25e-4, linear.learningRateAt(3), 1e-18);
        PpoConfig constant = bind("{learning_rate: 1.0e-4}");
        assertEquals(1.0e-4, constant.learningRateAt(39), 1e-18);
        ConfigException unknown = assertThrows(ConfigException.class, () -> bind("{lr_schedule: cosine}"));
        assertTrue(unknown.getMessage().startsWith("job.yaml: ppo.lr_schedule")
                && unknown.getMessage().contains("constant or linear"), unknown.getMessage());
    }

    @Test
    void aJobFileAndTheBuilderGiveTheSameConfig() throws Exception {
        assertEquals(bind("{iterations: 7, minibatch_size: 4, clip: 0.1}"),
                PpoConfig.builder().iterations(7).minibatchSize(4).clip(0.1).build());
        assertEquals(bind("{}"), PpoConfig.defaults());
    }

    @Test
    void aMisspeltKeyIsNamedBeforeAnyValueIsChecked() {
        ConfigException e = assertThrows(ConfigException.class, () -> bind("{iterations: 0, itrations: 5}"));
        assertTrue(e.getMessage().startsWith("job.yaml: ppo: unknown field 'itrations'")
                && e.getMessage().contains("iterations"), e.getMessage());
        ConfigException range = assertThrows(ConfigException.class, () -> bind("{iterations: 0}"));
        assertTrue(range.getMessage().startsWith("job.yaml: ppo.iterations"), range.getMessage());
        ConfigException minibatch = assertThrows(ConfigException.class,
                () -> bind("{prompts_per_iteration: 8, minibatch_size: 16}"));
        assertTrue(minibatch.getMessage().startsWith("job.yaml: ppo.minibatch_size: expected at most the rollouts of an"
                + " iteration, prompts_per_iteration × samples_per_prompt = 8, got 16"), minibatch.getMessage());
    }
}
