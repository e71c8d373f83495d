package dev.carrot.rewards.grading;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The surface forms of the three answer styles. The calibration world writes its SFT answers with
 * {@link #render}, and graders read completions back with {@link #parse}, from the same phrases, so the two never
 * drift apart.
 */
public final class AnswerFormat {

    /** Said instead of an answer. */
    public static final String ABSTENTION = "I don't know.";
    /** Opens a hedged answer; the answer follows. */
    public static final String HEDGE_PREFIX = "I think it is ";
    /** Closes a hedged answer. */
    public static final String HEDGE_SUFFIX = ", but I am not sure.";

    /** A special token that ends generation, such as {@code <|endoftext|>}, {@code </s>} or {@code <eos>}. */
    private static final Pattern END_MARKER =
            Pattern.compile("<\\|[^|<>\\s]{1,40}\\|>|</s>|<eos>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ABSTENTION_OPENING = Pattern.compile(
            "I (?:don't|don\u2019t|do not) know(?![\\p{L}\\p{N}])", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    /** The hedge's closing doubt, matched without its comma and final period. */
    private static final Pattern HEDGE_DOUBT = Pattern.compile(
            ",?\\s*but I am not sure", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    /** Closing punctuation and whitespace, which belong to the sentence rather than to the answer. */
    private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[\\s.!?,;:]+$");
    private static final Pattern LETTER_OR_DIGIT = Pattern.compile("[\\p{L}\\p{N}]");

    private AnswerFormat() {}

    /** The completion text (without end-of-sequence marker) that states {@code answer} in {@code style}. */
    public static String render(Style style, String answer) {
        return switch (style) {
            case ANSWERED -> answer + ".";
            case HEDGED -> HEDGE_PREFIX + answer + HEDGE_SUFFIX;
            case ABSTAINED -> ABSTENTION;
            case UNPARSEABLE -> throw new IllegalArgumentException("no format renders UNPARSEABLE");
        };
    }

    /**
     * Reads a completion back into its style and stated answer. The reading is lenient about what does not change
     * the meaning, and {@link ParsedCompletion#canonical()} says whether the completion was also exact:
     * <ul>
     *   <li>Generation ends at the first end marker ({@code <|...|>}, {@code </s>}, {@code <eos>}); the rest is
     *       dropped.</li>
     *   <li>Only the first non-blank line counts; later lines are commentary the reward does not read.</li>
     *   <li>A line opening with "I don't know" (or "I do not know") abstains, whatever follows.</li>
     *   <li>A line opening with {@value #HEDGE_PREFIX} hedges; its answer runs up to "but I am not sure" or, if the
     *       doubt is not spelled out, to the end of the line.</li>
     *   <li>Any other line states its text as a plain answer.</li>
     *   <li>Closing punctuation is not part of the answer, and an answer without a letter or digit is no answer:
     *       such completions (including empty ones) are {@link Style#UNPARSEABLE}.</li>
     * </ul>
     */
    public static ParsedCompletion parse(String completion) {
        String text = completion;
        Matcher marker = END_MARKER.matcher(text);
        if (marker.find()) {
            text = text.substring(0, marker.start());
        }
        text = text.strip();
        int lineEnd = text.indexOf('\n');
        String line = (lineEnd < 0 ? text : text.substring(0, lineEnd)).strip();

        if (ABSTENTION_OPENING.matcher(line).lookingAt()) {
            return new ParsedCompletion(Style.ABSTAINED, "", text.equals(ABSTENTION));
        }
        Style style = Style.ANSWERED;
        String body = line;
        if (line.regionMatches(true, 0, HEDGE_PREFIX, 0, HEDGE_PREFIX.length())) {
            style = Style.HEDGED;
            body = line.substring(HEDGE_PREFIX.length());
            Matcher doubt = HEDGE_DOUBT.matcher(body);
            if (doubt.find()) {
                body = body.substring(0, doubt.start());
            }
        }
        String answer = TRAILING_PUNCTUATION.matcher(body).replaceFirst("").strip();
        if (!LETTER_OR_DIGIT.matcher(answer).find()) {
            return new ParsedCompletion(Style.UNPARSEABLE, "", false);
        }
        return new ParsedCompletion(style, answer, text.equals(render(style, answer)));
    }
}
