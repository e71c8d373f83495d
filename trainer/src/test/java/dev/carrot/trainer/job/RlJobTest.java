package dev.carrot.trainer.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.carrot.common.InvalidInputException;
import dev.carrot.policy.Policy;
import dev.carrot.policy.checkpoint.PolicyCheckpoint;
import dev.carrot.policy.kernels.JavaKernels;
import dev.carrot.policy.model.Gpt;
import dev.carrot.policy.model.GptConfig;
import dev.carrot.policy.model.GptParameters;
import dev.carrot.policy.tokenizer.BpeTrainer;
import dev.carrot.policy.tokenizer.Tokenizer;
import dev.carrot.rollout.RolloutServiceFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A user's own policy, prompts and reward through {@code train}: every kind of scheme, metadata, errors. */
class RlJobTest {

    @TempDir
    Path dir;

    private static final String TRAIN = """
            {"id": "q1", "question": "What is the capital of Varnelia?", "answer": "Tolmar", "difficulty": 2, "tags": ["geo"]}
            {"id": "q2", "question": "Who founded Kellin?", "answers": ["Brumo", "Brumo the Elder"], "difficulty": 5, "tags": []}
            {"id": "q3", "prompt": "What is 12 + 35?", "answer": 47, "difficulty": 1, "source": "toy"}
            {"id": "q4", "question": "What is 3 + 4?", "answer": "7", "difficulty": 1}
            """;

    private Path policy() throws IOException {
        Tokenizer tokenizer = new BpeTrainer(300).train(List.of("Question: What is the capital of Varnelia?\nAnswer:"
                + " Tolmar.", "Who founded Kellin? Brumo.", "What is 12 + 35? 47. I don't know. I think it is 7,"
                + " but I am not sure. Confidence: 0.5"));
        GptConfig config = new GptConfig(tokenizer.vocabSize(), 64, 16, 1, 2, true, false);
        Path policy = dir.resolve("base");
        PolicyCheckpoint.save(new Policy(new Gpt(GptParameters.initialized(config, 5), new JavaKernels()), tokenizer),
                policy);
        return policy;
    }

