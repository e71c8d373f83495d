package dev.carrot.policy.tokenizer;

/**
 * Packs an ordered pair of token ids into one {@code long}, the key of merge tables. Ids are non-negative, so the
 * natural order of keys is the lexicographic order of pairs, which the trainer relies on to break ties.
 */
final class IdPair {

    private IdPair() {}

    static long of(int left, int right) {
        return ((long) left << 32) | right;
    }

    static int left(long pair) {
        return (int) (pair >>> 32);
    }

    static int right(long pair) {
        return (int) pair;
    }
}
