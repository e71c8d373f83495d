package dev.carrot.policy.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into the pieces ("words") that BPE merges never cross.
 *
 * <p>Pre-tokenisation is what keeps a byte-level BPE from learning tokens like {@code "g."} or {@code "e t"}: merges
 * happen only inside a piece. The split follows Hugging Face's {@code Split} pre-tokenizer with behaviour
 * {@code Isolated}: every regex match is a piece, and so is any text between two matches, so the pieces always
 * concatenate back to the input.
 *
 * <p>Patterns are compiled with {@link Pattern#UNICODE_CHARACTER_CLASS} so that {@code \s} matches Unicode whitespace
 * as it does in the regex engine of Hugging Face {@code tokenizers}; {@code \p{L}} and {@code \p{N}} are Unicode
 * classes in both. Instances are immutable and thread-safe.
 */
public final class PreTokenizer {

    /**
     * GPT-2's pattern: English contractions, an optional space followed by a run of letters, of digits or of other
     * symbols, and whitespace (a run of whitespace gives its last space to the word that follows it).
     */
    public static final String GPT2_REGEX =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    /**
     * Carrot's pattern: GPT-2's, except that every digit is a piece of its own and takes no leading space. Each digit
     * then has exactly one token, whatever number it sits in and whatever precedes it, which makes arithmetic far
     * easier to learn for a small model (the same choice as LLaMA's tokenizer). The price is one extra token for the
     * space before a number.
     */
    public static final String CARROT_REGEX =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private static final PreTokenizer CARROT = new PreTokenizer(CARROT_REGEX);
    private static final PreTokenizer GPT2 = new PreTokenizer(GPT2_REGEX);

    private final Pattern pattern;

    /**
     * @param regex a {@link Pattern} regex; matches and the gaps between them become pieces
     * @throws java.util.regex.PatternSyntaxException if {@code regex} is not a valid pattern
     */
    public PreTokenizer(String regex) {
        this.pattern = Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
    }

    /** The pre-tokenizer Carrot trains with, using {@link #CARROT_REGEX}. */
    public static PreTokenizer carrot() {
        return CARROT;
    }

    /** GPT-2's pre-tokenizer, using {@link #GPT2_REGEX}. */
    public static PreTokenizer gpt2() {
        return GPT2;
    }

    public String regex() {
        return pattern.pattern();
    }

    /** The pieces of {@code text}, in order; they concatenate back to {@code text}. */
    public List<String> split(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        int end = 0;
        while (matcher.find()) {
            if (matcher.start() == matcher.end()) {
                continue;
            }
            if (matcher.start() > end) {
                pieces.add(text.substring(end, matcher.start()));
            }
            pieces.add(matcher.group());
            end = matcher.end();
        }
        if (end < text.length()) {
            pieces.add(text.substring(end));
        }
        return pieces;
    }

    @Override
    public String toString() {
        return "PreTokenizer[" + regex() + "]";
    }
}
