package dev.carrot.policy.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where one sequence's randomness comes from: the {@code stream}-th generator split off
 * {@code new SplittableRandom(root)}. A sequence's draws depend only on its own seed, never on the other sequences
 * decoded with it, so a batch may mix requests from anywhere. The streams of one root are independent: n samples of
 * one prompt take streams {@code 0..n-1} of a single root.
 *
 * <p>The logits are another matter: batched matrix products round differently for batches of different sizes
 * (OpenBLAS picks its kernels by shape), so the same sequence in a batch of another size can see logits that differ
 * in their last bits. Its log-probabilities then agree to about one part in a million, and only a token on a
 * sampling boundary or a greedy near-tie can come out differently. In a batch of the same size, or on a machine
 * whose kernels do not depend on the shape, the completion is bit-for-bit the same.
 *
 * @param root   the seed of the root generator
 * @param stream which split of the root, ≥ 0
 */
public record Seed(long root, int stream) {

    public Seed {
        if (stream < 0) {
            throw new IllegalArgumentException("stream: expected an integer ≥ 0, got " + stream);
        }
    }

    /** Streams {@code 0..count-1} of {@code root}: one seed per sequence of a batch that shares one seed. */
    public static List<Seed> streams(long root, int count) {
        List<Seed> seeds = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            seeds.add(new Seed(root, i));
        }
        return seeds;
    }

    /** A fresh generator for this sequence. */
    public SplittableRandom random() {
        SplittableRandom root = new SplittableRandom(this.root);
        SplittableRandom split = root.split();
        for (int i = 0; i < stream; i++) {
            split = root.split();
        }
        return split;
    }
}
