package dev.carrot.rewards;

import dev.carrot.rewards.config.RewardConfig;
import dev.carrot.rewards.grading.Category;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class WeightedSumTest {

    @Test
    void sumsWeightedTermsAndExplainsTheTotal() {
        GuardedScheme scheme = RewardSchemeRegistry.builtIn().build(RewardConfig.parse("""
                reward:
                  sum:
                    - {scheme: calibration, weight: 0.8}
                    - {scheme: exact-match, weight: 0.2}
                  shaping:
                    - {scheme: format, weight: 0.1}
                    - {scheme: length, params: {max_tokens: 2, penalty: 0.5}}
                """, "shaped.yaml"));
        Rollout hedgedRight = new Rollout("Capital of France?", "I think it is Paris, but I am not sure",
                new int[5], List.of("Paris"), Map.of());

        Reward reward = scheme.score(List.of(hedgedRight)).get(0);

        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("calibration", 0.8 * 0.5);
        expected.put("exact-match", 0.2 * 1.0);
        expected.put("format", 0.0);
        expected.put("length", -1.5);
        assertEquals(expected, reward.components());
        assertEquals(0.4 + 0.2 + 0.0 - 1.5, reward.value(), 1e-12);
        assertEquals(Category.HEDGED_CORRECT, reward.category(), "the first term that grades");
        WeightedSum sum = assertInstanceOf(WeightedSum.class, scheme.scheme());
        assertEquals(3, sum.terms().size(), "the main scheme (itself a sum) plus two shaping terms");
        assertEquals("(0.8*calibration + 0.2*exact-match) + 0.1*format + length", scheme.name());
    }

    @Test
    void namesTermsThatShareAComponentApart() {
        WeightedSum twice = new WeightedSum(List.of(
                new WeightedSum.Term(1.0, constant("bonus", 1.0)),
                new WeightedSum.Term(-2.0, constant("bonus", 1.0))));

        Reward reward = twice.score(List.of(Rollout.of("q", "a", List.of()))).get(0);

        assertEquals(Map.of("bonus", 1.0, "bonus#2", -2.0), reward.components());
        assertEquals(-1.0, reward.value());
        assertEquals("bonus + -2.0*bonus", twice.name());
    }

    private static RewardScheme constant(String name, double value) {
        return new PerRolloutScheme() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Reward score(Rollout rollout) {
                return Reward.of(name, value, null);
            }
        };
    }
}
