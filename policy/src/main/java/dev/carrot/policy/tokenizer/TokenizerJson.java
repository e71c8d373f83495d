package dev.carrot.policy.tokenizer;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carrot.common.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads and writes Hugging Face's {@code tokenizer.json} for byte-level BPE.
 *
 * <p>Written files have model type {@code BPE}, a {@code Sequence} pre-tokenizer of a regex {@code Split} (behaviour
 * {@code Isolated}) followed by {@code ByteLevel} without its own regex, a {@code ByteLevel} decoder, the special
 * tokens in {@code added_tokens} (and, as GPT-2 does, in {@code model.vocab}), the vocabulary in id order and merges as
 * {@code "left right"} strings, one per line. Hugging Face {@code tokenizers} loads them as they are.
 *
 * <p>Read files may also use GPT-2's layout: a lone {@code ByteLevel} pre-tokenizer with {@code use_regex} (GPT-2's
 * regex), a {@code ByteLevel} post-processor, and merges as two-element arrays (the form newer {@code tokenizers}
 * versions write). Anything that would change how text is encoded and that this reader does not implement (a
 * normalizer, a prefix space, dropout, byte fallback, word prefixes or suffixes) is rejected with the name of the
 * field, rather than silently encoding differently from Hugging Face.
 */
final class TokenizerJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Two-space indentation, {@code "key": value}, and '\n' line ends whatever the platform, for identical files. */
    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private TokenizerJson() {}

    static void write(Tokenizer tokenizer, Path file) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < tokenizer.vocabSize(); id++) {
            if (tokenizer.isSpecial(id)) {
                added.addObject()
                        .put("id", id)
                        .put("content", tokenizer.tokenString(id))
                        .put("single_word", false)
                        .put("lstrip", false)
                        .put("rstrip", false)
                        .put("normalized", false)
                        .put("special", true);
            }
        }
        root.putNull("normalizer");
        ArrayNode steps = root.putObject("pre_tokenizer").put("type", "Sequence").putArray("pretokenizers");
        ObjectNode split = steps.addObject().put("type", "Split");
        split.putObject("pattern").put("Regex", tokenizer.preTokenizer().regex());
        split.put("behavior", "Isolated").put("invert", false);
        steps.addObject()
                .put("type", "ByteLevel")
                .put("add_prefix_space", false)
                .put("trim_offsets", true)
                .put("use_regex", false);
        root.putNull("post_processor");
        root.putObject("decoder")
                .put("type", "ByteLevel")
                .put("add_prefix_space", true)
                .put("trim_offsets", true)
                .put("use_regex", true);
        ObjectNode model = root.putObject("model")
                .put("type", "BPE")
                .putNull("dropout")
                .putNull("unk_token")
                .putNull("continuing_subword_prefix")
                .putNull("end_of_word_suffix")
                .put("fuse_unk", false)
                .put("byte_fallback", false)
                .put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < tokenizer.vocabSize(); id++) {
            vocab.put(tokenizer.tokenString(id), id);
        }
        ArrayNode merges = model.putArray("merges");
        for (Merge merge : tokenizer.merges()) {
            // Byte-level tokens never contain a space (it is spelled 'Ġ'), so one space separates them unambiguously.
            merges.add(merge.left() + " " + merge.right());
        }

        byte[] json = (WRITER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, json);
    }

    static Tokenizer read(Path file) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new TokenizerFormatException(file, "not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
        return new Reader(file).tokenizer(root);
    }

    /** Reads one file, naming it and the offending field in every error. */
    private record Reader(Path file) {

        Tokenizer tokenizer(JsonNode root) throws TokenizerFormatException {
            if (root == null || !root.isObject()) {
                throw new TokenizerFormatException(file, "expected a JSON object at the top level");
            }
            JsonNode normalizer = root.get("normalizer");
            if (normalizer != null && !normalizer.isNull()) {
                throw error("normalizer", "unsupported normalizer " + normalizer.path("type")
                        + "; only byte-level BPE without normalization (null) is supported");
            }
            PreTokenizer preTokenizer = preTokenizer(required(root, "pre_tokenizer", "pre_tokenizer"));
            JsonNode postProcessor = root.get("post_processor");
            if (postProcessor != null && !postProcessor.isNull()) {
                expectType(postProcessor, "post_processor", "ByteLevel");
            }
            expectType(required(root, "decoder", "decoder"), "decoder", "ByteLevel");

            JsonNode model = required(root, "model", "model");
            expectType(model, "model", "BPE");
            expectAbsentOrNull(model, "dropout", "model.dropout", "BPE dropout is not supported");
            expectAbsentOrEmpty(model, "continuing_subword_prefix", "model.continuing_subword_prefix");
            expectAbsentOrEmpty(model, "end_of_word_suffix", "model.end_of_word_suffix");
            expectAbsentOrFalse(model, "byte_fallback", "model.byte_fallback");
            expectAbsentOrFalse(model, "ignore_merges", "model.ignore_merges");

            JsonNode vocabNode = required(model, "vocab", "model.vocab");
            if (!vocabNode.isObject()) {
                throw error("model.vocab", "expected an object mapping each token to its id");
            }
            JsonNode added = root.path("added_tokens");
            if (!added.isMissingNode() && !added.isNull() && !added.isArray()) {
                throw error("added_tokens", "expected an array of {\"id\", \"content\", ...} objects");
            }
            // Ids are dense, so none can reach the number of entries; checking this first bounds the list below.
            int idLimit = vocabNode.size() + added.size();
            List<String> vocab = new ArrayList<>(idLimit);
            for (Iterator<Map.Entry<String, JsonNode>> it = vocabNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String field = "model.vocab[\"" + entry.getKey() + "\"]";
                place(vocab, id(entry.getValue(), idLimit, field), entry.getKey(), field);
            }
            Set<Integer> specialIds = new HashSet<>();
            if (added.isArray()) {
                for (int i = 0; i < added.size(); i++) {
                    String field = "added_tokens[" + i + "]";
                    JsonNode token = added.get(i);
                    int id = id(required(token, "id", field + ".id"), idLimit, field + ".id");
                    place(vocab, id, text(required(token, "content", field + ".content"), field + ".content"), field);
                    specialIds.add(id);
                }
            }
            int missing = vocab.indexOf(null);
            if (missing >= 0) {
                throw error("model.vocab", "no token has id " + missing + "; ids must run from 0 without gaps");
            }

            List<Merge> merges = merges(required(model, "merges", "model.merges"));
            try {
                return new Tokenizer(preTokenizer, vocab, merges, specialIds);
            } catch (IllegalArgumentException e) {
                throw new TokenizerFormatException(file, "inconsistent vocabulary: " + e.getMessage(), e);
            }
        }

        private PreTokenizer preTokenizer(JsonNode node) throws TokenizerFormatException {
            String type = text(required(node, "type", "pre_tokenizer.type"), "pre_tokenizer.type");
            if (type.equals("ByteLevel")) {
                expectAbsentOrFalse(node, "add_prefix_space", "pre_tokenizer.add_prefix_space");
                JsonNode useRegex = node.get("use_regex");
                if (useRegex != null && !useRegex.asBoolean()) {
                    throw error("pre_tokenizer.use_regex", "a ByteLevel pre-tokenizer alone must use GPT-2's regex");
                }
                return PreTokenizer.gpt2();
            }
            if (!type.equals("Sequence")) {
                throw error("pre_tokenizer.type", "expected \"ByteLevel\" or \"Sequence\" [Split, ByteLevel], got \""
                        + type + "\"");
            }
            JsonNode steps = required(node, "pretokenizers", "pre_tokenizer.pretokenizers");
            if (!steps.isArray() || steps.size() != 2) {
                throw error("pre_tokenizer.pretokenizers", "expected exactly [Split, ByteLevel]");
            }
            String splitField = "pre_tokenizer.pretokenizers[0]";
            JsonNode split = steps.get(0);
            expectType(split, splitField, "Split");
            String behavior = text(required(split, "behavior", splitField + ".behavior"), splitField + ".behavior");
            if (!behavior.equals("Isolated")) {
                throw error(splitField + ".behavior", "expected \"Isolated\", got \"" + behavior + "\"");
            }
            expectAbsentOrFalse(split, "invert", splitField + ".invert");
            String byteLevelField = "pre_tokenizer.pretokenizers[1]";
            JsonNode byteLevel = steps.get(1);
            expectType(byteLevel, byteLevelField, "ByteLevel");
            expectAbsentOrFalse(byteLevel, "add_prefix_space", byteLevelField + ".add_prefix_space");
            expectAbsentOrFalse(byteLevel, "use_regex", byteLevelField + ".use_regex");

            JsonNode pattern = required(split, "pattern", splitField + ".pattern");
            String field;
            String regex;
            if (pattern.has("Regex")) {
                field = splitField + ".pattern.Regex";
                regex = text(pattern.get("Regex"), field);
            } else if (pattern.has("String")) {
                field = splitField + ".pattern.String";
                regex = Pattern.quote(text(pattern.get("String"), field));
            } else {
                throw error(splitField + ".pattern", "expected {\"Regex\": ...} or {\"String\": ...}");
            }
            try {
                return new PreTokenizer(regex);
            } catch (PatternSyntaxException e) {
                throw error(field, "invalid regex: " + e.getMessage());
            }
        }

        private List<Merge> merges(JsonNode node) throws TokenizerFormatException {
            if (!node.isArray()) {
                throw error("model.merges", "expected an array of merges");
            }
            List<Merge> merges = new ArrayList<>(node.size());
            for (int rank = 0; rank < node.size(); rank++) {
                JsonNode merge = node.get(rank);
                String field = "model.merges[" + rank + "]";
                if (merge.isTextual()) {
                    String[] parts = merge.asText().split(" ", -1);
                    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                        throw error(field, "expected \"left right\", two tokens separated by one space, got "
                                + merge);
                    }
                    merges.add(new Merge(parts[0], parts[1]));
                } else if (merge.isArray() && merge.size() == 2 && merge.get(0).isTextual()
                        && merge.get(1).isTextual()) {
                    merges.add(new Merge(merge.get(0).asText(), merge.get(1).asText()));
                } else {
                    throw error(field, "expected \"left right\" or [\"left\", \"right\"], got " + merge);
                }
            }
            return merges;
        }

        /** Puts {@code token} at {@code id}, growing the list; a different token already there is an error. */
        private void place(List<String> vocab, int id, String token, String field) throws TokenizerFormatException {
            while (vocab.size() <= id) {
                vocab.add(null);
            }
            String existing = vocab.get(id);
            if (existing != null && !existing.equals(token)) {
                throw error(field, "id " + id + " is already \"" + existing + "\", cannot also be \"" + token + "\"");
            }
            vocab.set(id, token);
        }

        private int id(JsonNode node, int limit, String field) throws TokenizerFormatException {
            if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
                throw error(field, "expected a non-negative integer id, got " + node);
            }
            if (node.intValue() >= limit) {
                throw error(field, "id " + node + " is out of range: the file has " + limit
                        + " tokens, so ids must run from 0 to " + (limit - 1));
            }
            return node.intValue();
        }

        private String text(JsonNode node, String field) throws TokenizerFormatException {
            if (!node.isTextual()) {
                throw error(field, "expected a string, got " + node);
            }
            return node.asText();
        }

        private JsonNode required(JsonNode parent, String name, String field) throws TokenizerFormatException {
            JsonNode node = parent.get(name);
            if (node == null || node.isNull()) {
                throw error(field, "missing");
            }
            return node;
        }

        private void expectType(JsonNode node, String field, String type) throws TokenizerFormatException {
            if (!node.isObject()) {
                throw error(field, "expected an object of type \"" + type + "\", got " + node);
            }
            String actual = text(required(node, "type", field + ".type"), field + ".type");
            if (!actual.equals(type)) {
                throw error(field + ".type", "expected \"" + type + "\", got \"" + actual + "\"");
            }
        }

        private void expectAbsentOrNull(JsonNode node, String name, String field, String problem)
                throws TokenizerFormatException {
            JsonNode value = node.get(name);
            if (value != null && !value.isNull()) {
                throw error(field, problem + "; expected null, got " + value);
            }
        }

        private void expectAbsentOrEmpty(JsonNode node, String name, String field) throws TokenizerFormatException {
            JsonNode value = node.get(name);
            if (value != null && !value.isNull() && !value.asText().isEmpty()) {
                throw error(field, "not supported by byte-level BPE; expected null, got " + value);
            }
        }

        private void expectAbsentOrFalse(JsonNode node, String name, String field) throws TokenizerFormatException {
            JsonNode value = node.get(name);
            if (value != null && !value.isNull() && !(value.isBoolean() && !value.booleanValue())) {
                throw error(field, "not supported; expected false, got " + value);
            }
        }

        private TokenizerFormatException error(String field, String problem) {
            return new TokenizerFormatException(file, "field '" + field + "': " + problem);
        }
    }
}
