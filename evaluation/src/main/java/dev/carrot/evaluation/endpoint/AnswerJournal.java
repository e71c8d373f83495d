package dev.carrot.evaluation.endpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carrot.common.InvalidInputException;
import dev.carrot.evaluation.Answer;
import dev.carrot.evaluation.dataset.EvalItem;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Answers received from an endpoint, one JSON line each, appended and flushed as they arrive, so that an interrupted
 * evaluation resumes without asking again. The first line holds the settings the answers were asked with; a journal
 * written under other settings is refused rather than mixed in. A line cut short by the interruption is dropped.
 *
 * <pre>
 * {"journal": "carrot-answers", "settings": {"model": "...", "chat": false, "max_tokens": 32, ...}}
 * {"id": "q17", "question": "...", "completion": " Tolmar.", "logprob": -0.41}
 * </pre>
 *
 * Thread-safe.
 */
final class AnswerJournal implements AutoCloseable {

    static final String KIND = "carrot-answers";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, JsonNode> answered;
    private final OutputStream out;

    private AnswerJournal(Path file, Map<String, JsonNode> answered, OutputStream out) {
        this.file = file;
        this.answered = answered;
        this.out = out;
    }

    /**
     * Opens {@code file}, creating it with {@code settings} if it does not exist.
     *
     * @throws InvalidInputException if it exists with other settings, or is not a journal
     */
    static AnswerJournal open(Path file, JsonNode settings) throws IOException {
        settings = JSON.readTree(settings.toString()); // as it reads back from the file: 0L and 0 compare equal
        Map<String, JsonNode> answered = new HashMap<>();
        boolean fresh = true;
        if (Files.exists(file)) {
            byte[] bytes = Files.readAllBytes(file);
            int complete = bytes.length;
            while (complete > 0 && bytes[complete - 1] != '\n') { // a UTF-8 newline is never part of a character
                complete--;
            }
            if (complete < bytes.length) { // the last line was being written when the run stopped
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.truncate(complete);
                }
            }
            fresh = complete == 0;
            String[] lines = fresh ? new String[0]
                    : new String(bytes, 0, complete, StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                JsonNode line = line(file, lines[i], i + 1);
                if (i > 0) {
                    answered.put(line.path("id").asText(), line);
                } else if (!KIND.equals(line.path("journal").asText())) {
                    throw new InvalidInputException(file + ": line 1: expected a journal header {\"journal\": \""
                            + KIND + "\", \"settings\": ...}");
                } else if (!line.path("settings").equals(settings)) {
                    throw new InvalidInputException(file + " holds answers asked with other settings ("
                            + line.path("settings") + ", now " + settings + "); use another --out folder, or"
                            + " delete the file to ask every question again");
                }
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        AnswerJournal journal = new AnswerJournal(file, answered, out);
        if (fresh) {
            ObjectNode header = JSON.createObjectNode().put("journal", KIND);
            header.set("settings", settings);
            journal.append(header);
        }
        return journal;
    }

    /** The answer already received for {@code item}, if any. */
    Optional<Answer> answer(EvalItem item) {
        JsonNode line = answered.get(item.id());
        if (line == null) {
            return Optional.empty();
        }
        if (!line.path("question").asText().equals(item.question())) {
            throw new InvalidInputException(file + ": question " + item.id() + " was asked as \""
                    + line.path("question").asText() + "\" but the dataset now asks \"" + item.question()
                    + "\"; use another --out folder");
        }
        JsonNode logprob = line.path("logprob");
        return Optional.of(new Answer(line.path("completion").asText(),
                logprob.isNumber() ? logprob.asDouble() : Double.NaN));
    }

    /** Appends {@code answer} to {@code item} and flushes it. */
    void record(EvalItem item, Answer answer) {
        ObjectNode line = JSON.createObjectNode().put("id", item.id()).put("question", item.question())
                .put("completion", answer.completion());
        if (Double.isNaN(answer.sequenceLogProb())) {
            line.putNull("logprob");
        } else {
            line.put("logprob", answer.sequenceLogProb());
        }
        append(line);
    }

    int size() {
        return answered.size();
    }

    private synchronized void append(JsonNode line) {
        try {
            out.write((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    private static JsonNode line(Path file, String text, int number) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(file + ": line " + number + ": not JSON: " + e.getOriginalMessage());
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
