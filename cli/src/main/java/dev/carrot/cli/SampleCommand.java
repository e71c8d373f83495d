package dev.carrot.cli;

import dev.carrot.policy.Policy;
import dev.carrot.policy.checkpoint.PolicyCheckpoint;
import dev.carrot.policy.generate.Generation;
import dev.carrot.policy.generate.Generator;
import dev.carrot.policy.generate.SamplingParams;
import dev.carrot.policy.kernels.JavaKernels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Complete prompts with a policy checkpoint and print each completion with its log-probability.")
final class SampleCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR")
    Path model;

    @Parameters(paramLabel = "PROMPT", arity = "1..*", description = "prompts; \\n in a prompt is a newline")
    List<String> prompts;

    @Option(names = "--temperature", defaultValue = "0", description = "0 decodes greedily (default)")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0")
    int topK;

    @Option(names = "--top-p", defaultValue = "1")
    double topP;

    @Option(names = "--max-new-tokens", defaultValue = "32")
    int maxNewTokens;

    @Option(names = "--stop", description = "stop string (repeatable)")
    List<String> stop = new ArrayList<>();

    @Option(names = {"-n", "--samples"}, defaultValue = "1", description = "completions per prompt")
    int samples;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Override
    public Integer call() throws Exception {
        Policy policy = PolicyCheckpoint.load(model, new JavaKernels());
        Generator generator = new Generator(policy.model(), policy.tokenizer());
        List<String> batch = new ArrayList<>();
        for (String prompt : prompts) {
            for (int i = 0; i < samples; i++) {
                batch.add(prompt.replace("\\n", "\n"));
            }
        }
        SamplingParams params = new SamplingParams(temperature, topK, topP, maxNewTokens, stop);
        List<Generation> out = generator.generateText(batch, params, seed);
        for (int i = 0; i < out.size(); i++) {
            Generation g = out.get(i);
            System.out.printf(Locale.ROOT, "%s|%s  [logprob %.3f, %s]%n", batch.get(i), g.text(), g.sequenceLogProb(),
                    g.finishReason().name().toLowerCase(Locale.ROOT));
        }
        return 0;
    }
}
