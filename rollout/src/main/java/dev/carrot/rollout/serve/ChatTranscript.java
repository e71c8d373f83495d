package dev.carrot.rollout.serve;

import dev.carrot.policy.PromptFormat;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a chat's messages into a prompt in the policy's {@link PromptFormat}, which knows questions and answers and
 * nothing else: the messages must alternate user, assistant, user, ..., ending with the user's open question. Each
 * earlier user message becomes a question and the assistant message after it that question's answer. A system or
 * developer message is refused rather than dropped or pasted in, since the policy was never trained to read one;
 * so is anything else that does not fit (tool messages, images, an assistant turn last). The reply is the answer's
 * line: generation stops at its end, where the format would go on with a next question.
 */
final class ChatTranscript {

    private ChatTranscript() {}

    static String prompt(Object messagesField) {
        if (!(messagesField instanceof JsonArray messages) || messages.isEmpty()) {
            throw OpenAiError.invalid("messages", "messages: expected a non-empty array of {role, content} objects");
        }
        List<PromptFormat.Exchange> earlier = new ArrayList<>();
        String pendingQuestion = null;
        for (int i = 0; i < messages.size(); i++) {
            if (!(messages.getValue(i) instanceof JsonObject message)) {
                throw OpenAiError.invalid("messages", "messages[" + i + "]: expected a {role, content} object");
            }
            String role = message.getValue("role") instanceof String r ? r : null;
            String content = content(message.getValue("content"), i);
            boolean userTurn = pendingQuestion == null;
            if ("user".equals(role) && userTurn) {
                pendingQuestion = content;
            } else if ("assistant".equals(role) && !userTurn) {
                earlier.add(new PromptFormat.Exchange(pendingQuestion, content));
                pendingQuestion = null;
            } else if ("system".equals(role) || "developer".equals(role)) {
                throw OpenAiError.unsupported("messages", "messages[" + i + "]: this model's prompt format"
                        + " (Question/Answer) has no place for a " + role + " message; send user and assistant"
                        + " messages only");
            } else {
                throw OpenAiError.invalid("messages", "messages[" + i + "]: expected role \""
                        + (userTurn ? "user" : "assistant") + "\" (messages alternate user and assistant, starting"
                        + " and ending with user), got " + (role == null ? "no role" : "\"" + role + "\""));
            }
        }
        if (pendingQuestion == null) {
            throw OpenAiError.invalid("messages", "messages: the last message must be the user's question");
        }
        return PromptFormat.prompt(earlier, pendingQuestion);
    }

    /** Text content, or an array of text parts joined. */
    private static String content(Object content, int index) {
        if (content instanceof String text) {
            return text;
        }
        if (content instanceof JsonArray parts) {
            StringBuilder text = new StringBuilder();
            for (Object part : parts) {
                if (!(part instanceof JsonObject p) || !"text".equals(p.getValue("type"))
                        || !(p.getValue("text") instanceof String s)) {
                    throw OpenAiError.unsupported("messages", "messages[" + index + "].content: only text parts"
                            + " ({\"type\": \"text\", \"text\": ...}) are supported");
                }
                text.append(s);
            }
            return text.toString();
        }
        throw OpenAiError.invalid("messages", "messages[" + index + "].content: expected a string");
    }
}
