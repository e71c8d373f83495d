package dev.carrot.rewards.grading;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnswerFormatTest {

    @ParameterizedTest
    @EnumSource(value = Style.class, names = "UNPARSEABLE", mode = EnumSource.Mode.EXCLUDE)
    void parseReadsBackWhatRenderWrites(Style style) {
        String answer = style == Style.ABSTAINED ? "" : "the Eiffel Tower";

        ParsedCompletion parsed = AnswerFormat.parse(AnswerFormat.render(style, answer));

        assertEquals(new ParsedCompletion(style, answer, true), parsed);
    }

    @Test
    void endMarkerEndsTheCompletion() {
        assertEquals(new ParsedCompletion(Style.ANSWERED, "Paris", true), AnswerFormat.parse("Paris.<|endoftext|>"));
        assertEquals(new ParsedCompletion(Style.ANSWERED, "Paris", true), AnswerFormat.parse("Paris.</s>junk"));
        assertEquals(new ParsedCompletion(Style.ABSTAINED, "", true), AnswerFormat.parse(" I don't know. <eos>"));
    }

    @Test
    void onlyTheFirstNonBlankLineCounts() {
        ParsedCompletion parsed = AnswerFormat.parse("\n\nLyon.\nI don't know.");

        assertEquals(Style.ANSWERED, parsed.style());
        assertEquals("Lyon", parsed.answer());
        assertFalse(parsed.canonical(), "a second line is not the format");
    }

    @Test
    void abstentionVariants() {
        assertEquals(Style.ABSTAINED, AnswerFormat.parse("i don\u2019t know").style());
        assertEquals(Style.ABSTAINED, AnswerFormat.parse("I do not know, but maybe Paris.").style());
        assertFalse(AnswerFormat.parse("I don't know").canonical(), "missing period");
        assertEquals(Style.ANSWERED, AnswerFormat.parse("I don't knowledge.").style(), "a word boundary is required");
    }

    @Test
    void hedgeVariants() {
        assertEquals(new ParsedCompletion(Style.HEDGED, "Paris", false),
                AnswerFormat.parse("i think it is Paris but I am not sure"));
        assertEquals(new ParsedCompletion(Style.HEDGED, "Paris", false),
                AnswerFormat.parse("I think it is Paris."), "the doubt may be left unsaid");
    }

    @Test
    void completionsWithoutAnAnswerAreUnparseable() {
        String[] completions = {"", "   ", "...", "<|endoftext|>", "I think it is , but I am not sure."};
        for (String completion : completions) {
            ParsedCompletion parsed = AnswerFormat.parse(completion);
            assertEquals(Style.UNPARSEABLE, parsed.style(), completion);
            assertEquals("", parsed.answer());
            assertFalse(parsed.canonical());
        }
    }

    @Test
    void plainAnswerWithoutPeriodIsReadButNotCanonical() {
        ParsedCompletion parsed = AnswerFormat.parse("Paris");

        assertEquals(Style.ANSWERED, parsed.style());
        assertEquals("Paris", parsed.answer());
        assertFalse(parsed.canonical());
        assertTrue(AnswerFormat.parse("  Paris.  ").canonical(), "surrounding whitespace is tolerated");
    }
}
