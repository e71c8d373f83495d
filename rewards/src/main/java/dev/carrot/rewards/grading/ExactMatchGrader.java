package dev.carrot.rewards.grading;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Grades by normalised exact match, as SQuAD and SimpleQA do: a stated answer is correct when, after
 * {@link #normalize normalisation}, it equals the gold answer or one of its aliases.
 *
 * <p>The completion is read with {@link AnswerFormat#parse}, so only its first line counts. Within that line the
 * first sentence is the answer; later sentences ("Paris. It is the capital.") are not graded. Because a period
 * also appears inside answers ("St. Louis", "J. R. R. Tolkien"), a longer run of sentences is accepted when it, as a
 * whole, equals a reference: appending a second guess never turns a wrong first sentence into a right one.
 */
public final class ExactMatchGrader implements Grader {

    private static final Pattern SENTENCE_END = Pattern.compile("[.!?](?=\\s)");
    private static final Pattern DASH = Pattern.compile("\\p{Pd}");
    private static final Pattern PUNCTUATION_OR_SYMBOL = Pattern.compile("[\\p{P}\\p{S}]");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Set<String> ARTICLES = Set.of("a", "an", "the");

    @Override
    public Grade grade(String completion, List<String> references) {
        if (references.isEmpty()) {
            throw new IllegalArgumentException("cannot grade without a reference answer");
        }
        ParsedCompletion parsed = AnswerFormat.parse(completion);
        if (parsed.answer().isEmpty()) {
            return new Grade(parsed.style(), false, "");
        }
        Set<String> accepted = references.stream()
                .map(ExactMatchGrader::normalize)
                .filter(reference -> !reference.isEmpty())
                .collect(Collectors.toSet());
        List<String> readings = sentenceRuns(parsed.answer());
        for (String reading : readings) {
            if (accepted.contains(normalize(reading))) {
                return new Grade(parsed.style(), true, reading);
            }
        }
        return new Grade(parsed.style(), false, readings.get(0));
    }

    /**
     * SQuAD's answer normalisation, made Unicode-aware: compatibility-fold (NFKC), lowercase, delete punctuation and
     * symbols, drop the articles "a", "an" and "the", and collapse whitespace. One departure: hyphens and dashes
     * separate words rather than vanish, so "Jean-Paul Sartre" matches "Jean Paul Sartre". "The Eiffel Tower!"
     * becomes "eiffel tower" and "J.R.R. Tolkien" becomes "jrr tolkien".
     */
    public static String normalize(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        String spaced = DASH.matcher(folded).replaceAll(" ");
        String bare = PUNCTUATION_OR_SYMBOL.matcher(spaced).replaceAll("");
        return Arrays.stream(WHITESPACE.split(bare))
                .filter(word -> !word.isEmpty() && !ARTICLES.contains(word))
                .collect(Collectors.joining(" "));
    }

    /** The first sentence, then the first two sentences, and so on up to the whole answer. */
    private static List<String> sentenceRuns(String answer) {
        List<String> runs = new ArrayList<>();
        Matcher end = SENTENCE_END.matcher(answer);
        while (end.find()) {
            String run = answer.substring(0, end.start()).strip();
            if (!run.isEmpty()) {
                runs.add(run);
            }
        }
        runs.add(answer);
        return runs;
    }
}
