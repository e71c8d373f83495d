package dev.carrot.policy.tokenizer;

/**
 * GPT-2's reversible mapping between the 256 byte values and 256 printable Unicode characters.
 *
 * <p>Byte-level BPE works on bytes, but {@code tokenizer.json} stores tokens as JSON strings. GPT-2 therefore spells
 * each byte as a visible character: the 188 bytes that are already printable Latin-1 characters ({@code !..~},
 * {@code ¡..¬}, {@code ®..ÿ}) stand for themselves, and the 68 others (control characters, space, DEL, NBSP, soft
 * hyphen) are shifted to U+0100 and above in byte order. Space thus becomes {@code Ġ} (U+0120) and newline {@code Ċ}
 * (U+010A), which is why GPT-2 vocabularies are full of them. Using the same mapping keeps our files readable by
 * Hugging Face {@code tokenizers} and lets us read theirs.
 */
final class ByteLevel {

    private static final char[] CHAR_OF_BYTE = new char[256];
    /** Indexed by character; -1 where the character is not in the alphabet. */
    private static final int[] BYTE_OF_CHAR = new int[256 + 68];

    static {
        java.util.Arrays.fill(BYTE_OF_CHAR, -1);
        int shifted = 256;
        for (int b = 0; b < 256; b++) {
            char c = printable(b) ? (char) b : (char) shifted++;
            CHAR_OF_BYTE[b] = c;
            BYTE_OF_CHAR[c] = b;
        }
    }

    private ByteLevel() {}

    private static boolean printable(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }

    /** The character that spells byte {@code b} (0..255). */
    static char charOf(int b) {
        return CHAR_OF_BYTE[b];
    }

    /** Spells {@code bytes} in the byte-level alphabet. */
    static String encode(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = CHAR_OF_BYTE[bytes[i] & 0xFF];
        }
        return new String(chars);
    }

    /**
     * The bytes that {@code token} spells.
     *
     * @throws IllegalArgumentException if a character of {@code token} is not in the alphabet
     */
    static byte[] decode(String token) {
        byte[] bytes = new byte[token.length()];
        for (int i = 0; i < bytes.length; i++) {
            char c = token.charAt(i);
            int b = c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
            if (b < 0) {
                throw new IllegalArgumentException(String.format(
                        "token \"%s\" has character U+%04X at index %d, which is outside GPT-2's byte-level alphabet",
                        token, (int) c, i));
            }
            bytes[i] = (byte) b;
        }
        return bytes;
    }
}
