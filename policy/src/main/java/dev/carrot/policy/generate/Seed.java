package dev.carrot.policy.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where one sequence's randomness comes from: the {@code stream}-th generator split off
 * {@code new SplittableRandom(root)}. A sequence's completion depends only on its prompt, its sampling and its seed,
 * never on the other sequences decoded with it, so a batch may mix requests from anywhere. The streams of one root
 * are independent: n samples of one prompt take streams {@code 0..n-1} of a single root.
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
