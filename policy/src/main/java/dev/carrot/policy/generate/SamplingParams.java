package dev.carrot.policy.generate;

import java.util.List;

/**
 * How to pick each next token, when to stop, and how many alternatives to report.
 *
 * @param temperature   0 for greedy decoding; otherwise logits are divided by it before sampling
 * @param topK          keep only the k most likely tokens; 0 keeps all
 * @param topP          keep the smallest set of most likely tokens whose probability reaches p; 1 keeps all
 * @param maxNewTokens  generate at most this many tokens per sequence
 * @param stop          strings that end a completion; the completion's text is cut before the first one
 * @param alternatives  at each step, report this many most likely tokens ({@link Alternatives}); 0, the default,
 *                      reports none
 */
public record SamplingParams(double temperature, int topK, double topP, int maxNewTokens, List<String> stop,
        int alternatives) {

    public SamplingParams {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature: expected a finite number ≥ 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k: expected an integer ≥ 0 (0 = off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p: expected a number in (0, 1], got " + topP);
        }
        if (maxNewTokens <= 0) {
            throw new IllegalArgumentException("max_new_tokens: expected a positive integer, got " + maxNewTokens);
        }
        stop = List.copyOf(stop);
        if (stop.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("stop: stop strings must not be empty");
        }
        if (alternatives < 0) {
            throw new IllegalArgumentException("alternatives: expected an integer ≥ 0, got " + alternatives);
        }
    }

    /** Sampling that reports no alternatives. */
    public SamplingParams(double temperature, int topK, double topP, int maxNewTokens, List<String> stop) {
        this(temperature, topK, topP, maxNewTokens, stop, 0);
    }

    public static SamplingParams greedy(int maxNewTokens) {
        return new SamplingParams(0, 0, 1, maxNewTokens, List.of());
    }

    public static SamplingParams sampling(double temperature, int maxNewTokens) {
        return new SamplingParams(temperature, 0, 1, maxNewTokens, List.of());
    }

    public SamplingParams withStop(List<String> stopStrings) {
        return new SamplingParams(temperature, topK, topP, maxNewTokens, stopStrings, alternatives);
    }

    public SamplingParams withAlternatives(int count) {
        return new SamplingParams(temperature, topK, topP, maxNewTokens, stop, count);
    }

    public boolean greedy() {
        return temperature == 0;
    }
}
