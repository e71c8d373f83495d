package dev.carrot.trainer.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The {@code data:} section of a general RL job. Paths are relative to the job file.
 *
 * @param train          the RL prompts: JSONL or CSV ({@code PromptDatasets}); required
 * @param eval           prompts evaluated before training, every {@code ppo.eval_every} iterations and after; optional
 * @param promptTemplate how a record's prompt reaches the policy, with {@code {prompt}} where it goes
 *                       [the policy's own format, "Question: {prompt}\nAnswer:"]
 * @param stop           strings that end a completion, besides end-of-sequence and the token limit
 *                       [the end of the answer line with the policy's own format; none with a template]
 */
public record DataSettings(
        @JsonProperty("train") String train,
        @JsonProperty("eval") String eval,
        @JsonProperty("prompt_template") String promptTemplate,
        @JsonProperty("stop") List<String> stop) {

    /** Where a record's prompt goes in {@link #promptTemplate}. */
    public static final String PLACEHOLDER = "{prompt}";

    public DataSettings {
        if (train == null || train.isBlank()) {
            throw new IllegalArgumentException("train: expected the path of a .jsonl or .csv file of prompts");
        }
        if (eval != null && eval.isBlank()) {
            throw new IllegalArgumentException("eval: expected the path of a .jsonl or .csv file, or no key at all");
        }
        if (promptTemplate != null && !promptTemplate.contains(PLACEHOLDER)) {
            throw new IllegalArgumentException("prompt_template: expected text containing " + PLACEHOLDER + ", got \""
                    + promptTemplate + "\"");
        }
        if (stop != null && stop.stream().anyMatch(s -> s == null || s.isEmpty())) {
            throw new IllegalArgumentException("stop: expected non-empty strings, got " + stop);
        }
        stop = stop == null ? null : List.copyOf(stop);
    }
}
