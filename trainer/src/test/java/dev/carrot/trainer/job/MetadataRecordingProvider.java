package dev.carrot.trainer.job;

import dev.carrot.rewards.PerRolloutScheme;
import dev.carrot.rewards.Reward;
import dev.carrot.rewards.RewardScheme;
import dev.carrot.rewards.RewardSchemeProvider;
import dev.carrot.rewards.Rollout;
import dev.carrot.rewards.SchemeParams;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A third party's scheme, found on the test classpath as a plugin is in a jar: per rollout, not tiered; it pays the
 * completion for starting with an even token id and records every rollout's metadata for the test to inspect.
 */
public final class MetadataRecordingProvider implements RewardSchemeProvider {

    static final List<Map<String, Object>> SEEN = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "test-metadata-recording";
    }

    @Override
    public String description() {
        return "test scheme: 1 for an even first token; records metadata";
    }

    @Override
    public RewardScheme create(SchemeParams params) {
        return new PerRolloutScheme() {
            @Override
            public String name() {
                return "test-metadata-recording";
            }

            @Override
            public Reward score(Rollout rollout) {
                SEEN.add(rollout.metadata());
                int[] tokens = rollout.completionTokens();
                return Reward.of("even", tokens.length > 0 && tokens[0] % 2 == 0 ? 1.0 : 0.0, null);
            }
        };
    }
}
