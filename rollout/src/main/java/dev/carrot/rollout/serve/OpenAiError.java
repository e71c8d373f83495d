package dev.carrot.rollout.serve;

import io.vertx.core.json.JsonObject;

/**
 * A request the server refuses, as OpenAI reports it: an HTTP status and
 * {@code {"error": {"message", "type", "param", "code"}}}.
 *
 * @param status  the HTTP status
 * @param type    OpenAI's error type, e.g. {@code invalid_request_error}
 * @param code    a machine-readable code, e.g. {@code context_length_exceeded}; may be null
 * @param param   the request field at fault; may be null
 */
final class OpenAiError extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final String param;

    OpenAiError(int status, String type, String code, String param, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    /** A 400 for a bad field. */
    static OpenAiError invalid(String param, String message) {
        return new OpenAiError(400, "invalid_request_error", "invalid_value", param, message);
    }

    /** A 400 for a field this server does not implement. */
    static OpenAiError unsupported(String param, String message) {
        return new OpenAiError(400, "invalid_request_error", "unsupported_parameter", param, message);
    }

    int status() {
        return status;
    }

    JsonObject body() {
        return new JsonObject().put("error", new JsonObject()
                .put("message", getMessage())
                .put("type", type)
                .put("param", param)
                .put("code", code));
    }
}
