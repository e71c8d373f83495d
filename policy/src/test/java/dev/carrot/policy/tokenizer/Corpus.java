package dev.carrot.policy.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A deterministic synthetic corpus in the style of Carrot's built-in jobs: questions, answers and arithmetic. */
final class Corpus {

    private static final String[] SUBJECTS = {"The capital of France", "The boiling point of water", "A carrot",
        "The largest planet", "The author of Hamlet", "The speed of light", "Photosynthesis", "The Pacific Ocean",
        "A rabbit", "The café on the corner", "Mount Everest", "The Eiffel Tower", "An electron", "The moon"};
    private static final String[] VERBS = {"is", "was", "has", "becomes", "contains", "isn't", "weighs", "needs"};
    private static final String[] OBJECTS = {"Paris", "one hundred degrees", "orange and crunchy", "Jupiter",
        "Shakespeare", "very fast", "how plants make sugar", "deep and wide", "fond of carrots", "naïve résumé",
        "tall", "made of iron", "negatively charged", "bright tonight", "😀 happy", "über cool"};
    private static final String[] HEDGES = {"I think it is %s, but I am not sure.", "%s.", "I don't know."};

    private Corpus() {}

    /** About {@code chars} characters of text in documents of a few lines each. */
    static List<String> documents(long seed, int chars) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> documents = new ArrayList<>();
        int total = 0;
        while (total < chars) {
            StringBuilder document = new StringBuilder();
            int lines = 1 + random.nextInt(6);
            for (int i = 0; i < lines; i++) {
                document.append(line(random)).append('\n');
            }
            documents.add(document.toString());
            total += document.length();
        }
        return documents;
    }

    private static String line(SplittableRandom random) {
        if (random.nextInt(3) == 0) {
            int a = random.nextInt(1000);
            int b = random.nextInt(1000);
            return "Q: What is " + a + " + " + b + "?\nA: " + String.format(pick(random, HEDGES), a + b);
        }
        String answer = pick(random, SUBJECTS) + " " + pick(random, VERBS) + " " + pick(random, OBJECTS);
        return "Q: Tell me a fact.\nA: " + String.format(pick(random, HEDGES), answer);
    }

    private static String pick(SplittableRandom random, String[] options) {
        return options[random.nextInt(options.length)];
    }
}
