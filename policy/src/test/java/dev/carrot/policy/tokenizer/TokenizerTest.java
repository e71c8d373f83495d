package dev.carrot.policy.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenizerTest {

    private static Tokenizer tokenizer;

    @BeforeAll
    static void train() {
        tokenizer = new BpeTrainer(400).train(Corpus.documents(11, 50_000));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "a", "Hello, world!", "Q: What is 17 + 25?\nA: 42.", "I think it is Paris, but I am not sure.",
        "Café naïve résumé Ångström", "emoji 😀👍🏽 and flags 🇫🇷", "日本語のテキスト", "Здравствуй, мир",
        "combining e\u0301 vs é", "  leading and trailing  ", "\t tabs\r\nand CRLF\r\n", "\n\n\n", "   ",
        "text with <|eos|> inside", "\u0000\u0001 control \u007f"})
    void decodeInvertsEncode(String text) {
        int[] ids = tokenizer.encode(text);
        assertEquals(text, tokenizer.decode(ids));
        assertEquals(text, tokenizer.decode(Arrays.stream(ids).boxed().toList()));
    }

    @Test
    void bosIsPrependedOnlyWhenAsked() {
        int[] plain = tokenizer.encode("Hi");
        int[] withBos = tokenizer.encode("Hi", true);
        assertEquals(tokenizer.bos(), withBos[0]);
        assertArrayEquals(plain, Arrays.copyOfRange(withBos, 1, withBos.length));
        assertFalse(Arrays.stream(plain).anyMatch(id -> id == tokenizer.bos()));
    }

    @Test
    void specialTokensAreNeverProducedFromText() {
        int[] ids = tokenizer.encode("<|bos|><|eos|><|pad|>");
        assertTrue(Arrays.stream(ids).noneMatch(tokenizer::isSpecial), Arrays.toString(ids));
    }

    @Test
    void specialTokensDecodeToTheirText() {
        int[] ids = {tokenizer.bos(), tokenizer.encode("Hi")[0], tokenizer.eos(), tokenizer.pad()};
        assertTrue(tokenizer.decode(ids).startsWith(Tokenizer.BOS));
        assertTrue(tokenizer.decode(ids).endsWith(Tokenizer.EOS + Tokenizer.PAD));
        assertTrue(tokenizer.isSpecial(tokenizer.eos()));
        assertFalse(tokenizer.isSpecial(0));
    }

    @Test
    void decodingHalfACharacterGivesTheReplacementCharacter() {
        byte[] thumbsUp = "👍".getBytes(StandardCharsets.UTF_8);
        int[] ids = tokenizer.encode("👍");
        assertEquals(4, thumbsUp.length);
        // Whatever the merges, the first byte alone is an incomplete character.
        assertEquals("\uFFFD", tokenizer.decode(new int[] {thumbsUp[0] & 0xFF}));
        String prefix = tokenizer.decode(Arrays.copyOf(ids, ids.length - 1));
        assertTrue(prefix.isEmpty() || prefix.chars().allMatch(c -> c == '\uFFFD'), prefix);
    }

    @Test
    void tokenStringsUseTheByteLevelAlphabet() {
        assertEquals("Ġ", tokenizer.tokenString(' '));
        assertEquals("Ċ", tokenizer.tokenString('\n'));
        assertEquals("a", tokenizer.tokenString('a'));
        int[] ids = tokenizer.encode(" carrot");
        assertTrue(tokenizer.tokenString(ids[0]).startsWith("Ġ"), tokenizer.tokenString(ids[0]));
    }

    @Test
    void idsOutsideTheVocabularyAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tokenizer.decode(new int[] {tokenizer.vocabSize()}));
        assertTrue(e.getMessage().contains("outside the vocabulary"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tokenizer.tokenString(-1));
    }

    @Test
    void rejectsAVocabularyWithoutCarrotsOrGpt2sSpecialTokens() {
        List<String> vocab = new java.util.ArrayList<>();
        for (int b = 0; b < 256; b++) {
            vocab.add(String.valueOf(ByteLevel.charOf(b)));
        }
        vocab.add("<|bos|>");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Tokenizer(PreTokenizer.carrot(), vocab, List.of(), java.util.Set.of(256)));
        assertTrue(e.getMessage().contains("<|endoftext|>"), e.getMessage());
    }
}
