package dev.carrot.policy.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.carrot.policy.Policy;
import dev.carrot.policy.model.ForwardMode;
import dev.carrot.policy.model.ForwardOutput;
import dev.carrot.policy.model.TinyPolicies;
import dev.carrot.policy.tensor.SupportedBlasFamily;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SupportedBlasFamily.class)
class GeneratorTest {

    private final Policy policy = TinyPolicies.policy(false, 3);
    private final Generator generator = new Generator(policy.model(), policy.tokenizer());
    private final List<String> prompts = List.of("The capital of", "Question: What is 12 + 35?\nAnswer:", "I");

    @Test
    void sameSeedSameSamplesAndOtherSeedsDiffer() {
        SamplingParams params = SamplingParams.sampling(1.0, 12);
        List<Generation> a = generator.generateText(prompts, params, 42);
        List<Generation> b = new Generator(policy.model(), policy.tokenizer()).generateText(prompts, params, 42);
        List<Generation> c = generator.generateText(prompts, params, 43);
        for (int i = 0; i < prompts.size(); i++) {
            assertArrayEquals(a.get(i).tokens(), b.get(i).tokens());
            assertEquals(a.get(i).text(), b.get(i).text());
            assertArrayEquals(a.get(i).logprobs(), b.get(i).logprobs());
        }
        assertNotEquals(a.stream().map(Generation::text).toList(), c.stream().map(Generation::text).toList());
    }

    @Test
    void aSequenceWithItsOwnSamplingAndSeedIgnoresTheRestOfTheBatch() {
        SamplingParams hot = new SamplingParams(1.2, 0, 0.9, 9, List.of());
        SamplingParams greedy = SamplingParams.greedy(5).withStop(List.of("\n"));
        List<int[]> tokens = prompts.stream().map(p -> policy.tokenizer().encode(p, true)).toList();
        List<Generation> mixed = generator.generate(tokens, List.of(hot, greedy, hot),
                List.of(new Seed(7, 0), new Seed(1, 0), new Seed(7, 1)));
        Generation alone = generator.generate(List.of(tokens.get(0)), List.of(hot), List.of(new Seed(7, 0))).get(0);
        Generation third = generator.generate(List.of(tokens.get(2)), List.of(hot), List.of(new Seed(7, 1))).get(0);
        Generation greedyAlone = generator.generate(List.of(tokens.get(1)), greedy, 99).get(0);
        assertArrayEquals(alone.tokens(), mixed.get(0).tokens());
        assertArrayEquals(alone.logprobs(), mixed.get(0).logprobs());
        assertArrayEquals(third.tokens(), mixed.get(2).tokens());
        assertArrayEquals(greedyAlone.tokens(), mixed.get(1).tokens());
        assertArrayEquals(greedyAlone.logprobs(), mixed.get(1).logprobs());
        assertTrue(mixed.get(1).tokens().length <= 5 && mixed.get(0).tokens().length <= 9);
    }

    @Test
    void reportsTheMostLikelyTokensOfEachStepWhenAsked() {
        SamplingParams greedy = SamplingParams.greedy(6);
        Generation plain = generator.generateText(List.of(prompts.get(0)), greedy, 0).get(0);
        Generation asked = generator.generateText(List.of(prompts.get(0)), greedy.withAlternatives(4), 0).get(0);
        assertTrue(plain.alternatives().isEmpty());
        assertArrayEquals(plain.tokens(), asked.tokens());
        assertEquals(asked.tokens().length, asked.alternatives().size());
        for (int t = 0; t < asked.tokens().length; t++) {
            Alternatives step = asked.alternatives().get(t);
            assertEquals(4, step.tokens().length);
            assertEquals(asked.tokens()[t], step.tokens()[0], "greedy picks the most likely token");
            assertEquals(asked.logprobs()[t], step.logprobs()[0]);
            for (int i = 1; i < 4; i++) {
                assertTrue(step.logprobs()[i - 1] >= step.logprobs()[i]);
                assertNotEquals(step.tokens()[i - 1], step.tokens()[i]);
            }
        }
    }

    @Test
    void aSharedSeedIsItsStreamsInPromptOrder() {
        SamplingParams params = SamplingParams.sampling(1.0, 8);
        List<int[]> tokens = prompts.stream().map(p -> policy.tokenizer().encode(p, true)).toList();
        List<Generation> shared = generator.generate(tokens, params, 11);
        Generation last = generator.generate(List.of(tokens.get(2)), List.of(params), List.of(new Seed(11, 2))).get(0);
        assertArrayEquals(shared.get(2).tokens(), last.tokens());
    }

