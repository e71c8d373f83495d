package dev.carrot.trainer.config;

import dev.carrot.common.InvalidInputException;
import java.nio.file.Path;

/** A job file that cannot be used as written; the message names the file, the field and what was expected. */
public final class ConfigException extends InvalidInputException {

    public ConfigException(Path file, String field, String problem) {
        super(file + ": " + (field.isEmpty() ? "" : field + ": ") + problem);
    }
}
