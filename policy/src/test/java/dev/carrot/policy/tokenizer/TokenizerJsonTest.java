package dev.carrot.policy.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SAMPLE = "Q: What is 12 + 30?\nA: I think it is 42, but I am not sure. Café 😀 ok";

    private static Tokenizer tokenizer;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() {
        tokenizer = new BpeTrainer(400).train(Corpus.documents(13, 50_000));
    }

    @Test
    void savedTokenizerLoadsBackIdentically() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        tokenizer.save(file);
        Tokenizer loaded = Tokenizer.load(file);

        assertEquals(tokenizer.vocabSize(), loaded.vocabSize());
        assertEquals(tokenizer.merges(), loaded.merges());
        assertEquals(tokenizer.preTokenizer().regex(), loaded.preTokenizer().regex());
        assertEquals(List.of(tokenizer.bos(), tokenizer.eos(), tokenizer.pad()),
                List.of(loaded.bos(), loaded.eos(), loaded.pad()));
        for (int id = 0; id < tokenizer.vocabSize(); id++) {
            assertEquals(tokenizer.tokenString(id), loaded.tokenString(id));
            assertEquals(tokenizer.isSpecial(id), loaded.isSpecial(id));
        }
        for (String document : Corpus.documents(99, 5_000)) {
            assertArrayEquals(tokenizer.encode(document), loaded.encode(document));
        }

        Path again = dir.resolve("again.json");
        loaded.save(again);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again));
    }

    @Test
    void writesHuggingFaceLayout() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        tokenizer.save(file);
        JsonNode root = JSON.readTree(file.toFile());

        assertEquals("BPE", root.at("/model/type").asText());
        assertEquals("Sequence", root.at("/pre_tokenizer/type").asText());
        assertEquals("Split", root.at("/pre_tokenizer/pretokenizers/0/type").asText());
        assertEquals(PreTokenizer.CARROT_REGEX, root.at("/pre_tokenizer/pretokenizers/0/pattern/Regex").asText());
        assertEquals("ByteLevel", root.at("/pre_tokenizer/pretokenizers/1/type").asText());
        assertEquals("ByteLevel", root.at("/decoder/type").asText());
        assertEquals(32, root.at("/model/vocab/\u0120").asInt(), "space is spelled Ġ and has id 32");
        assertEquals(tokenizer.merges().size(), root.at("/model/merges").size());
        JsonNode added = root.get("added_tokens");
        assertEquals(3, added.size());
        assertEquals(Tokenizer.BOS, added.get(0).get("content").asText());
        assertEquals(tokenizer.bos(), added.get(0).get("id").asInt());
        assertTrue(added.get(0).get("special").asBoolean());
        assertEquals(tokenizer.eos(), root.at("/model/vocab").get(Tokenizer.EOS).asInt());
        assertTrue(Files.readString(file).contains("\n      \"Ġ\": 32,\n"), "one vocabulary entry per line");
    }

    @Test
    void savingLeavesNoTemporaryFiles() throws IOException {
        tokenizer.save(dir.resolve("tokenizer.json"));
        tokenizer.save(dir.resolve("tokenizer.json"));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("tokenizer.json")), files.toList());
        }
    }

    /** A miniature of GPT-2's tokenizer.json: its byte ids, first merges, pre-tokenizer and single special token. */
    private static ObjectNode gpt2Miniature() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putArray("added_tokens").addObject().put("id", 263).put("content", Tokenizer.END_OF_TEXT)
                .put("special", true);
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        root.putObject("post_processor").put("type", "ByteLevel").put("trim_offsets", false);
        root.putObject("decoder").put("type", "ByteLevel");
        ObjectNode model = root.putObject("model").put("type", "BPE");
        model.putNull("dropout").putNull("unk_token").putNull("continuing_subword_prefix").putNull("end_of_word_suffix")
                .put("fuse_unk", false);
        ObjectNode vocab = model.putObject("vocab");
        // GPT-2 numbers the bytes that spell themselves first, then the shifted ones.
        IntStream.concat(IntStream.range(0, 256).filter(b -> ByteLevel.charOf(b) == b),
                        IntStream.range(0, 256).filter(b -> ByteLevel.charOf(b) != b))
                .forEach(b -> vocab.put(String.valueOf(ByteLevel.charOf(b)), vocab.size()));
        List<String> merges = List.of("Ġ t", "Ġ a", "h e", "i n", "r e", "o n", "Ġt he");
        ArrayNode mergeArray = model.putArray("merges");
        for (String merge : merges) {
            mergeArray.add(merge);
            vocab.put(merge.replace(" ", ""), vocab.size());
        }
        vocab.put(Tokenizer.END_OF_TEXT, vocab.size());
        return root;
    }

    @Test
    void readsGpt2Layout() throws IOException {
        Tokenizer gpt2 = load(gpt2Miniature());
        assertEquals(264, gpt2.vocabSize());
        // These ids agree with GPT-2's own: '!' is 0, 't' is 83, 'Ġ' is 220, "Ġthe" is 262.
        assertArrayEquals(new int[] {262}, gpt2.encode(" the"));
        assertArrayEquals(new int[] {83, 258}, gpt2.encode("the"));
        assertEquals(220, gpt2.encode(" ")[0]);
        assertArrayEquals(new int[] {0}, gpt2.encode("!"));
        assertEquals(263, gpt2.bos());
        assertEquals(263, gpt2.eos());
        assertEquals(263, gpt2.pad());
        assertEquals(" the 2024 rain\n", gpt2.decode(gpt2.encode(" the 2024 rain\n")));
        // GPT-2's pattern keeps a run of digits, with its space, in one piece.
        assertEquals(PreTokenizer.GPT2_REGEX, gpt2.preTokenizer().regex());
    }

    @Test
    void readsMergesWrittenAsPairs() throws IOException {
        ObjectNode root = gpt2Miniature();
        ArrayNode pairs = JSON.createArrayNode();
        root.at("/model/merges").forEach(merge -> {
            String[] parts = merge.asText().split(" ");
            pairs.addArray().add(parts[0]).add(parts[1]);
        });
        ((ObjectNode) root.get("model")).set("merges", pairs);
        assertArrayEquals(new int[] {262}, load(root).encode(" the"));
    }

    @Test
    void invalidJsonNamesTheFileAndPosition() throws IOException {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\n  \"model\": {\n    \"vocab\": [1, 2,\n");
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> Tokenizer.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not valid JSON at line"), e.getMessage());
        assertEquals(file, e.file());
    }

    @Test
    void missingVocabularyIsNamed() {
        assertError(root -> ((ObjectNode) root.get("model")).remove("vocab"), "field 'model.vocab': missing");
    }

    @Test
    void otherModelTypesAreRejected() {
        assertError(root -> ((ObjectNode) root.get("model")).put("type", "WordPiece"),
                "field 'model.type': expected \"BPE\", got \"WordPiece\"");
    }

    @Test
    void nonIntegerIdIsNamed() {
        assertError(root -> ((ObjectNode) root.at("/model/vocab")).put("he", "seven"),
                "field 'model.vocab[\"he\"]': expected a non-negative integer id, got \"seven\"");
    }

    @Test
    void gapInIdsIsNamed() {
        assertError(root -> ((ObjectNode) root.at("/model/vocab")).remove("in"),
                "field 'model.vocab': no token has id 259");
    }

    @Test
    void twoTokensWithOneIdAreNamed() {
        assertError(root -> ((ObjectNode) root.at("/model/vocab")).put("re", 259),
                "id 259 is already");
    }

    @Test
    void mergeOfUnknownTokenIsNamed() {
        assertError(root -> ((ArrayNode) root.at("/model/merges")).add("Ġthe re"),
                "merge 7 (\"Ġthe\" \"re\"): the result \"Ġthere\" is not a token");
    }

    @Test
    void malformedMergeIsNamed() {
        assertError(root -> ((ArrayNode) root.at("/model/merges")).add("abc"),
                "field 'model.merges[7]': expected \"left right\"");
    }

    @Test
    void tokenOutsideTheByteLevelAlphabetIsNamed() {
        assertError(root -> {
            ObjectNode vocab = (ObjectNode) root.at("/model/vocab");
            vocab.remove("on");
            vocab.put("中", 261);
        }, "vocabulary id 261: token \"中\" has character U+4E2D");
    }

    @Test
    void missingSpecialTokensAreNamed() {
        assertError(root -> root.putArray("added_tokens"), "the special tokens must include <|bos|>");
    }

    @Test
    void unsupportedNormalizerIsRejected() {
        assertError(root -> root.putObject("normalizer").put("type", "NFC"), "field 'normalizer': unsupported");
    }

    @Test
    void prefixSpaceIsRejectedRatherThanIgnored() {
        assertError(root -> ((ObjectNode) root.get("pre_tokenizer")).put("add_prefix_space", true),
                "field 'pre_tokenizer.add_prefix_space': not supported");
    }

    @Test
    void invalidSplitRegexIsNamed() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        tokenizer.save(file);
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        ((ObjectNode) root.at("/pre_tokenizer/pretokenizers/0/pattern")).put("Regex", "(unclosed");
        assertError(root, "field 'pre_tokenizer.pretokenizers[0].pattern.Regex': invalid regex");
    }

    private void assertError(Consumer<ObjectNode> corruption, String expected) {
        ObjectNode root = gpt2Miniature();
        corruption.accept(root);
        assertError(root, expected);
    }

    private void assertError(ObjectNode root, String expected) {
        Path file = dir.resolve("corrupt.json");
        TokenizerFormatException e = assertThrows(TokenizerFormatException.class, () -> {
            JSON.writeValue(file.toFile(), root);
            Tokenizer.load(file);
        });
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private Tokenizer load(ObjectNode root) throws IOException {
        Path file = dir.resolve("gpt2.json");
        JSON.writeValue(file.toFile(), root);
        return Tokenizer.load(file);
    }
}
