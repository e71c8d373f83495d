package dev.carrot.trainer.bench;

import dev.carrot.policy.model.GptConfig;
import java.util.Map;

/** A reference workload: model shape, batch B and sequence length T (also the context), and timed repetitions. */
public record BenchShape(String name, int vocab, int dModel, int layers, int heads, int batch, int steps,
        int repetitions) {

    /** The engine issue's reference shapes (a), (b), (c), with the peer script's repetition counts. */
    public static final Map<String, BenchShape> REFERENCE = Map.of(
            "a", new BenchShape("a", 256, 128, 2, 4, 16, 64, 50),
            "b", new BenchShape("b", 256, 256, 4, 8, 16, 128, 10),
            "c", new BenchShape("c", 512, 384, 6, 6, 8, 256, 3));

    /** Untied head, as the peer script's default. */
    public GptConfig config() {
        return new GptConfig(vocab, steps, dModel, layers, heads, false, false);
    }

    public int tokensPerStep() {
        return batch * steps;
    }
}
