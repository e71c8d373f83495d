package dev.carrot.trainer.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carrot.common.AtomicFiles;
import dev.carrot.common.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One stage of a job, in its own directory, done once: a finished stage leaves {@code stage.json} with the
 * fingerprint of the config sections it was made from. A later run reuses it when the fingerprint matches and
 * refuses to mix it with a changed config, rather than silently reusing stale output.
 */
public final class Stage {

    static final String MARKER = "stage.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final String name;
    private final Path dir;
    private final String fingerprint;

    /** @param inputs the config sections (and upstream fingerprints) that determine this stage's output */
    public Stage(String name, Path dir, List<JsonNode> inputs) {
        this.name = name;
        this.dir = dir;
        this.fingerprint = fingerprint(inputs);
    }

    public Path dir() {
        return dir;
    }

    public String fingerprint() {
        return fingerprint;
    }

    /** True when a finished output made from the same config is there; an output from another config is an error. */
    public boolean done() throws IOException {
        Path marker = dir.resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return false;
        }
        String stored = JSON.readTree(marker.toFile()).path("fingerprint").asText();
        if (!stored.equals(fingerprint)) {
            throw new InvalidInputException(dir + ": the " + name + " stage there was made from a different config;"
                    + " write to a new --out, or delete " + dir + " to redo it");
        }
        return true;
    }

    /** Marks the stage finished, recording {@code summary} beside the fingerprint. */
    public void finish(JsonNode summary, double seconds) throws IOException {
        ObjectNode marker = JSON.createObjectNode();
        marker.put("stage", name);
        marker.put("fingerprint", fingerprint);
        marker.put("seconds", seconds);
        marker.set("summary", summary);
        AtomicFiles.write(dir.resolve(MARKER), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(marker));
    }

    /** The seconds the stage took when it ran. */
    public double seconds() throws IOException {
        return JSON.readTree(dir.resolve(MARKER).toFile()).path("seconds").asDouble();
    }

    private static String fingerprint(List<JsonNode> inputs) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (JsonNode input : inputs) {
                Object canonical = input == null ? null : JSON.treeToValue(input, Object.class);
                sha.update(JSON.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("cannot fingerprint a config", e);
        }
    }
}
