package dev.carrot.policy.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {

    private static List<String> corpus;
    private static Tokenizer tokenizer;

    @BeforeAll
    static void train() {
        corpus = Corpus.documents(7, 200_000);
        tokenizer = new BpeTrainer(512).train(corpus);
    }

    @Test
    void learnsTheRequestedVocabularyWithBytesFirstAndSpecialsLast() {
        assertEquals(512, tokenizer.vocabSize());
        assertEquals(512 - BpeTrainer.MIN_VOCAB_SIZE, tokenizer.merges().size());
        for (int b = 0; b < 256; b++) {
            assertArrayEquals(new byte[] {(byte) b}, tokenizer.tokenBytes(b));
        }
        assertEquals(509, tokenizer.bos());
        assertEquals(510, tokenizer.eos());
        assertEquals(511, tokenizer.pad());
        assertEquals(Tokenizer.BOS, tokenizer.tokenString(509));
        assertEquals(Tokenizer.EOS, tokenizer.tokenString(510));
        assertEquals(Tokenizer.PAD, tokenizer.tokenString(511));
    }

    @Test
    void mergesShortenTheTrainingCorpus() {
        long bytes = 0;
        long tokens = 0;
        for (String document : corpus) {
            bytes += document.getBytes(StandardCharsets.UTF_8).length;
            tokens += tokenizer.encode(document).length;
        }
        assertTrue(tokens < bytes / 2,
                "expected fewer than half as many tokens as bytes, got " + tokens + " tokens for " + bytes + " bytes");
    }

    @Test
    void frequentWordsBecomeSingleTokens() {
        assertEquals(1, tokenizer.encode(" carrot").length);
        assertEquals(List.of(" know"), pieces(tokenizer, tokenizer.encode(" know")));
    }

    @Test
    void digitsNeverMerge() {
        int[] ids = tokenizer.encode("Q: What is 123 + 456?");
        assertEquals(List.of("Q", ":", " What", " is", " ", "1", "2", "3", " +", " ", "4", "5", "6", "?"),
                pieces(tokenizer, ids));
    }

    @Test
    void trainingIsDeterministicWhateverTheDocumentOrder() {
        List<String> shuffled = new ArrayList<>(corpus);
        Collections.shuffle(shuffled, new Random(3));
        Tokenizer again = new BpeTrainer(512).train(shuffled);
        assertEquals(tokenizer.merges(), again.merges());
        String text = String.join("", corpus.subList(0, 20));
        assertArrayEquals(tokenizer.encode(text), again.encode(text));
    }

    @Test
    void tiesGoToTheSmallerPairOfIds() {
        // "aaab": (a,a) occurs twice and merges first; then (aa,a) and (a,b) tie once each, and (a,b) has smaller ids.
        Tokenizer small = new BpeTrainer(BpeTrainer.MIN_VOCAB_SIZE + 3).train(List.of("aaab"));
        assertEquals(List.of(new Merge("a", "a"), new Merge("a", "b"), new Merge("aa", "ab")), small.merges());
        assertEquals(List.of("aaab"), pieces(small, small.encode("aaab")));
    }

    @Test
    void stopsEarlyWhenNothingIsLeftToMerge() {
        Tokenizer small = new BpeTrainer(1000).train(List.of("abc abc"));
        // "abc" and " abc": a+b, ab+c, then " "+abc.
        assertEquals(3, small.merges().size());
        assertEquals(256 + 3 + 3, small.vocabSize());
        assertEquals(List.of("abc", " abc"), pieces(small, small.encode("abc abc")));
    }

    @Test
    void trainsOnAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("corpus.txt");
        Files.writeString(file, String.join("", corpus.subList(0, 200)));
        Tokenizer fromFile = new BpeTrainer(300).train(file);
        Tokenizer fromText = new BpeTrainer(300).train(List.of(Files.readString(file)));
        assertEquals(fromText.merges(), fromFile.merges());
    }

    @Test
    void rejectsAVocabularyWithoutRoomForBytesAndSpecials() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(258));
        assertTrue(e.getMessage().contains("at least 259"), e.getMessage());
    }

    private static List<String> pieces(Tokenizer source, int[] ids) {
        List<String> pieces = new ArrayList<>();
        for (int id : ids) {
            pieces.add(new String(source.tokenBytes(id), StandardCharsets.UTF_8));
        }
        return pieces;
    }
}
