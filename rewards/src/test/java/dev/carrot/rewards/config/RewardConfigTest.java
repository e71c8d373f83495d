package dev.carrot.rewards.config;

import org.junit.jupiter.api.Test;

import dev.carrot.rewards.RewardSchemeRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RewardConfigTest {

    private static String error(String yaml) {
        return assertThrows(RewardConfigException.class, () -> RewardConfig.parse(yaml, "job.yaml")).getMessage();
    }

    @Test
    void readsTheFullSectionOfAJobConfig() {
        RewardConfig config = RewardConfig.parse("""
                model: {layers: 4}
                reward:
                  scheme: calibration
                  params: {correct: 1.0, incorrect: -4}
                  shaping:
                    - {scheme: format, weight: 0.1}
                    - {scheme: length, params: {max_tokens: 32, penalty: 0.01}}
                  on_failure: {policy: penalty, value: -4.0}
                """, "job.yaml");

        SchemeSpec.Named scheme = assertInstanceOf(SchemeSpec.Named.class, config.scheme());
        assertEquals("calibration", scheme.scheme());
        assertEquals(Map.of("correct", 1.0, "incorrect", -4L), scheme.params());
        assertEquals(new ConfigLocation("job.yaml", "reward"), scheme.location());
        assertEquals(2, config.shaping().size());
        assertEquals(0.1, config.shaping().get(0).weight());
        assertEquals(1.0, config.shaping().get(1).weight(), "weight defaults to 1");
        SchemeSpec.Named length = assertInstanceOf(SchemeSpec.Named.class, config.shaping().get(1).scheme());
        assertEquals(new ConfigLocation("job.yaml", "reward.shaping[1]"), length.location());
        assertEquals(new FailurePolicy.Penalty(-4.0), config.onFailure());
    }

    @Test
    void defaultsToFailingOnFailure() {
        RewardConfig config = RewardConfig.parse("reward: {scheme: exact-match}", "job.yaml");

        assertEquals(new FailurePolicy.Fail(), config.onFailure());
        assertEquals(List.of(), config.shaping());
    }

    @Test
    void readsABareSchemeFile() {
        RewardConfig config = RewardConfig.parse("scheme: calibration\n", "scheme.yaml");

        assertEquals(new ConfigLocation("scheme.yaml", ""), config.scheme().location());
    }

    @Test
    void readsSumsAndRemotes() {
        RewardConfig config = RewardConfig.parse("""
                reward:
                  sum:
                    - {scheme: calibration, weight: 0.7}
                    - remote: {url: "http://127.0.0.1:8000/score", timeout_ms: 500, retries: 1}
                      weight: 0.3
                """, "job.yaml");

        SchemeSpec.Sum sum = assertInstanceOf(SchemeSpec.Sum.class, config.scheme());
        assertEquals(0.7, sum.terms().get(0).weight());
        SchemeSpec.Remote remote = assertInstanceOf(SchemeSpec.Remote.class, sum.terms().get(1).scheme());
        assertEquals(URI.create("http://127.0.0.1:8000/score"), remote.url());
        assertEquals(Duration.ofMillis(500), remote.timeout());
        assertEquals(1, remote.retries());
        assertEquals(SchemeSpec.Remote.DEFAULT_BACKOFF, remote.backoff());
    }

    /** The sample files in configs/rewards/ say what the README says they do, and every one builds. */
    @Test
    void loadsTheSampleSchemeFiles() throws IOException {
        RewardConfig calibration = sample("calibration");
        assertEquals(-4.0, ((SchemeSpec.Named) calibration.scheme()).params().get("incorrect"));
        assertEquals(new FailurePolicy.Fail(), calibration.onFailure());
        assertEquals(-5.0, ((SchemeSpec.Named) sample("hedge-band").scheme()).params().get("incorrect"));
        assertEquals(0.75, ((SchemeSpec.Named) sample("confidence-target").scheme()).params().get("t"));
        RewardConfig shaped = sample("shaped");
        assertEquals(2, ((SchemeSpec.Sum) shaped.scheme()).terms().size());
        assertEquals(2, shaped.shaping().size());
        assertEquals(new FailurePolicy.Penalty(-4.0), shaped.onFailure());
        RewardConfig remote = sample("remote");
        assertEquals(URI.create("http://127.0.0.1:8000/score"), ((SchemeSpec.Remote) remote.scheme()).url());
        RewardSchemeRegistry registry = RewardSchemeRegistry.builtIn();
        assertEquals("calibration", registry.build(calibration).name());
        assertEquals("confidence-target", registry.build(sample("confidence-target")).name());
        assertEquals("(0.8*calibration + 0.2*exact-match) + 0.1*format + length", registry.build(shaped).name());
        assertEquals("remote", registry.build(remote).name());
    }

    private static RewardConfig sample(String name) throws IOException {
        return RewardConfig.load(Path.of("../configs/rewards/" + name + ".yaml"));
    }

    @Test
    void errorsNameTheFileTheFieldAndTheExpectation() {
        assertEquals("job.yaml: reward: expected one of remote, scheme or sum", error("reward: {params: {}}"));
        assertEquals("job.yaml: reward: give only one of scheme, sum", error("reward: {scheme: a, sum: []}"));
        assertEquals("job.yaml: reward.schema: unknown key (expected on_failure, params, remote, scheme, shaping or"
                + " sum)", error("reward: {schema: calibration}"));
        assertEquals("job.yaml: reward.params: params go with 'scheme:'; 'sum:' takes its settings inline",
                error("reward: {sum: [{scheme: a}], params: {}}"));
        assertEquals("job.yaml: reward.sum: expected at least one term", error("reward: {sum: []}"));
        assertEquals("job.yaml: reward.sum[1].weight: expected a number, got \"heavy\"",
                error("reward: {sum: [{scheme: a}, {scheme: b, weight: heavy}]}"));
        assertEquals("job.yaml: reward.shaping: expected a list, got a mapping",
                error("reward: {scheme: a, shaping: {scheme: format}}"));
        assertEquals("job.yaml: reward.scheme: expected a non-empty string, got nothing", error("reward: {scheme: }"));
        assertEquals("job.yaml: reward.remote.url: expected an http:// or https:// URL, got \"ftp://x/y\"",
                error("reward: {remote: {url: 'ftp://x/y'}}"));
        assertEquals("job.yaml: reward.remote.timeout_ms: expected an integer >= 1, got 0",
                error("reward: {remote: {url: 'http://h/', timeout_ms: 0}}"));
        assertEquals("job.yaml: reward.remote: missing 'url'", error("reward: {remote: {retries: 1}}"));
        assertEquals("job.yaml: reward.on_failure: policy 'penalty' needs a 'value': the reward paid for a failed"
                + " rollout", error("reward: {scheme: a, on_failure: {policy: penalty}}"));
        assertEquals("job.yaml: reward.on_failure.policy: expected fail or penalty, got \"ignore\"",
                error("reward: {scheme: a, on_failure: {policy: ignore}}"));
        assertEquals("job.yaml: no reward section: expected a top-level 'reward:' (or a bare section with remote,"
                + " scheme or sum)", error("model: {layers: 4}"));
    }

    @Test
    void rejectsBrokenYaml() {
        String duplicate = error("reward: {scheme: a}\nreward: {scheme: b}\n");
        assertEquals(true, duplicate.startsWith("job.yaml: not valid YAML: Duplicate field 'reward'"), duplicate);
        assertEquals("job.yaml: the file is empty; expected a reward section", error(""));
    }
}
