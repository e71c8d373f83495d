package dev.carrot.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a directory of kept files (a checkpoint) should contain: {@value #FILE}, each listed file's size and SHA-256.
 * Written after the files, so that a reader can tell a file changed behind its back — a flipped byte, a truncated
 * copy, a file from another save — from the file it was meant to be, and name it. A directory without a manifest
 * (a policy imported from elsewhere, or saved before manifests existed) is read without the check.
 */
public final class FileManifest {

    public static final String FILE = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FileManifest() {}

    /** Records {@code files} (names in {@code dir}) as they are now, replacing any earlier manifest atomically. */
    public static void write(Path dir, List<String> files) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode entries = root.putObject("files");
        for (String name : files) {
            Path file = dir.resolve(name);
            entries.putObject(name).put("size", Files.size(file)).put("sha256", Sha256.of(file));
        }
        AtomicFiles.write(dir.resolve(FILE), JSON.writeValueAsBytes(root));
    }

    /** Removes the manifest before the files it describes are replaced, so that it never vouches for a mix. */
    public static void discard(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE));
    }

    /**
     * Checks every file the manifest of {@code dir} lists; returns quietly when there is no manifest.
     *
     * @throws InvalidInputException naming the first file that is missing or differs from its record
     */
    public static void verify(Path dir) throws IOException {
        Path manifest = dir.resolve(FILE);
        if (!Files.isRegularFile(manifest)) {
            return;
        }
        JsonNode files;
        try {
            files = JSON.readTree(manifest.toFile()).path("files");
        } catch (IOException e) {
            throw new InvalidInputException(manifest + ": not a valid manifest: " + e.getMessage(), e);
        }
        for (var entries = files.fields(); entries.hasNext(); ) {
            var entry = entries.next();
            Path file = dir.resolve(entry.getKey());
            if (!Files.isRegularFile(file)) {
                throw new InvalidInputException(file + ": missing, although " + manifest + " lists it");
            }
            long size = Files.size(file);
            long expected = entry.getValue().path("size").asLong(-1);
            if (size != expected) {
                throw new InvalidInputException(file + ": " + size + " bytes, but " + manifest + " recorded " + expected
                        + " when it was saved: the file is incomplete or was replaced");
            }
            if (!Sha256.of(file).equals(entry.getValue().path("sha256").asText())) {
                throw new InvalidInputException(file + ": its content differs from what " + manifest + " recorded"
                        + " (SHA-256) when it was saved: the file is corrupted");
            }
        }
    }
}