    private Path job(String reward, String extra) throws IOException {
        Path base = policy();
        Files.writeString(dir.resolve("train.jsonl"), TRAIN);
        Files.writeString(dir.resolve("eval.jsonl"), TRAIN.lines().limit(2).reduce("", (a, b) -> a + b + "\n"));
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, """
                policy: %s
                data:
                  train: train.jsonl
                  eval: eval.jsonl
                reward: %s
                rollout: {workers: 1, chunk_size: 4}
                ppo: {iterations: 2, prompts_per_iteration: 4, minibatch_size: 4, epochs: 1, max_new_tokens: 6,
                      learning_rate: 1.0e-3, eval_every: 1}
                eval: {max_new_tokens: 6}
                %s""".formatted(dir.relativize(base), reward, extra));
        return job;
    }

    private String run(Path job, Path out) throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new RlJob(job, out, List.of(), false, RolloutServiceFactory.local(), new PrintStream(log, true)).run();
        return log.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{scheme: calibration}", "{scheme: exact-match}", "{scheme: brier}",
            "{scheme: log-score}", "{scheme: format}", "{scheme: confidence-target, params: {t: 0.5}}",
            "{sum: [{scheme: calibration, weight: 0.5}, {scheme: exact-match, weight: 0.5}],"
                    + " shaping: [{scheme: length, params: {max_tokens: 4}}]}",
            "{scheme: test-metadata-recording}"})
    void everySchemeTrainsAndTheOutputIsAPolicyAnotherJobCanStartFrom(String reward) throws Exception {
        Path out = dir.resolve("out");
        run(job(reward, ""), out);
        JsonNode report = new ObjectMapper().readTree(out.resolve(RlJob.REPORT_JSON).toFile());
        assertEquals(2, report.path("training").size());
        assertTrue(report.path("before").has("mean_reward") && report.path("after").has("mean_reward"), report
                .toString());
        assertTrue(Files.exists(out.resolve("metrics.jsonl")) && Files.exists(out.resolve("checkpoint")));
        Policy trained = PolicyCheckpoint.load(out.resolve(RlJob.POLICY_DIR), new JavaKernels());
        assertTrue(trained.config().valueHead(), "PPO trained a critic alongside");
        if (reward.contains("calibration")) { // graded: every reward carries an outcome category
            assertTrue(report.path("after").has("hallucination_rate"), "graded schemes report hallucination: "
                    + report.path("after"));
        }
    }

    @Test
    void theRewardReceivesEveryExtraFieldAsMetadata() throws Exception {
        MetadataRecordingProvider.SEEN.clear();
        run(job("{scheme: test-metadata-recording}", ""), dir.resolve("out"));
        assertFalse(MetadataRecordingProvider.SEEN.isEmpty());
        assertTrue(MetadataRecordingProvider.SEEN.contains(Map.of("difficulty", 2, "tags", List.of("geo"))),
                MetadataRecordingProvider.SEEN.toString());
        assertTrue(MetadataRecordingProvider.SEEN.contains(Map.of("difficulty", 1, "source", "toy")));
        // A following job starts from the first one's output directory.
        Path second = dir.resolve("second.yaml");
        Files.writeString(second, Files.readString(dir.resolve("job.yaml")).replace("policy: base", "policy: out"));
        run(second, dir.resolve("out2"));
        assertTrue(Files.exists(dir.resolve("out2").resolve(RlJob.POLICY_DIR).resolve("model.safetensors")));
    }

    @Test
    void aRemoteSchemeOnLoopbackTrains() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/score", exchange -> {
            JsonNode body = new ObjectMapper().readTree(exchange.getRequestBody());
            StringBuilder rewards = new StringBuilder("{\"rewards\": [");
            for (int i = 0; i < body.path("rollouts").size(); i++) {
                rewards.append(i == 0 ? "" : ", ").append(body.path("rollouts").get(i).path("metadata")
                        .path("difficulty").asDouble() / 5);
            }
            byte[] answer = rewards.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try {
            Path out = dir.resolve("out");
            run(job("{remote: {url: \"http://127.0.0.1:" + server.getAddress().getPort() + "/score\"}}", ""), out);
            JsonNode report = new ObjectMapper().readTree(out.resolve(RlJob.REPORT_JSON).toFile());
            // The eval set's difficulties are 2 and 5: the endpoint pays 0.4 and 1.0 whatever the policy says.
            assertEquals(0.7, report.path("after").path("mean_reward").asDouble(), 1e-9);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void badRecordsStopTheJobBeforeAnyTrainingWithFileLineAndField() throws Exception {
        Path job = job("{scheme: exact-match}", "");
        Files.writeString(dir.resolve("train.jsonl"), """
                {"id": "a", "question": "What is 1 + 1?", "answer": "2"}
                {"id": "b", "answer": "3"}
                {"id": "a", "question": "What is 2 + 2?", "answer": "4"}
                {"id": "c", "question": "What?", "answers": []}
                """);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new RlJob(job, dir.resolve("out"), List.of(), false, RolloutServiceFactory.local(),
                        new PrintStream(new ByteArrayOutputStream())));
        String message = e.getMessage();
        assertTrue(message.contains("3 bad records") && message.contains("train.jsonl:2: field 'prompt'")
                && message.contains("train.jsonl:3: field 'id': 'a' is also the id of line 1")
                && message.contains("train.jsonl:4: field 'answers'"), message);
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    @Test
    void anUnknownSectionOrAMissingPolicyIsNamed() throws Exception {
        Path job = job("{scheme: exact-match}", "ppoo: {iterations: 3}\n");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new RlJob(job, dir.resolve("out"), List.of(), false, RolloutServiceFactory.local(),
                        new PrintStream(new ByteArrayOutputStream())));
        assertTrue(e.getMessage().endsWith("job.yaml: unknown section 'ppoo' (did you mean 'ppo'?); a job with policy:"
                + " has data, eval, policy, ppo, reward, rollout"), e.getMessage());
        // A misspelt required key reads as what it is, not as the missing key.
        Files.writeString(job, Files.readString(job).replace("ppoo", "#").replace("  train:", "  trian:"));
        e = assertThrows(InvalidInputException.class, () -> new RlJob(job, dir.resolve("out"), List.of(), false,
                RolloutServiceFactory.local(), new PrintStream(new ByteArrayOutputStream())));
        assertTrue(e.getMessage().endsWith("data: unknown field 'trian' (did you mean 'train'?); expected one of eval,"
                + " prompt_template, stop, train"), e.getMessage());
        Files.writeString(job, Files.readString(job).replace("  trian:", "  train:").replace("#", "ppoo"));
        Files.writeString(job, Files.readString(job).replace("policy: base", "policy: nowhere").replace("ppoo", "#"));
        e = assertThrows(InvalidInputException.class, () -> new RlJob(job, dir.resolve("out"), List.of(), false,
                RolloutServiceFactory.local(), new PrintStream(new ByteArrayOutputStream())));
        assertTrue(e.getMessage().contains("policy:") && e.getMessage().contains("nowhere"), e.getMessage());
    }

    @Test
    void anInterruptedRunIsResumedOnlyWhenAskedAndNotAfterAnyWork() throws Exception {
        Path job = job("{scheme: exact-match}", "");
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve("checkpoint"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RlJob rl = new RlJob(job, out, List.of(), false, RolloutServiceFactory.local(), new PrintStream(log, true));
        InvalidInputException e = assertThrows(InvalidInputException.class, rl::run);
        assertTrue(e.getMessage().contains("holds an interrupted run: pass --resume"), e.getMessage());
        assertFalse(log.toString(StandardCharsets.UTF_8).contains("eval before"), "refused before evaluating");
    }
}