    /** The promise RL relies on: the log-probs a rollout reports are the training pass's, bit for bit. */
    @Test
    void reportedLogProbsAreThoseOfTheBatchInvariantForwardPassBitForBit() {
        List<int[]> tokens = prompts.stream().map(p -> policy.tokenizer().encode(p, true)).toList();
        List<Generation> generated = generator.generate(tokens, SamplingParams.sampling(1.0, 10), 5);
        // Score all three in one right-padded batch, as the trainer does, with one padding row besides.
        int T = 0;
        for (int s = 0; s < 3; s++) {
            T = Math.max(T, tokens.get(s).length + generated.get(s).tokens().length - 1);
        }
        int B = 4;
        int[] inputs = new int[B * T];
        int[] targets = new int[B * T];
        for (int s = 0; s < 3; s++) {
            int[] prompt = tokens.get(s);
            int[] all = new int[prompt.length + generated.get(s).tokens().length];
            System.arraycopy(prompt, 0, all, 0, prompt.length);
            System.arraycopy(generated.get(s).tokens(), 0, all, prompt.length, generated.get(s).tokens().length);
            System.arraycopy(all, 0, inputs, s * T, all.length - 1);
            System.arraycopy(all, 1, targets, s * T, all.length - 1);
        }
        ForwardOutput out = policy.model().forward(inputs, targets, B, T, 1f, ForwardMode.BATCH_INVARIANT);
        for (int s = 0; s < 3; s++) {
            float[] reported = generated.get(s).logprobs();
            float[] scored = Arrays.copyOfRange(out.logprobs(), s * T + tokens.get(s).length - 1,
                    s * T + tokens.get(s).length - 1 + reported.length);
            assertArrayEquals(reported, scored, "sequence " + s);
        }
    }

    @Test
    void greedyIsDeterministicAcrossSeedsAndPicksTheArgmax() {
        List<Generation> a = generator.generateText(prompts, SamplingParams.greedy(8), 1);
        List<Generation> b = generator.generateText(prompts, SamplingParams.greedy(8), 999);
        for (int i = 0; i < prompts.size(); i++) {
            assertArrayEquals(a.get(i).tokens(), b.get(i).tokens());
        }
        // Top-k with k = 1 is greedy too, at any temperature.
        List<Generation> k1 = generator.generateText(prompts, new SamplingParams(2.0, 1, 1, 8, List.of()), 7);
        for (int i = 0; i < prompts.size(); i++) {
            assertArrayEquals(a.get(i).tokens(), k1.get(i).tokens());
        }
        // So is top-p with a tiny p: only the most likely token survives.
        List<Generation> p = generator.generateText(prompts, new SamplingParams(1.0, 0, 1e-6, 8, List.of()), 7);
        for (int i = 0; i < prompts.size(); i++) {
            assertArrayEquals(a.get(i).tokens(), p.get(i).tokens());
        }
    }

    @Test
    void stopsAtMaxTokensAndCutsAtStopStrings() {
        List<Generation> plain = generator.generateText(prompts, SamplingParams.sampling(1.0, 16), 11);
        for (Generation g : plain) {
            assertTrue(g.tokens().length <= 16);
            if (g.finishReason() == FinishReason.MAX_TOKENS) {
                assertEquals(16, g.tokens().length);
            }
        }
        // Take a character the unconstrained run produced and make it a stop string.
        Generation first = plain.get(0);
        String text = first.text();
        if (text.length() >= 2) {
            String stop = text.substring(1, 2);
            Generation cut = generator.generateText(prompts.subList(0, 1),
                    SamplingParams.sampling(1.0, 16).withStop(List.of(stop)), 11).get(0);
            assertEquals(FinishReason.STOP_STRING, cut.finishReason());
            assertFalse(cut.text().contains(stop));
            assertTrue(text.startsWith(cut.text()));
        }
    }

    @Test
    void promptsLongerThanTheContextAreRefused() {
        String longPrompt = "The capital of Varnelia is Tolmar. ".repeat(20);
        assertThrows(IllegalArgumentException.class,
                () -> generator.generateText(List.of(longPrompt), SamplingParams.greedy(4), 1));
    }
}
