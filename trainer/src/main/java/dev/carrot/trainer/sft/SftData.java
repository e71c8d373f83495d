package dev.carrot.trainer.sft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads SFT examples from JSONL, one {@code {"prompt": …, "completion": …}} object per line. */
public final class SftData {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SftData() {}

    /** All examples, or an error listing every bad line as {@code file:line: problem}. */
    public static List<SftExample> read(Path file) throws IOException {
        List<SftExample> examples = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode row = JSON.readTree(line);
                JsonNode prompt = row.get("prompt");
                JsonNode completion = row.get("completion");
                if (prompt == null || !prompt.isTextual() || completion == null || !completion.isTextual()) {
                    problems.add(file + ":" + (i + 1) + ": expected string fields \"prompt\" and \"completion\"");
                } else {
                    examples.add(new SftExample(prompt.asText(), completion.asText()));
                }
            } catch (IOException e) {
                problems.add(file + ":" + (i + 1) + ": not a JSON object");
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException(problems.size() + " bad rows in " + file + ":\n  "
                    + String.join("\n  ", problems.subList(0, Math.min(20, problems.size()))));
        }
        return examples;
    }
}
