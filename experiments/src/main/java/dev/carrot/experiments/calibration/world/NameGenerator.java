package dev.carrot.experiments.calibration.world;

import dev.carrot.evaluation.dataset.QuestionFormat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Pronounceable fictional names built from consonant-vowel syllables. Every word it hands out is new: no two names
 * share a word, and no name uses a word of the fixed question or paraphrase text. That makes each answer a string
 * that occurs in the training data exactly where its fact is stated, which is what lets the tiers be verified.
 */
final class NameGenerator {

    private static final String[] ONSETS = {
            "b", "br", "d", "dr", "f", "g", "gr", "h", "k", "kr", "l", "m", "n", "p", "r", "s", "sh", "st", "t", "th",
            "tr", "v", "z"};
    private static final String[] VOWELS = {"a", "e", "i", "o", "u", "ai", "ei"};
    private static final String[] CODAS = {"l", "m", "n", "r", "s", "th", "k"};
    private static final String[] COUNTRY_ENDINGS = {"ia", "a", "or", "esh"};
    private static final String[] LANGUAGE_ENDINGS = {"ic", "ish", "ese"};
    private static final int MAX_ATTEMPTS = 100_000;

    private final SplittableRandom random;
    private final Set<String> taken = new HashSet<>();

    NameGenerator(SplittableRandom random) {
        this.random = random;
        Stream.of(Relation.templates(), Operation.templates(), QuestionFormat.templates())
                .flatMap(templates -> templates)
                .flatMap(template -> Arrays.stream(template.split("[^A-Za-z]+")))
                .map(word -> word.toLowerCase(Locale.ROOT))
                .forEach(taken::add);
    }

    /** A country: "Kaloria", "Veshmor". */
    String country() {
        return unique(() -> syllables(2) + pick(CODAS) + pick(COUNTRY_ENDINGS));
    }

    /** A town, city or river: "Tolmar", "Brei". */
    String place() {
        return unique(() -> syllables(2) + (random.nextBoolean() ? pick(CODAS) : ""));
    }

    /** A language: "Durmic", "Pelanese". */
    String language() {
        return unique(() -> syllables(2) + pick(CODAS) + pick(LANGUAGE_ENDINGS));
    }

    /** A person's first and last name: "Orvan Telk". */
    String person() {
        return place() + " " + place();
    }

    private String syllables(int count) {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < count; i++) {
            word.append(pick(ONSETS)).append(pick(VOWELS));
        }
        return word.toString();
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    private String unique(Supplier<String> candidates) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            String word = candidates.get();
            if (taken.add(word)) {
                return Character.toUpperCase(word.charAt(0)) + word.substring(1);
            }
        }
        throw new IllegalStateException("ran out of fresh names after " + taken.size() + "; the world is too large");
    }
}
