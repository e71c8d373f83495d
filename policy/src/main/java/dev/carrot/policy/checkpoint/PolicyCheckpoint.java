package dev.carrot.policy.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carrot.common.AtomicFiles;
import dev.carrot.common.FileManifest;
import dev.carrot.common.InvalidInputException;
import dev.carrot.policy.Policy;
import dev.carrot.policy.kernels.Kernels;
import dev.carrot.policy.model.Gpt;
import dev.carrot.policy.model.GptConfig;
import dev.carrot.policy.model.GptParameters;
import dev.carrot.policy.safetensors.SafetensorsFile;
import dev.carrot.policy.safetensors.SafetensorsWriter;
import dev.carrot.policy.safetensors.Tensor;
import dev.carrot.policy.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A policy on disk, in a directory laid out like a Hugging Face model:
 * <ul>
 *   <li>{@code config.json} — the {@link GptConfig}, plus {@code model_type} and {@code format_version};</li>
 *   <li>{@code model.safetensors} — the network, with GPT-2's tensor names and layouts;</li>
 *   <li>{@code value_head.safetensors} — the value head, when the model has one, so that a policy can be shared
 *       without its critic;</li>
 *   <li>{@code tokenizer.json} — the tokenizer in Hugging Face form.</li>
 * </ul>
 * Each file is written atomically; config.json is written after the others, so a directory with a config is
 * complete, and {@code manifest.json} ({@link FileManifest}) last: loading checks every file against it and names
 * one that changed since (a flipped byte, a truncated copy). A directory without a manifest — a policy from
 * elsewhere, or from before manifests — loads without that check.
 */
public final class PolicyCheckpoint {

    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String VALUE_HEAD = "value_head.safetensors";
    public static final String TOKENIZER = "tokenizer.json";
    static final String MODEL_TYPE = "carrot-gpt2";
    static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PolicyCheckpoint() {}

    public static void save(Policy policy, Path dir) throws IOException {
        Files.createDirectories(dir);
        FileManifest.discard(dir); // an old manifest must not vouch for a half-replaced checkpoint
        GptParameters p = policy.model().parameters();
        List<Tensor> policyTensors = new ArrayList<>();
        List<Tensor> valueTensors = new ArrayList<>();
        for (GptParameters.Spec spec : p.specs()) {
            Tensor t = Tensor.ofFloats(spec.name(), spec.shape(), p.get(spec.name()).toArray());
            (spec.valueHead() ? valueTensors : policyTensors).add(t);
        }
        Map<String, String> metadata = Map.of("format", "pt", "producer", "carrot");
        SafetensorsWriter.write(dir.resolve(WEIGHTS), policyTensors, metadata);
        if (!valueTensors.isEmpty()) {
            SafetensorsWriter.write(dir.resolve(VALUE_HEAD), valueTensors, metadata);
        } else {
            Files.deleteIfExists(dir.resolve(VALUE_HEAD));
        }
        policy.tokenizer().save(dir.resolve(TOKENIZER));
        ObjectNode config = JSON.valueToTree(policy.config());
        config.put("model_type", MODEL_TYPE);
        config.put("format_version", FORMAT_VERSION);
        AtomicFiles.write(dir.resolve(CONFIG), JSON.writeValueAsBytes(config));
        List<String> files = new ArrayList<>(List.of(CONFIG, WEIGHTS, TOKENIZER));
        if (!valueTensors.isEmpty()) {
            files.add(VALUE_HEAD);
        }
        FileManifest.write(dir, files);
    }

    /** Loads a policy; its value head comes along when the checkpoint has one. */
    public static Policy load(Path dir, Kernels kernels) throws IOException {
        try {
            FileManifest.verify(dir);
        } catch (InvalidInputException e) {
            throw new CheckpointException(dir, "does not match its " + FileManifest.FILE + ": " + e.getMessage(), e);
        }
        GptConfig config = readConfig(dir);
        GptParameters parameters = GptParameters.zeros(config);
        readTensors(dir.resolve(WEIGHTS), parameters, false);
        if (config.valueHead()) {
            readTensors(dir.resolve(VALUE_HEAD), parameters, true);
        }
        Tokenizer tokenizer = Tokenizer.load(dir.resolve(TOKENIZER));
        if (tokenizer.vocabSize() != config.vocabSize()) {
            throw new CheckpointException(dir.resolve(TOKENIZER), "has " + tokenizer.vocabSize()
                    + " tokens but config.json says vocab_size " + config.vocabSize());
        }
        return new Policy(new Gpt(parameters, kernels), tokenizer);
    }

    public static GptConfig readConfig(Path dir) throws IOException {
        Path file = dir.resolve(CONFIG);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, "missing: " + dir + " is not a Carrot policy checkpoint"
                    + " (expected " + CONFIG + ", " + WEIGHTS + " and " + TOKENIZER + ")");
        }
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(file.toFile());
            String type = node.path("model_type").asText("");
            if (!type.equals(MODEL_TYPE)) {
                throw new CheckpointException(file, "model_type: expected \"" + MODEL_TYPE + "\", got \"" + type + "\"");
            }
            int version = node.path("format_version").asInt(-1);
            if (version != FORMAT_VERSION) {
                throw new CheckpointException(file, "format_version: expected " + FORMAT_VERSION + ", got " + version);
            }
            node.remove("model_type");
            node.remove("format_version");
            return JSON.treeToValue(node, GptConfig.class);
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException | ClassCastException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            throw new CheckpointException(file, "not a valid config: " + cause.getMessage(), e);
        }
    }

    /** Fills the tensors of {@code parameters} that belong in {@code file}, checking names, shapes and dtypes. */
    private static void readTensors(Path file, GptParameters parameters, boolean valueHead) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, "missing");
        }
        SafetensorsFile tensors = SafetensorsFile.read(file);
        Set<String> unexpected = new LinkedHashSet<>(tensors.names());
        for (GptParameters.Spec spec : parameters.specs()) {
            if (spec.valueHead() != valueHead) {
                continue;
            }
            unexpected.remove(spec.name());
            if (!tensors.contains(spec.name())) {
                throw new CheckpointException(file, "tensor '" + spec.name() + "' is missing (config.json describes a"
                        + " model with it, shape " + Arrays.toString(spec.shape()) + ")");
            }
            Tensor t = tensors.tensor(spec.name());
            if (!Arrays.equals(t.shape(), spec.shape())) {
                throw new CheckpointException(file, "tensor '" + spec.name() + "' has shape "
                        + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(spec.shape())
                        + " from config.json");
            }
            float[] values;
            try {
                values = t.toFloats();
            } catch (RuntimeException e) {
                throw new CheckpointException(file, "tensor '" + spec.name() + "' has dtype " + t.dtype()
                        + ", expected a floating-point type", e);
            }
            parameters.get(spec.name()).copyFrom(values);
        }
        if (!unexpected.isEmpty()) {
            throw new CheckpointException(file, "unexpected tensors " + unexpected + " for the model in config.json");
        }
    }
}
