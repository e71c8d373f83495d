package dev.carrot.rewards;

import dev.carrot.rewards.config.FailurePolicy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GuardedSchemeTest {

    /** Pays the completion's length, throws on "boom", and returns NaN on "nan" and an infinite component on "inf". */
    private static final PerRolloutScheme FRAGILE = new PerRolloutScheme() {
        @Override
        public String name() {
            return "fragile";
        }

        @Override
        public Reward score(Rollout rollout) {
            return switch (rollout.completion()) {
                case "boom" -> throw new IllegalStateException("cannot score boom");
                case "nan" -> Reward.of("fragile", Double.NaN, null);
                case "inf" -> new Reward(1.0, Map.of("part", Double.POSITIVE_INFINITY), null);
                default -> Reward.of("fragile", rollout.completion().length(), null);
            };
        }
    };

    private static List<Rollout> rollouts(String... completions) {
        List<Rollout> rollouts = new ArrayList<>();
        for (String completion : completions) {
            rollouts.add(new Rollout("prompt for " + completion, completion, new int[0], List.of("ref"),
                    Map.of("id", completion)));
        }
        return rollouts;
    }

    @Test
    void finiteRewardsPassThrough() {
        GuardedScheme guarded = new GuardedScheme(FRAGILE, new FailurePolicy.Fail());

        assertEquals(List.of(2.0, 3.0), guarded.score(rollouts("ab", "abc")).stream().map(Reward::value).toList());
        assertEquals(0, guarded.failures());
    }

    @Test
    void failPolicyStopsWithTheRolloutThatThrew() {
        GuardedScheme guarded = new GuardedScheme(FRAGILE, new FailurePolicy.Fail());

        RewardFailureException e = assertThrows(RewardFailureException.class,
                () -> guarded.score(rollouts("ok", "boom", "fine")));

        assertEquals(1, e.index().orElseThrow());
        assertEquals("boom", e.rollout().orElseThrow().completion());
        assertTrue(e.getMessage().startsWith("reward scheme 'fragile' failed on rollout 1 of a batch of 3:"
                + " java.lang.IllegalStateException: cannot score boom\n  prompt:     \"prompt for boom\"\n"
                + "  completion: \"boom\"\n  references: [ref]\n  metadata:   {id=boom}"), e.getMessage());
    }

    @Test
    void failPolicyStopsOnNaNAndInfinity() {
        GuardedScheme guarded = new GuardedScheme(FRAGILE, new FailurePolicy.Fail());

        RewardFailureException nan = assertThrows(RewardFailureException.class,
                () -> guarded.score(rollouts("ok", "nan")));
        assertTrue(nan.getMessage().contains("failed on rollout 1 of a batch of 2: returned a non-finite reward NaN"),
                nan.getMessage());
        RewardFailureException inf = assertThrows(RewardFailureException.class,
                () -> guarded.score(rollouts("inf")));
        assertTrue(inf.getMessage().contains("non-finite reward 1.0 {part=Infinity}"), inf.getMessage());
    }

    @Test
    void penaltyPolicyPaysAndCountsEachFailureAndScoresTheRest() {
        GuardedScheme guarded = new GuardedScheme(FRAGILE, new FailurePolicy.Penalty(-4.0));

        List<Reward> rewards = guarded.score(rollouts("ab", "boom", "nan", "abcd", "boom", "inf"));

        assertEquals(List.of(2.0, -4.0, -4.0, 4.0, -4.0, -4.0), rewards.stream().map(Reward::value).toList());
        assertEquals(Map.of("failure_penalty", -4.0), rewards.get(1).components());
        assertEquals(4, guarded.failures());
        guarded.score(rollouts("nan"));
        assertEquals(5, guarded.failures(), "the count accumulates over batches");
    }

    @Test
    void aBatchFailureThatNamesNoRolloutIsChargedToTheWholeBatch() {
        RewardScheme batchOnly = new RewardScheme() {
            @Override
            public String name() {
                return "batch-only";
            }

            @Override
            public List<Reward> score(List<Rollout> rollouts) {
                throw new IllegalStateException("service unavailable");
            }
        };

        GuardedScheme penalised = new GuardedScheme(batchOnly, new FailurePolicy.Penalty(-1.0));
        assertEquals(List.of(-1.0, -1.0, -1.0),
                penalised.score(rollouts("a", "b", "c")).stream().map(Reward::value).toList());
        assertEquals(3, penalised.failures());

        RewardFailureException e = assertThrows(RewardFailureException.class,
                () -> new GuardedScheme(batchOnly, new FailurePolicy.Fail()).score(rollouts("a", "b")));
        assertTrue(e.getMessage().startsWith("reward scheme 'batch-only' failed on a batch of 2 rollouts (the failure"
                + " names no single rollout): java.lang.IllegalStateException: service unavailable"), e.getMessage());
        assertTrue(e.rollout().isEmpty());
    }

    @Test
    void aSchemeReturningTheWrongNumberOfRewardsFails() {
        RewardScheme short1 = new RewardScheme() {
            @Override
            public String name() {
                return "short";
            }

            @Override
            public List<Reward> score(List<Rollout> rollouts) {
                return List.of(Reward.of("short", 1.0, null));
            }
        };

        RewardFailureException e = assertThrows(RewardFailureException.class,
                () -> new GuardedScheme(short1, new FailurePolicy.Fail()).score(rollouts("a", "b")));
        assertTrue(e.getMessage().contains("returned 1 rewards for 2 rollouts"), e.getMessage());
    }
}
