package dev.carrot.trainer.sft;

import dev.carrot.policy.Policy;
import dev.carrot.policy.model.ForwardOutput;
import dev.carrot.policy.model.Gpt;
import dev.carrot.policy.model.MaskedCrossEntropy;
import dev.carrot.policy.optim.AdamW;
import dev.carrot.policy.optim.AdamWConfig;
import dev.carrot.policy.optim.GradientClipping;
import dev.carrot.policy.optim.LearningRateSchedule;
import dev.carrot.policy.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Supervised fine-tuning: each example is {@code BOS prompt completion EOS}, right-padded to {@code max_length};
 * the loss is next-token cross-entropy on the completion and its EOS only, so the policy learns to answer, not to
 * write questions. Updates the policy's weights in place.
 */
public final class SftTrainer {

    /** One optimizer step's figures. */
    public record Progress(int step, int steps, int epoch, double loss, double learningRate, double gradNorm) {}

    /** Mean completion-token loss of the last epoch, and the steps taken. */
    public record Result(double finalEpochLoss, int steps, double seconds) {}

    private final SftConfig config;
    private final Consumer<Progress> progress;

    public SftTrainer(SftConfig config, Consumer<Progress> progress) {
        this.config = config;
        this.progress = progress;
    }

    public Result run(Policy policy, List<SftExample> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("the SFT set is empty");
        }
        Tokenizer tokenizer = policy.tokenizer();
        Gpt model = policy.model();
        // The window: BOS + prompt + completion; the final EOS is only ever a target.
        if (config.maxLength() > model.config().contextLength()) {
            throw new IllegalArgumentException("sft.max_length: expected at most the model's context of "
                    + model.config().contextLength() + " tokens, got " + config.maxLength());
        }
        int T = config.maxLength();
        List<int[]> sequences = new ArrayList<>(examples.size());
        List<Integer> promptLengths = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            SftExample e = examples.get(i);
            int[] prompt = tokenizer.encode(e.prompt(), true);
            int[] completion = tokenizer.encode(e.completion());
            int[] sequence = Arrays.copyOf(prompt, prompt.length + completion.length + 1);
            System.arraycopy(completion, 0, sequence, prompt.length, completion.length);
            sequence[sequence.length - 1] = tokenizer.eos();
            if (sequence.length - 1 > T) {
                throw new IllegalArgumentException("SFT example " + i + " needs a window of " + (sequence.length - 1)
                        + " tokens (BOS, prompt and completion); sft.max_length is " + config.maxLength()
                        + " and the model's context " + model.config().contextLength());
            }
            sequences.add(sequence);
            promptLengths.add(prompt.length);
        }

        int B = config.batchSize();
        int stepsPerEpoch = (examples.size() + B - 1) / B;
        int steps = stepsPerEpoch * config.epochs();
        AdamW optimizer = new AdamW(model.parameters(), new AdamWConfig(0.9, 0.95, 1e-8, config.weightDecay()));
        LearningRateSchedule schedule = new LearningRateSchedule(config.learningRate(), config.minLearningRate(),
                Math.min(config.warmupSteps(), steps), steps);
        SplittableRandom random = new SplittableRandom(config.seed());
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            order.add(i);
        }
        int[] inputs = new int[B * T];
        int[] targets = new int[B * T];
        float[] mask = new float[B * T];
        int step = 0;
        double epochLoss = 0;
        long start = System.nanoTime();
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            for (int i = order.size() - 1; i > 0; i--) {
                Collections.swap(order, i, random.nextInt(i + 1));
            }
            double lossSum = 0;
            double tokenSum = 0;
            for (int first = 0; first < order.size(); first += B) {
                Arrays.fill(inputs, tokenizer.pad());
                Arrays.fill(targets, tokenizer.pad());
                Arrays.fill(mask, 0f);
                for (int b = 0; b < B && first + b < order.size(); b++) {
                    int index = order.get(first + b);
                    int[] sequence = sequences.get(index);
                    int answerStart = promptLengths.get(index) - 1; // the position that predicts the first answer token
                    for (int t = 0; t < sequence.length - 1; t++) {
                        inputs[b * T + t] = sequence[t];
                        targets[b * T + t] = sequence[t + 1];
                        mask[b * T + t] = t >= answerStart ? 1f : 0f;
                    }
                }
                model.zeroGradients();
                ForwardOutput out = model.forward(inputs, targets, B, T);
                MaskedCrossEntropy.Result ce = MaskedCrossEntropy.of(out.logprobs(), mask);
                model.backward(ce.dLogprobs(), null, null);
                double norm = GradientClipping.clip(model.gradients(), config.gradClip());
                double lr = schedule.at(step);
                optimizer.step(model.gradients(), lr);
                lossSum += ce.loss() * ce.tokens();
                tokenSum += ce.tokens();
                step++;
                progress.accept(new Progress(step, steps, epoch + 1, ce.loss(), lr, norm));
            }
            epochLoss = lossSum / tokenSum;
        }
        return new Result(epochLoss, step, (System.nanoTime() - start) / 1e9);
    }
}
