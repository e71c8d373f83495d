package dev.carrot.cli;

import dev.carrot.common.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** An API key kept in a file rather than on the command line, where other users of the machine could read it. */
final class ApiKeyFile {

    private ApiKeyFile() {}

    /** The file's content without surrounding whitespace; null for no file. */
    static String read(Path file) throws IOException {
        if (file == null) {
            return null;
        }
        String key = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (key.isEmpty() || key.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidInputException(file + ": expected the API key alone, one word without spaces");
        }
        return key;
    }
}
