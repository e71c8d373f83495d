package dev.carrot.common;

/**
 * Input that a user must fix — a job file, a dataset, a request, a plugin — as opposed to a fault of Carrot's.
 * The message names the file (or source) and the field or line at fault, and what was expected; command-line tools
 * print it as one line, without a stack trace.
 */
public class InvalidInputException extends RuntimeException {

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
