package dev.carrot.policy.safetensors;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A safetensors file that is malformed or lacks a tensor: the message names the file and, where one is at fault, the
 * tensor.
 */
public final class SafetensorsException extends IOException {

    private final Path file;

    public SafetensorsException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public SafetensorsException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
