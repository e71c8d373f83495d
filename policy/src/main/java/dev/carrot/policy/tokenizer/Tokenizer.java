package dev.carrot.policy.tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A byte-level BPE tokenizer in the style of GPT-2: text is split into pieces by a {@link PreTokenizer}, each piece is
 * turned into its UTF-8 bytes (one base token per byte, so any text can be encoded and nothing is ever unknown), and
 * the merge rules are applied inside each piece, lowest rank first, until none applies.
 *
 * <p>Special tokens (Hugging Face's "added tokens") are never produced by {@link #encode}: text that happens to
 * contain {@code "<|eos|>"} is encoded as ordinary characters, so a prompt cannot inject control tokens. Callers add
 * specials by id ({@link #bos()}, {@link #eos()}, {@link #pad()}). Decoding renders a special token as its text.
 *
 * <p>The three roles are resolved from the special tokens by name: {@value #BOS}, {@value #EOS} and {@value #PAD}
 * when present (tokenizers trained by {@link BpeTrainer}); otherwise GPT-2's {@value #END_OF_TEXT} plays all three,
 * as it does for GPT-2 itself.
 *
 * <p>Instances are immutable and thread-safe. Files are read and written in Hugging Face's {@code tokenizer.json}
 * format ({@link #load}, {@link #save}).
 */
public final class Tokenizer {

    public static final String BOS = "<|bos|>";
    public static final String EOS = "<|eos|>";
    public static final String PAD = "<|pad|>";
    /** GPT-2's only special token, used for all three roles when a vocabulary lacks Carrot's. */
    public static final String END_OF_TEXT = "<|endoftext|>";

    private final PreTokenizer preTokenizer;
    /** By id: the byte-level spelling of a regular token, the text of a special one. */
    private final String[] tokens;
    private final byte[][] tokenBytes;
    private final boolean[] special;
    private final List<Merge> merges;
    private final int[] idOfByte = new int[256];
    /** Merge rank by {@link IdPair} of the two ids it joins. */
    private final Map<Long, Integer> rankOfPair;
    private final int[] mergeLeft;
    private final int[] mergeRight;
    private final int[] mergeResult;
    private final int bos;
    private final int eos;
    private final int pad;

    /**
     * @param vocab      every token by id, dense from 0: byte-level spellings, and the plain text of special tokens
     * @param merges     merge rules by rank
     * @param specialIds the ids of the special tokens
     * @throws IllegalArgumentException if the parts do not form a byte-level BPE tokenizer; the message names the
     *                                  offending token or merge
     */
    Tokenizer(PreTokenizer preTokenizer, List<String> vocab, List<Merge> merges, Set<Integer> specialIds) {
        this.preTokenizer = preTokenizer;
        this.tokens = vocab.toArray(String[]::new);
        this.merges = List.copyOf(merges);
        int size = tokens.length;

        special = new boolean[size];
        for (int id : specialIds) {
            if (id < 0 || id >= size) {
                throw new IllegalArgumentException(
                        "special token id " + id + " is outside the vocabulary 0.." + (size - 1));
            }
            special[id] = true;
        }

        Map<String, Integer> idOfToken = new HashMap<>(size * 2);
        tokenBytes = new byte[size][];
        for (int id = 0; id < size; id++) {
            String token = tokens[id];
            Integer previous = idOfToken.put(token, id);
            if (previous != null) {
                throw new IllegalArgumentException(
                        "tokens " + previous + " and " + id + " are both \"" + token + "\"; tokens must be unique");
            }
            try {
                tokenBytes[id] = special[id] ? token.getBytes(StandardCharsets.UTF_8) : ByteLevel.decode(token);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("vocabulary id " + id + ": " + e.getMessage(), e);
            }
        }

        for (int b = 0; b < 256; b++) {
            String token = String.valueOf(ByteLevel.charOf(b));
            String problem = String.format("the vocabulary has no token \"%s\" for byte 0x%02X", token, b);
            idOfByte[b] = regularId(idOfToken, token, () -> problem);
        }

        rankOfPair = new HashMap<>(merges.size() * 2);
        mergeLeft = new int[merges.size()];
        mergeRight = new int[merges.size()];
        mergeResult = new int[merges.size()];
        for (int rank = 0; rank < merges.size(); rank++) {
            Merge merge = merges.get(rank);
            String where = "merge " + rank + " (\"" + merge.left() + "\" \"" + merge.right() + "\")";
            String joined = merge.left() + merge.right();
            mergeLeft[rank] = regularId(idOfToken, merge.left(),
                    () -> where + ": \"" + merge.left() + "\" is not a token");
            mergeRight[rank] = regularId(idOfToken, merge.right(),
                    () -> where + ": \"" + merge.right() + "\" is not a token");
            mergeResult[rank] = regularId(idOfToken, joined,
                    () -> where + ": the result \"" + joined + "\" is not a token");
            // A repeated merge can never apply: the first one has already consumed every occurrence of the pair.
            rankOfPair.putIfAbsent(IdPair.of(mergeLeft[rank], mergeRight[rank]), rank);
        }

        if (specialId(idOfToken, BOS) >= 0 && specialId(idOfToken, EOS) >= 0 && specialId(idOfToken, PAD) >= 0) {
            bos = specialId(idOfToken, BOS);
            eos = specialId(idOfToken, EOS);
            pad = specialId(idOfToken, PAD);
        } else if (specialId(idOfToken, END_OF_TEXT) >= 0) {
            bos = eos = pad = specialId(idOfToken, END_OF_TEXT);
        } else {
            throw new IllegalArgumentException("the special tokens must include " + BOS + ", " + EOS + " and " + PAD
                    + ", or GPT-2's " + END_OF_TEXT);
        }
    }

    private int regularId(Map<String, Integer> idOfToken, String token, Supplier<String> problem) {
        Integer id = idOfToken.get(token);
        if (id == null || special[id]) {
            throw new IllegalArgumentException(problem.get());
        }
        return id;
    }

    private int specialId(Map<String, Integer> idOfToken, String content) {
        Integer id = idOfToken.get(content);
        return id != null && special[id] ? id : -1;
    }

    /** Reads a Hugging Face {@code tokenizer.json} (byte-level BPE, as written by {@link #save} or GPT-2's). */
    public static Tokenizer load(Path file) throws IOException {
        return TokenizerJson.read(file);
    }

    /** Writes this tokenizer as a Hugging Face {@code tokenizer.json}, atomically. */
    public void save(Path file) throws IOException {
        TokenizerJson.write(this, file);
    }

    /** The ids of {@code text}, without a BOS token. */
    public int[] encode(String text) {
        return encode(text, false);
    }

    /** The ids of {@code text}, preceded by {@link #bos()} if {@code addBos}. */
    public int[] encode(String text, boolean addBos) {
        IntList ids = new IntList(text.length() / 3 + 2);
        if (addBos) {
            ids.add(bos);
        }
        for (String piece : preTokenizer.split(text)) {
            encodePiece(piece.getBytes(StandardCharsets.UTF_8), ids);
        }
        return ids.toArray();
    }

    /**
     * Applies the merges to one piece. Each round finds the lowest-ranked pair present and merges all its
     * occurrences left to right, the same result as GPT-2's reference encoder and Hugging Face's.
     */
    private void encodePiece(byte[] bytes, IntList out) {
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = idOfByte[bytes[i] & 0xFF];
        }
        int length = ids.length;
        while (length > 1) {
            int best = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < length; i++) {
                Integer rank = rankOfPair.get(IdPair.of(ids[i], ids[i + 1]));
                if (rank != null && rank < best) {
                    best = rank;
                }
            }
            if (best == Integer.MAX_VALUE) {
                break;
            }
            int left = mergeLeft[best];
            int right = mergeRight[best];
            int kept = 0;
            for (int i = 0; i < length; i++) {
                if (i + 1 < length && ids[i] == left && ids[i + 1] == right) {
                    ids[kept++] = mergeResult[best];
                    i++;
                } else {
                    ids[kept++] = ids[i];
                }
            }
            length = kept;
        }
        out.addAll(ids, length);
    }

    /**
     * The text of {@code ids}. Never throws on a sequence that splits a multi-byte character: incomplete or invalid
     * UTF-8 is rendered as U+FFFD. To decode while generating, use {@link #streamingDecoder()}.
     *
     * @throws IllegalArgumentException if an id is outside the vocabulary
     */
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            bytes.writeBytes(bytesOf(id));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** As {@link #decode(int[])}. */
    public String decode(List<Integer> ids) {
        return decode(ids.stream().mapToInt(Integer::intValue).toArray());
    }

    /** A decoder that turns ids into text one at a time, holding back bytes of a character not yet complete. */
    public StreamingDecoder streamingDecoder() {
        return new StreamingDecoder(this);
    }

    /** The number of token ids, {@code 0..vocabSize()-1}, special tokens included. */
    public int vocabSize() {
        return tokens.length;
    }

    /**
     * The token as {@code tokenizer.json} spells it: in GPT-2's byte-level alphabet for regular tokens (a leading space
     * shows as {@code Ġ}), the plain text for special ones.
     */
    public String tokenString(int id) {
        checkId(id);
        return tokens[id];
    }

    /** The bytes that token {@code id} decodes to. */
    public byte[] tokenBytes(int id) {
        return bytesOf(id).clone();
    }

    public boolean isSpecial(int id) {
        checkId(id);
        return special[id];
    }

    /** Beginning of sequence. */
    public int bos() {
        return bos;
    }

    /** End of sequence: generation stops when the policy emits it. */
    public int eos() {
        return eos;
    }

    /** Padding, for batches of unequal lengths; never attended to or scored. */
    public int pad() {
        return pad;
    }

    PreTokenizer preTokenizer() {
        return preTokenizer;
    }

    List<Merge> merges() {
        return merges;
    }

    /** Without a copy, for the decoders in this package, which never modify it. */
    byte[] bytesOf(int id) {
        checkId(id);
        return tokenBytes[id];
    }

    private void checkId(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new IllegalArgumentException(
                    "token id " + id + " is outside the vocabulary 0.." + (tokens.length - 1));
        }
    }

    @Override
    public String toString() {
        return "Tokenizer[vocabSize=" + tokens.length + ", merges=" + merges.size() + ", bos=" + bos + ", eos=" + eos
                + ", pad=" + pad + ", preTokenizer=" + preTokenizer.regex() + "]";
    }
}
