package dev.carrot.policy.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Learns a byte-level BPE vocabulary from a corpus.
 *
 * <p>The vocabulary is laid out as follows, and {@link #vocabSize()} counts all of it:
 * <ul>
 *   <li>ids 0..255: one token per byte value, id {@code b} for byte {@code b};</li>
 *   <li>ids 256..: one token per learned merge, in the order learned;</li>
 *   <li>the last three ids: {@value Tokenizer#BOS}, {@value Tokenizer#EOS} and {@value Tokenizer#PAD}, in that
 *       order.</li>
 * </ul>
 * Training stops early, with a smaller vocabulary, when no pair of adjacent tokens is left to merge in the corpus.
 *
 * <p>How it trains: the corpus is pre-tokenized once into pieces, and only the distinct pieces and their frequencies
 * are kept. Each step merges the most frequent adjacent pair of tokens, counting a pair once per occurrence in each
 * piece times the piece's frequency. Pair counts are maintained incrementally: a merge rescans only the pieces that
 * contain the merged pair (found through an index from pair to pieces), and a priority queue yields the next best
 * pair. Ties in frequency go to the pair with the smaller (left id, right id), so training is deterministic: the same
 * corpus and settings always give the same vocabulary.
 *
 * <p>Instances are immutable and may train several corpora.
 */
public final class BpeTrainer {

    /** The 256 byte tokens and the 3 special tokens: a vocabulary of this size has no merges. */
    public static final int MIN_VOCAB_SIZE = 256 + 3;

    private static final int SPECIAL_TOKEN_COUNT = 3;

    private final int vocabSize;
    private final PreTokenizer preTokenizer;

    /** A trainer splitting text with {@link PreTokenizer#carrot()}. */
    public BpeTrainer(int vocabSize) {
        this(vocabSize, PreTokenizer.carrot());
    }

    /**
     * @param vocabSize    the size of the vocabulary to learn, byte and special tokens included; at least
     *                     {@value #MIN_VOCAB_SIZE}
     * @param preTokenizer how text is split into the pieces that merges stay within
     */
    public BpeTrainer(int vocabSize, PreTokenizer preTokenizer) {
        if (vocabSize < MIN_VOCAB_SIZE) {
            throw new IllegalArgumentException("vocabSize must be at least " + MIN_VOCAB_SIZE
                    + " (256 byte tokens and 3 special tokens), got " + vocabSize);
        }
        this.vocabSize = vocabSize;
        this.preTokenizer = preTokenizer;
    }

    public int vocabSize() {
        return vocabSize;
    }

    public PreTokenizer preTokenizer() {
        return preTokenizer;
    }

    /** Trains on the whole of a UTF-8 text file, read as one document. */
    public Tokenizer train(Path corpus) throws IOException {
        return train(List.of(Files.readString(corpus, StandardCharsets.UTF_8)));
    }

    /** Trains on documents; pieces never span two documents. */
    public Tokenizer train(Iterable<String> documents) {
        Map<String, Long> pieceCounts = new HashMap<>();
        for (String document : documents) {
            for (String piece : preTokenizer.split(document)) {
                pieceCounts.merge(piece, 1L, Long::sum);
            }
        }
        return new Run(pieceCounts).learn();
    }

    /** The state of one training run. */
    private final class Run {

        /** A pair of token ids and its count when queued; the queue entry is stale if the count has changed since. */
        private record Candidate(long pair, long count) {}

        private static final Comparator<Candidate> MOST_FREQUENT_FIRST = Comparator
                .comparingLong(Candidate::count).reversed()
                .thenComparingLong(Candidate::pair);

        /** Each distinct piece as its current token ids, and how often the piece occurs. */
        private final int[][] pieces;
        private final long[] pieceCounts;
        private final Map<Long, Long> pairCounts = new HashMap<>();
        /** The pieces that contain each pair, possibly also some that no longer do. */
        private final Map<Long, IntList> piecesWithPair = new HashMap<>();
        private final PriorityQueue<Candidate> queue = new PriorityQueue<>(MOST_FREQUENT_FIRST);

        private final List<byte[]> tokenBytes = new ArrayList<>();
        private final Map<String, Integer> idOfToken = new HashMap<>();
        private final List<Merge> merges = new ArrayList<>();

        Run(Map<String, Long> counts) {
            pieces = new int[counts.size()][];
            pieceCounts = new long[counts.size()];
            int index = 0;
            for (Map.Entry<String, Long> entry : counts.entrySet()) {
                byte[] bytes = entry.getKey().getBytes(StandardCharsets.UTF_8);
                int[] ids = new int[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    ids[i] = bytes[i] & 0xFF;
                }
                pieces[index] = ids;
                pieceCounts[index] = entry.getValue();
                for (int i = 0; i + 1 < ids.length; i++) {
                    long pair = IdPair.of(ids[i], ids[i + 1]);
                    pairCounts.merge(pair, entry.getValue(), Long::sum);
                    piecesWithPair.computeIfAbsent(pair, p -> new IntList()).add(index);
                }
                index++;
            }
            pairCounts.forEach((pair, count) -> queue.add(new Candidate(pair, count)));
            for (int b = 0; b < 256; b++) {
                addToken(new byte[] {(byte) b});
            }
        }

        Tokenizer learn() {
            int targetRegularTokens = vocabSize - SPECIAL_TOKEN_COUNT;
            while (tokenBytes.size() < targetRegularTokens) {
                Candidate best = pollCurrent();
                if (best == null) {
                    break;
                }
                merge(IdPair.left(best.pair()), IdPair.right(best.pair()));
            }
            List<String> vocab = new ArrayList<>(tokenBytes.size() + SPECIAL_TOKEN_COUNT);
            tokenBytes.forEach(bytes -> vocab.add(ByteLevel.encode(bytes)));
            int firstSpecial = vocab.size();
            vocab.addAll(List.of(Tokenizer.BOS, Tokenizer.EOS, Tokenizer.PAD));
            return new Tokenizer(preTokenizer, vocab, merges,
                    Set.of(firstSpecial, firstSpecial + 1, firstSpecial + 2));
        }

        /** The most frequent pair whose queued count is current, or null when no pair is left. */
        private Candidate pollCurrent() {
            Candidate candidate;
            while ((candidate = queue.poll()) != null) {
                if (pairCounts.getOrDefault(candidate.pair(), 0L) == candidate.count()) {
                    return candidate;
                }
            }
            return null;
        }

        /**
         * Records the merge of {@code left} and {@code right} and applies it to every piece containing the pair. The
         * counts of all pairs in a rewritten piece are taken out and put back, which is simpler than tracking the
         * neighbours of each occurrence and cheap because pieces are short.
         */
        private void merge(int left, int right) {
            merges.add(new Merge(ByteLevel.encode(tokenBytes.get(left)), ByteLevel.encode(tokenBytes.get(right))));
            int merged = addToken(concat(tokenBytes.get(left), tokenBytes.get(right)));

            Map<Long, Long> changes = new HashMap<>();
            IntList candidates = piecesWithPair.remove(IdPair.of(left, right));
            for (int c = 0; c < candidates.size(); c++) {
                int index = candidates.get(c);
                int[] before = pieces[index];
                int[] after = replace(before, left, right, merged);
                if (after == before) {
                    continue;
                }
                pieces[index] = after;
                countPairs(before, -pieceCounts[index], changes);
                countPairs(after, pieceCounts[index], changes);
                indexPairsWith(merged, after, index);
            }
            changes.forEach((pair, change) -> {
                if (change == 0) {
                    return;
                }
                long count = pairCounts.merge(pair, change, Long::sum);
                if (count == 0) {
                    pairCounts.remove(pair);
                } else {
                    queue.add(new Candidate(pair, count));
                }
            });
        }

        /**
         * Adds the token, or finds it if an earlier merge already built the same bytes from other parts (both
         * {@code "a"+"bc"} and {@code "ab"+"c"} give {@code "abc"}); tokens stay unique, as Hugging Face's trainer
         * keeps them.
         */
        private int addToken(byte[] bytes) {
            return idOfToken.computeIfAbsent(ByteLevel.encode(bytes), token -> {
                tokenBytes.add(bytes);
                return tokenBytes.size() - 1;
            });
        }

        /** Indexes {@code piece} under each distinct pair it has that involves the new token {@code merged}. */
        private void indexPairsWith(int merged, int[] piece, int index) {
            List<Long> seen = new ArrayList<>(2);
            for (int i = 0; i + 1 < piece.length; i++) {
                if (piece[i] == merged || piece[i + 1] == merged) {
                    long pair = IdPair.of(piece[i], piece[i + 1]);
                    if (!seen.contains(pair)) {
                        seen.add(pair);
                        piecesWithPair.computeIfAbsent(pair, p -> new IntList()).add(index);
                    }
                }
            }
        }

        private static void countPairs(int[] piece, long count, Map<Long, Long> changes) {
            for (int i = 0; i + 1 < piece.length; i++) {
                changes.merge(IdPair.of(piece[i], piece[i + 1]), count, Long::sum);
            }
        }

        /** {@code piece} with each occurrence of (left, right) replaced left to right, or {@code piece} if none. */
        private static int[] replace(int[] piece, int left, int right, int merged) {
            int[] out = null;
            int kept = 0;
            for (int i = 0; i < piece.length; i++) {
                if (i + 1 < piece.length && piece[i] == left && piece[i + 1] == right) {
                    if (out == null) {
                        out = new int[piece.length - 1];
                        System.arraycopy(piece, 0, out, 0, i);
                        kept = i;
                    }
                    out[kept++] = merged;
                    i++;
                } else if (out != null) {
                    out[kept++] = piece[i];
                }
            }
            return out == null ? piece : Arrays.copyOf(out, kept);
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] joined = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, joined, a.length, b.length);
            return joined;
        }
    }
}
