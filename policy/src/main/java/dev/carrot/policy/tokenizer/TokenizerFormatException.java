package dev.carrot.policy.tokenizer;

import java.io.IOException;
import java.nio.file.Path;

/** A {@code tokenizer.json} that cannot be read: the message names the file, the field and what was expected. */
public final class TokenizerFormatException extends IOException {

    private final Path file;

    public TokenizerFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public TokenizerFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
