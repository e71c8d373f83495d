package dev.carrot.policy.tokenizer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes token ids one at a time, as a policy generates them.
 *
 * <p>A byte-level token may end in the middle of a multi-byte character (an emoji is often two or three tokens).
 * {@link #append} therefore returns only the characters completed so far and holds the trailing bytes of an unfinished
 * one until the next token completes it; bytes that can never form a character become U+FFFD at once. The text
 * decoded so far is kept in {@link #text()}, which is where to look for stop strings: a stop string may span several
 * tokens, so it has to be searched in the accumulated text, not in one token's piece.
 *
 * <p>Not thread-safe: one decoder per generated sequence.
 */
public final class StreamingDecoder {

    private static final int MAX_UTF8_CHARACTER_BYTES = 4;

    private final Tokenizer tokenizer;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    /** Bytes of a character whose remaining bytes have not arrived yet. */
    private final ByteBuffer pending = ByteBuffer.allocate(MAX_UTF8_CHARACTER_BYTES);
    private final StringBuilder text = new StringBuilder();

    StreamingDecoder(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * Decodes one more token.
     *
     * @return the characters this token completed, possibly empty
     * @throws IllegalArgumentException if {@code id} is outside the vocabulary
     */
    public String append(int id) {
        byte[] bytes = tokenizer.bytesOf(id);
        pending.flip();
        ByteBuffer in = ByteBuffer.allocate(pending.remaining() + bytes.length).put(pending).put(bytes).flip();
        pending.clear();
        return decode(in, false);
    }

    /**
     * Ends the sequence: bytes still held for an unfinished character become U+FFFD.
     *
     * @return the characters released, possibly empty
     */
    public String finish() {
        pending.flip();
        ByteBuffer in = ByteBuffer.allocate(pending.remaining()).put(pending).flip();
        pending.clear();
        String released = decode(in, true);
        CharBuffer tail = CharBuffer.allocate(2);
        utf8.flush(tail);
        utf8.reset();
        String flushed = tail.flip().toString();
        text.append(flushed);
        return released + flushed;
    }

    /** All the text decoded so far: the concatenation of what {@link #append} and {@link #finish} returned. */
    public String text() {
        return text.toString();
    }

    private String decode(ByteBuffer in, boolean endOfInput) {
        // UTF-8 never yields more chars than bytes (a 4-byte character is 2 chars), so the output cannot overflow.
        CharBuffer out = CharBuffer.allocate(in.remaining());
        CoderResult result = utf8.decode(in, out, endOfInput);
        if (!result.isUnderflow()) {
            throw new IllegalStateException("UTF-8 decoding stopped with " + result);
        }
        pending.put(in);
        String decoded = out.flip().toString();
        text.append(decoded);
        return decoded;
    }
}
