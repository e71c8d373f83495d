package dev.carrot.evaluation.endpoint;

import dev.carrot.common.InvalidInputException;

/** An endpoint refused a request, or failed it on every attempt: the message names the URL and the last answer. */
public final class EndpointException extends InvalidInputException {

    public EndpointException(String message) {
        super(message);
    }

    public EndpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
