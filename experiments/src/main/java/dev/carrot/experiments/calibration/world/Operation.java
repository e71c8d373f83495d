package dev.carrot.experiments.calibration.world;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The arithmetic operations of the world, with their operand range, question and corpus paraphrases. A problem is
 * asked as "What is {a} + {b}?"; in the paraphrases {@code {a}} and {@code {b}} are the operands and {@code {c}}
 * the result.
 */
public enum Operation {
    /** Two-digit addition: worked many times in the corpus, so within reach of a small model. */
    ADD(Tier.ARITHMETIC_EASY, 10, 99, "+",
            "{a} + {b} = {c}.",
            "{a} + {b} is {c}.",
            "The sum of {a} and {b} is {c}."),
    /** Three-digit multiplication: never worked in the corpus. */
    MULTIPLY(Tier.ARITHMETIC_HARD, 100, 999, "times");

    private static final String QUESTION_PREFIX = "What is ";

    private final Tier tier;
    private final int minOperand;
    private final int maxOperand;
    private final String symbol;
    private final List<String> statements;

    Operation(Tier tier, int minOperand, int maxOperand, String symbol, String... statements) {
        this.tier = tier;
        this.minOperand = minOperand;
        this.maxOperand = maxOperand;
        this.symbol = symbol;
        this.statements = List.of(statements);
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Tier tier() {
        return tier;
    }

    public int minOperand() {
        return minOperand;
    }

    public int maxOperand() {
        return maxOperand;
    }

    /** How many distinct operand values there are. */
    public int operandValues() {
        return maxOperand - minOperand + 1;
    }

    public long apply(int a, int b) {
        return switch (this) {
            case ADD -> (long) a + b;
            case MULTIPLY -> (long) a * b;
        };
    }

    public String question(int a, int b) {
        return QUESTION_PREFIX + expression(a, b) + "?";
    }

    /** The number of paraphrases that work a problem in the corpus; zero when the corpus never works one. */
    public int paraphrases() {
        return statements.size();
    }

    public String statement(int index, int a, int b) {
        return fill(statements.get(index), a, b);
    }

    /** The problem as the entity of its item, for example {@code 23 + 45}. */
    public String expression(int a, int b) {
        return a + " " + symbol + " " + b;
    }

    private String fill(String template, int a, int b) {
        return template.replace("{a}", Integer.toString(a)).replace("{b}", Integer.toString(b))
                .replace("{c}", Long.toString(apply(a, b)));
    }

    /** The fixed text of questions and paraphrases, placeholders included. */
    static Stream<String> templates() {
        return Stream.concat(Stream.of(QUESTION_PREFIX), Arrays.stream(values())
                .flatMap(operation -> Stream.concat(Stream.of(operation.symbol), operation.statements.stream())));
    }
}
