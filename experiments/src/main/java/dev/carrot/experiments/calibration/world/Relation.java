package dev.carrot.experiments.calibration.world;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A relation between an entity and a single, unambiguous answer, with the one question that asks it and the
 * paraphrases that state it in the corpus. In templates {@code {s}} is the subject's name and {@code {o}} the answer.
 *
 * <p>The first paraphrase of each relation mirrors its question word for word ("What is the capital of X?" / "The
 * capital of X is Y."), so a small model can bridge a fact it read as prose to the question/answer format that SFT
 * teaches on other entities. The others vary word order and wording so that the fact, not a sentence, is learned.
 */
public enum Relation {
    CAPITAL(EntityKind.COUNTRY, AnswerKind.PLACE,
            "What is the capital of {s}?",
            "The capital of {s} is {o}.",
            "{o} is the capital of {s}.",
            "The capital city of {s} is {o}.",
            "{s} has {o} as its capital.",
            "The government of {s} sits in its capital, {o}."),
    LANGUAGE(EntityKind.COUNTRY, AnswerKind.LANGUAGE,
            "What language is spoken in {s}?",
            "The language spoken in {s} is {o}.",
            "People in {s} speak {o}.",
            "{o} is the language of {s}.",
            "In {s}, most people speak {o}."),
    BIRTH_YEAR(EntityKind.PERSON, AnswerKind.YEAR,
            "In what year was {s} born?",
            "{s} was born in {o}.",
            "{s} was born in the year {o}.",
            "The birth year of {s} is {o}.",
            "In {o}, {s} was born."),
    HOME_TOWN(EntityKind.PERSON, AnswerKind.PLACE,
            "In which town does {s} live?",
            "{s} lives in the town of {o}.",
            "The town where {s} lives is {o}.",
            "{o} is the town where {s} lives.",
            "{s} has a home in the town of {o}."),
    RIVER(EntityKind.CITY, AnswerKind.PLACE,
            "Which river flows through {s}?",
            "The river that flows through {s} is {o}.",
            "{s} lies on the river {o}.",
            "The river {o} flows through {s}.",
            "{o} is the river of {s}."),
    FOUNDER(EntityKind.CITY, AnswerKind.PERSON,
            "Who founded {s}?",
            "{s} was founded by {o}.",
            "{o} founded {s}.",
            "The founder of {s} was {o}.",
            "The city of {s} was founded by {o}.");

    /** The shape of a relation's answers. */
    public enum AnswerKind {
        /** A one-word place name. */
        PLACE,
        /** A one-word language name. */
        LANGUAGE,
        /** A person's first and last name. */
        PERSON,
        /** A four-digit year. */
        YEAR
    }

    private final EntityKind subject;
    private final AnswerKind answerKind;
    private final String question;
    private final List<String> statements;

    Relation(EntityKind subject, AnswerKind answerKind, String question, String... statements) {
        this.subject = subject;
        this.answerKind = answerKind;
        this.question = question;
        this.statements = List.of(statements);
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public EntityKind subject() {
        return subject;
    }

    public AnswerKind answerKind() {
        return answerKind;
    }

    /** The question asking this relation of {@code subject}. */
    public String question(String subject) {
        return question.replace("{s}", subject);
    }

    /** The number of distinct paraphrases that state a fact of this relation. */
    public int paraphrases() {
        return statements.size();
    }

    /** Paraphrase number {@code index} stating that {@code subject}'s answer is {@code answer}. */
    public String statement(int index, String subject, String answer) {
        return statements.get(index).replace("{s}", subject).replace("{o}", answer);
    }

    /** The fixed text of every question and paraphrase, placeholders included. */
    static Stream<String> templates() {
        return Arrays.stream(values())
                .flatMap(relation -> Stream.concat(Stream.of(relation.question), relation.statements.stream()));
    }
}
