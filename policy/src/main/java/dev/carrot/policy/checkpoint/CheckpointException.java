package dev.carrot.policy.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file that cannot be loaded; the message names the file and, where one is at fault, the tensor. */
public final class CheckpointException extends IOException {

    public CheckpointException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
