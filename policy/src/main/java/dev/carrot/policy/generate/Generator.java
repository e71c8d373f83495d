package dev.carrot.policy.generate;

import dev.carrot.policy.model.Gpt;
import dev.carrot.policy.tensor.Matrix;
import dev.carrot.policy.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates completions for a batch of prompts with KV-cached decoding: one batched prefill pass over the
 * right-padded prompts fills the cache, then all sequences advance together, one token per step, each at its own
 * position. Each sequence samples with its own {@link SamplingParams} from its own {@link Seed}, so a sequence's
 * randomness does not depend on which other sequences share its batch (see {@link Seed} for the arithmetic).
 * Without a tokenizer ({@link #forTokens}) it works on token ids alone: no end-of-sequence token, no stop strings,
 * empty texts; benchmarks use that to generate exactly the requested number of tokens.
 * Not thread-safe: one generator per thread.
 */
public final class Generator {

    private final Gpt model;
    private final Tokenizer tokenizer; // null when generating token ids only
    private final Sampler sampler;
    private Decoder decoder;

    public Generator(Gpt model, Tokenizer tokenizer) {
        this(model, java.util.Objects.requireNonNull(tokenizer, "tokenizer"), true);
    }

    private Generator(Gpt model, Tokenizer tokenizer, boolean checked) {
        if (tokenizer != null && tokenizer.vocabSize() != model.config().vocabSize()) {
            throw new IllegalArgumentException("tokenizer has " + tokenizer.vocabSize() + " tokens but the model's"
                    + " vocabulary is " + model.config().vocabSize());
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.sampler = new Sampler(model.config().vocabSize());
    }

    /** A generator over token ids only, which never stops early. */
    public static Generator forTokens(Gpt model) {
        return new Generator(model, null, false);
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Completions of text prompts (encoded with a leading BOS). */
    public List<Generation> generateText(List<String> prompts, SamplingParams params, long seed) {
        if (tokenizer == null) {
            throw new IllegalStateException("this generator has no tokenizer");
        }
        List<int[]> encoded = new ArrayList<>(prompts.size());
        for (String prompt : prompts) {
            encoded.add(tokenizer.encode(prompt, true));
        }
        return generate(encoded, params, seed);
    }

    /** Completions of token prompts that share {@code params}; sequence s draws from {@code Seed(seed, s)}. */
    public List<Generation> generate(List<int[]> prompts, SamplingParams params, long seed) {
        return generate(prompts, Collections.nCopies(prompts.size(), params),
                Seed.streams(seed, prompts.size()));
    }

    /**
     * Completions of token prompts, each with its own sampling and seed: {@code sampling.get(s)} and
     * {@code seeds.get(s)} belong to {@code prompts.get(s)}.
     */
    public List<Generation> generate(List<int[]> prompts, List<SamplingParams> sampling, List<Seed> seeds) {
        int S = prompts.size();
        if (sampling.size() != S || seeds.size() != S) {
            throw new IllegalArgumentException("expected one sampling and one seed per prompt: " + S + " prompts, "
                    + sampling.size() + " samplings, " + seeds.size() + " seeds");
        }
        if (S == 0) {
            return List.of();
        }
        int maxT = model.config().contextLength();
        for (int s = 0; s < S; s++) {
            if (prompts.get(s).length == 0 || prompts.get(s).length >= maxT) {
                throw new IllegalArgumentException("prompt " + s + " has " + prompts.get(s).length
                        + " tokens; expected 1 to " + (maxT - 1) + " (the context is " + maxT + ")");
            }
        }
        if (decoder == null || decoder.sequences() != S) {
            decoder = null;
            decoder = new Decoder(model, S);
        }
        SplittableRandom[] random = new SplittableRandom[S];
        for (int s = 0; s < S; s++) {
            random[s] = seeds.get(s).random();
        }
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        int[] padded = new int[S * longest];
        for (int s = 0; s < S; s++) {
            int[] prompt = prompts.get(s);
            System.arraycopy(prompt, 0, padded, s * longest, prompt.length);
            Arrays.fill(padded, s * longest + prompt.length, (s + 1) * longest, prompt[prompt.length - 1]);
        }
        int V = model.config().vocabSize();
        int[] next = new int[S];
        int[] positions = new int[S];
        List<List<Alternatives>> alternatives = new ArrayList<>(S);
        int[][] generated = new int[S][];
        float[][] logprobs = new float[S][];
        for (int s = 0; s < S; s++) {
            generated[s] = new int[sampling.get(s).maxNewTokens()];
            logprobs[s] = new float[sampling.get(s).maxNewTokens()];
            alternatives.add(new ArrayList<>());
        }
        int[] count = new int[S];
        FinishReason[] finish = new FinishReason[S];
        String[] text = new String[S];
        float[] logprob = new float[1];
        int unfinished = S;
        Matrix logits = decoder.prefill(padded, longest);
        int[] row = new int[S];
        for (int s = 0; s < S; s++) {
            row[s] = s * longest + prompts.get(s).length - 1; // the prompt's last position predicts the first token
            positions[s] = prompts.get(s).length - 1;
        }
        while (true) {
            for (int s = 0; s < S; s++) {
                if (finish[s] != null) {
                    continue; // keeps stepping on its last token; the result is ignored
                }
                SamplingParams params = sampling.get(s);
                int token = sampler.sample(logits.floats(), logits.offset() + row[s] * V, params, random[s], logprob);
                if (params.alternatives() > 0) {
                    alternatives.get(s).add(sampler.alternatives(logits.floats(), logits.offset() + row[s] * V,
                            params.alternatives()));
                }
                generated[s][count[s]] = token;
                logprobs[s][count[s]] = logprob[0];
                count[s]++;
                finish[s] = finishReason(s, token, generated[s], count[s], params, prompts.get(s).length, text);
                if (finish[s] != null) {
                    unfinished--;
                } else {
                    next[s] = token;
                    positions[s]++;
                }
            }
            if (unfinished == 0) {
                break;
            }
            logits = decoder.step(next, positions);
            for (int s = 0; s < S; s++) {
                row[s] = s;
            }
        }
        List<Generation> out = new ArrayList<>(S);
        for (int s = 0; s < S; s++) {
            out.add(new Generation(Arrays.copyOf(generated[s], count[s]), Arrays.copyOf(logprobs[s], count[s]),
                    text[s], finish[s], alternatives.get(s)));
        }
        return out;
    }

    /** Null while the sequence goes on; otherwise why it ended, with its final text stored in {@code text[s]}. */
    private FinishReason finishReason(int s, int token, int[] tokens, int count, SamplingParams params,
            int promptLength, String[] text) {
        if (tokenizer == null) {
            text[s] = "";
            return count == params.maxNewTokens() ? FinishReason.MAX_TOKENS
                    : promptLength + count > model.config().contextLength() ? FinishReason.CONTEXT_FULL : null;
        }
        if (token == tokenizer.eos()) {
            text[s] = tokenizer.decode(Arrays.copyOf(tokens, count - 1));
            return FinishReason.EOS;
        }
        String decoded = tokenizer.decode(Arrays.copyOf(tokens, count));
        int cut = -1;
        for (String stop : params.stop()) {
            int at = decoded.indexOf(stop);
            if (at >= 0 && (cut < 0 || at < cut)) {
                cut = at;
            }
        }
        if (cut >= 0) {
            text[s] = decoded.substring(0, cut);
            return FinishReason.STOP_STRING;
        }
        text[s] = decoded;
        if (count == params.maxNewTokens()) {
            return FinishReason.MAX_TOKENS;
        }
        if (promptLength + count > model.config().contextLength()) { // the next step would feed position T_max
            return FinishReason.CONTEXT_FULL;
        }
        return null;
    }
}
