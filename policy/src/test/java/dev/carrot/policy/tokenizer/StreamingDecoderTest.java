package dev.carrot.policy.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StreamingDecoderTest {

    private static Tokenizer tokenizer;

    @BeforeAll
    static void train() {
        tokenizer = new BpeTrainer(300).train(Corpus.documents(5, 20_000));
    }

    @Test
    void emitsOnlyCompleteCharactersAndEndsWithTheFullText() {
        String text = "Résumé: 😀👍🏽 日本 done.";
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        StringBuilder streamed = new StringBuilder();
        for (int id : tokenizer.encode(text)) {
            String piece = decoder.append(id);
            assertFalse(piece.contains("\uFFFD"), "a partial character leaked: " + piece);
            streamed.append(piece);
            assertEquals(streamed.toString(), decoder.text());
        }
        streamed.append(decoder.finish());
        assertEquals(text, streamed.toString());
        assertEquals(text, decoder.text());
    }

    @Test
    void holdsBackTheBytesOfAnUnfinishedCharacter() {
        byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        assertEquals("", decoder.append(emoji[0] & 0xFF));
        assertEquals("", decoder.append(emoji[1] & 0xFF));
        assertEquals("", decoder.append(emoji[2] & 0xFF));
        assertEquals("😀", decoder.append(emoji[3] & 0xFF));
    }

    @Test
    void finishingMidCharacterGivesOneReplacementCharacter() {
        byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        decoder.append('a');
        decoder.append(emoji[0] & 0xFF);
        decoder.append(emoji[1] & 0xFF);
        assertEquals("\uFFFD", decoder.finish());
        assertEquals("a\uFFFD", decoder.text());
    }

    @Test
    void invalidBytesAreReplacedAtOnce() {
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        assertEquals("\uFFFD", decoder.append(0xFF));
        assertEquals("x", decoder.append('x'));
    }

    @Test
    void findsAStopStringSpanningSeveralTokens() {
        String stop = "\nQ:";
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        int stoppedAt = -1;
        int[] ids = tokenizer.encode("A: 42.\nQ: next question");
        for (int i = 0; i < ids.length && stoppedAt < 0; i++) {
            decoder.append(ids[i]);
            if (decoder.text().contains(stop)) {
                stoppedAt = i;
            }
        }
        assertTrue(stoppedAt > 0);
        assertEquals("A: 42.", decoder.text().substring(0, decoder.text().indexOf(stop)));
    }
}
