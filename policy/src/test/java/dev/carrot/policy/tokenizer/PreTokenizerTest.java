package dev.carrot.policy.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

class PreTokenizerTest {

    @Test
    void carrotSplitsEveryDigitAndKeepsSpacesOffNumbers() {
        assertEquals(List.of("What", " is", " ", "1", "2", " +", " ", "3", "0", "?"),
                PreTokenizer.carrot().split("What is 12 + 30?"));
    }

    @Test
    void gpt2KeepsDigitRunsWithTheirLeadingSpace() {
        assertEquals(List.of("What", " is", " 12", " +", " 30", "?"), PreTokenizer.gpt2().split("What is 12 + 30?"));
    }

    @Test
    void contractionsLettersAndPunctuationArePiecesOfTheirOwn() {
        assertEquals(List.of("I", " don", "'t", " know", "."), PreTokenizer.carrot().split("I don't know."));
        assertEquals(List.of("Café", " naïve", " 😀!!"), PreTokenizer.carrot().split("Café naïve 😀!!"));
    }

    @Test
    void whitespaceRunsGiveTheirLastCharacterToTheNextWord() {
        // As in GPT-2: "\n\nc" is "\n", "\n", "c", since the last newline cannot start the letter piece.
        assertEquals(List.of("a", " ", " b", "\n", "\n", "c", "  "), PreTokenizer.carrot().split("a  b\n\nc  "));
        assertEquals(List.of("x", "\n\n", " y"), PreTokenizer.carrot().split("x\n\n y"));
    }

    @Test
    void unicodeWhitespaceIsWhitespace() {
        // Were U+3000 (ideographic space) not whitespace, as for Java's default \s, " \u3000" would be one piece.
        assertEquals(List.of("a", " ", "\u3000", "b"), PreTokenizer.carrot().split("a \u3000b"));
    }

    @Test
    void piecesAlwaysConcatenateBackToTheText() {
        PreTokenizer onlyLetters = new PreTokenizer("\\p{L}+");
        assertEquals(List.of("ab", "12 ", "cd", "!"), onlyLetters.split("ab12 cd!"));
        for (String text : List.of("", " ", "x", "\t\r\n", "Q: 7*8=56\n", "emoji 👍🏽 end")) {
            assertEquals(text, String.join("", PreTokenizer.carrot().split(text)));
            assertEquals(text, String.join("", PreTokenizer.gpt2().split(text)));
        }
    }

    @Test
    void invalidRegexIsRejected() {
        assertThrows(PatternSyntaxException.class, () -> new PreTokenizer("(unclosed"));
    }
}
