package dev.carrot.common;

/** A configuration file that cannot be used; the message names the file, the field and what was expected. */
public final class ConfigException extends InvalidInputException {

    public ConfigException(String message) {
        super(message);
    }
}
