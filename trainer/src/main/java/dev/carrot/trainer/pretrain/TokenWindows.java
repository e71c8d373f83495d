package dev.carrot.trainer.pretrain;

import java.util.SplittableRandom;

/**
 * A packed token stream cut into training windows: documents are concatenated with an end-of-sequence token between
 * them (GPT-2 practice, so no padding is wasted), and a batch is B windows of T + 1 tokens at random offsets,
 * giving inputs {@code [0, T)} and targets {@code [1, T]}.
 */
public final class TokenWindows {

    private final int[] stream;

    public TokenWindows(int[] stream) {
        this.stream = stream;
    }

    public int length() {
        return stream.length;
    }

    /** Fills {@code inputs} and {@code targets} [B·T] with B windows drawn uniformly from the stream. */
    public void sample(int B, int T, SplittableRandom random, int[] inputs, int[] targets) {
        requireLongEnough(T);
        for (int b = 0; b < B; b++) {
            int start = random.nextInt(stream.length - T);
            System.arraycopy(stream, start, inputs, b * T, T);
            System.arraycopy(stream, start + 1, targets, b * T, T);
        }
    }

    /** Windows at fixed, evenly spread offsets: the same held-out batches at every evaluation. */
    public void fixed(int batch, int B, int T, int batches, int[] inputs, int[] targets) {
        requireLongEnough(T);
        int span = stream.length - T;
        for (int b = 0; b < B; b++) {
            int start = (int) ((long) (batch * B + b) * span / Math.max(1, batches * B));
            System.arraycopy(stream, start, inputs, b * T, T);
            System.arraycopy(stream, start + 1, targets, b * T, T);
        }
    }

    /** Entropy, in nats, of the token frequencies: the loss of the best model that ignores context. */
    public double unigramEntropy(int vocab) {
        long[] counts = new long[vocab];
        for (int id : stream) {
            counts[id]++;
        }
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / stream.length;
                h -= p * Math.log(p);
            }
        }
        return h;
    }

    private void requireLongEnough(int T) {
        if (stream.length <= T + 1) {
            throw new IllegalArgumentException("the token stream has " + stream.length
                    + " tokens, too few for windows of " + (T + 1));
        }
    }
}
