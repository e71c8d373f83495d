package dev.carrot.rewards.grading;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExactMatchGraderTest {

    private final Grader grader = new ExactMatchGrader();

    private Grade grade(String completion, String... references) {
        return grader.grade(completion, List.of(references));
    }

    @Test
    void plainCorrectAndWrong() {
        assertEquals(new Grade(Style.ANSWERED, true, "Paris"), grade("Paris.", "Paris"));
        assertEquals(new Grade(Style.ANSWERED, false, "Lyon"), grade("Lyon.", "Paris"));
        assertEquals(Category.CORRECT, grade("Paris.", "Paris").category());
        assertEquals(Category.INCORRECT, grade("Lyon.", "Paris").category());
    }

    @Test
    void hedgedCorrectAndWrong() {
        Grade right = grade("I think it is Paris, but I am not sure.", "Paris");
        Grade wrong = grade("I think it is Lyon, but I am not sure.", "Paris");

        assertEquals(new Grade(Style.HEDGED, true, "Paris"), right);
        assertEquals(Category.HEDGED_CORRECT, right.category());
        assertEquals(new Grade(Style.HEDGED, false, "Lyon"), wrong);
        assertEquals(Category.HEDGED_INCORRECT, wrong.category());
    }

    @Test
    void abstentionIsNeverCorrectEvenWhenItNamesTheAnswer() {
        Grade grade = grade("I don't know. Maybe Paris.", "Paris");

        assertEquals(new Grade(Style.ABSTAINED, false, ""), grade);
        assertEquals(Category.ABSTAINED, grade.category());
    }

    @Test
    void unparseableIsPaidAsWrong() {
        Grade grade = grade("", "Paris");

        assertEquals(new Grade(Style.UNPARSEABLE, false, ""), grade);
        assertEquals(Category.INCORRECT, grade.category());
    }

    @Test
    void aliasesCount() {
        assertEquals(true, grade("NYC.", "New York City", "NYC").correct());
        assertEquals(true, grade("I think it is New York, but I am not sure.", "New York City", "New York").correct());
    }

    @Test
    void caseArticlesPunctuationAndSpacingAreIgnored() {
        assertEquals(true, grade("the   eiffel TOWER!", "Eiffel Tower").correct());
        assertEquals(true, grade("Beatles.", "The Beatles").correct());
        assertEquals(true, grade("1,000.", "1000").correct());
        assertEquals(true, grade("Jean-Paul Sartre.", "Jean Paul Sartre").correct());
        assertEquals(true, grade("Cote d'Ivoire.", "Cote dIvoire").correct());
        assertEquals(true, grade("\uFF30aris.", "Paris").correct(), "full-width letters fold to ASCII");
        assertEquals("eiffel tower", ExactMatchGrader.normalize("  The Eiffel-Tower! "));
    }

    @Test
    void firstSentenceIsTheAnswer() {
        assertEquals(new Grade(Style.ANSWERED, true, "Paris"), grade("Paris. It is the capital of France.", "Paris"));
        assertEquals(new Grade(Style.ANSWERED, false, "Lyon"), grade("Lyon. Or maybe Paris.", "Paris"),
                "a second guess does not count");
        assertEquals(false, grade("Lyon.\nParis.", "Paris").correct(), "nor does a second line");
    }

    @Test
    void periodsInsideAnAnswerAreNotSentenceEnds() {
        assertEquals(new Grade(Style.ANSWERED, true, "St. Louis"), grade("St. Louis.", "St. Louis"));
        assertEquals(true, grade("J.R.R. Tolkien.", "J. R. R. Tolkien", "J.R.R. Tolkien").correct());
    }

    @Test
    void trailingEndMarkerIsTolerated() {
        assertEquals(true, grade("Paris.<|endoftext|>", "Paris").correct());
        assertEquals(Style.HEDGED, grade("I think it is Paris, but I am not sure.</s>", "Paris").style());
    }

    @Test
    void referencesAreRequired() {
        assertThrows(IllegalArgumentException.class, () -> grader.grade("Paris.", List.of()));
    }
}
