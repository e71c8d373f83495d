package dev.carrot.trainer.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.carrot.common.ConfigBinder;
import dev.carrot.evaluation.dataset.PromptDatasets;
import dev.carrot.evaluation.dataset.PromptRecord;
import dev.carrot.policy.PromptFormat;
import dev.carrot.trainer.ppo.RlPrompts;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code data:} section of a general RL job, and the prompts it names. Paths are relative to the job file.
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

    /** Only the training prompts, in the policy's own format: the data section of a pipeline's RL stage. */
    public static DataSettings train(Path prompts) {
        return new DataSettings(prompts.toString(), null, null, null);
    }

    /** The training prompts, read and templated; relative paths start at {@code jobFile}'s directory. */
    public RlPrompts trainPrompts(Path jobFile) {
        return new RlPrompts(read(jobFile, train), stopStrings());
    }

    /** The eval prompts, read and templated; none when the section names no eval file. */
    public List<PromptRecord> evalPrompts(Path jobFile) {
        return eval == null ? List.of() : read(jobFile, eval);
    }

    /** Where completions end: the configured strings, else the answer line's end in the policy's own format. */
    public List<String> stopStrings() {
        return stop != null ? stop : promptTemplate == null ? List.of(PromptFormat.ANSWER_END) : List.of();
    }

    private List<PromptRecord> read(Path jobFile, String file) {
        String template = promptTemplate == null ? PromptFormat.prompt(PLACEHOLDER) : promptTemplate;
        return PromptDatasets.read(ConfigBinder.resolve(jobFile, file)).stream()
                .map(r -> r.withPrompt(template.replace(PLACEHOLDER, r.prompt()))).toList();
    }
}
