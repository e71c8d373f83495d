package dev.carrot.trainer.pretrain;

import dev.carrot.policy.Policy;
import dev.carrot.policy.kernels.Kernels;
import dev.carrot.policy.model.ForwardOutput;
import dev.carrot.policy.model.Gpt;
import dev.carrot.policy.model.GptConfig;
import dev.carrot.policy.model.GptParameters;
import dev.carrot.policy.model.MaskedCrossEntropy;
import dev.carrot.policy.optim.AdamW;
import dev.carrot.policy.optim.AdamWConfig;
import dev.carrot.policy.optim.GradientClipping;
import dev.carrot.policy.optim.LearningRateSchedule;
import dev.carrot.policy.tokenizer.BpeTrainer;
import dev.carrot.policy.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Next-token-prediction pretraining on a text corpus: trains a byte-level BPE tokenizer on the training documents,
 * packs them into one token stream, and trains a fresh GPT with AdamW on random windows, reporting a held-out loss
 * on documents it never trains on.
 */
public final class Pretrainer {

    /** One line of progress. heldOutLoss is NaN on steps without an evaluation. */
    public record Progress(int step, int steps, double loss, double heldOutLoss, double learningRate,
            double gradNorm, double tokensPerSecond) {}

    /**
     * @param unigramEntropy the held-out stream's loss under its own token frequencies, in nats: a model that
     *                       learned nothing about context cannot beat it
     */
    public record Result(Policy policy, double trainLoss, double heldOutLoss, double unigramEntropy, long tokens,
            double seconds) {}

    private final PretrainConfig config;
    private final Kernels kernels;
    private final Consumer<Progress> progress;

    public Pretrainer(PretrainConfig config, Kernels kernels, Consumer<Progress> progress) {
        this.config = config;
        this.kernels = kernels;
        this.progress = progress;
    }

    public Result run(List<String> documents) {
        if (documents.size() < 2) {
            throw new IllegalArgumentException("the corpus has " + documents.size()
                    + " documents; pretraining needs at least 2 (one is held out)");
        }
        SplittableRandom random = new SplittableRandom(config.seed());
        List<String> shuffled = new ArrayList<>(documents);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            java.util.Collections.swap(shuffled, i, random.nextInt(i + 1));
        }
        int heldOutCount = Math.max(1, (int) Math.round(shuffled.size() * config.heldOutFraction()));
        List<String> heldOutDocs = shuffled.subList(0, heldOutCount);
        List<String> trainDocs = shuffled.subList(heldOutCount, shuffled.size());

        Tokenizer tokenizer = new BpeTrainer(config.vocabSize()).train(trainDocs);
        TokenWindows train = new TokenWindows(pack(tokenizer, trainDocs));
        TokenWindows heldOut = new TokenWindows(pack(tokenizer, heldOutDocs));
        int T = Math.min(config.contextLength(), Math.max(8, heldOut.length() / 2 - 1));

        GptConfig shape = new GptConfig(tokenizer.vocabSize(), config.contextLength(), config.dModel(),
                config.nLayers(), config.nHeads(), config.tiedEmbeddings(), false);
        Gpt model = new Gpt(GptParameters.initialized(shape, random.nextLong()), kernels);
        AdamW optimizer = new AdamW(model.parameters(),
                new AdamWConfig(0.9, 0.95, 1e-8, config.weightDecay()));
        LearningRateSchedule schedule = new LearningRateSchedule(config.learningRate(), config.minLearningRate(),
                config.warmupSteps(), config.steps());

        int B = config.batchSize();
        int[] inputs = new int[B * T];
        int[] targets = new int[B * T];
        long tokens = 0;
        double loss = Double.NaN;
        double heldOutLoss = Double.NaN;
        long start = System.nanoTime();
        for (int step = 0; step < config.steps(); step++) {
            long stepStart = System.nanoTime();
            model.zeroGradients();
            double stepLoss = 0;
            for (int micro = 0; micro < config.gradAccumulation(); micro++) {
                train.sample(B, T, random, inputs, targets);
                ForwardOutput out = model.forward(inputs, targets, B, T);
                MaskedCrossEntropy.Result ce = MaskedCrossEntropy.of(out.logprobs(), null);
                float[] grad = ce.dLogprobs();
                for (int i = 0; i < grad.length; i++) {
                    grad[i] /= config.gradAccumulation();
                }
                model.backward(grad, null, null);
                stepLoss += ce.loss() / config.gradAccumulation();
            }
            double norm = GradientClipping.clip(model.gradients(), config.gradClip());
            double lr = schedule.at(step);
            optimizer.step(model.gradients(), lr);
            loss = stepLoss;
            tokens += (long) B * T * config.gradAccumulation();
            boolean last = step == config.steps() - 1;
            double evaluated = Double.NaN;
            if ((step + 1) % config.evalEvery() == 0 || last) {
                heldOutLoss = heldOutLoss(model, heldOut, B, T);
                evaluated = heldOutLoss;
            }
            double seconds = (System.nanoTime() - stepStart) / 1e9;
            progress.accept(new Progress(step + 1, config.steps(), loss, evaluated, lr, norm,
                    B * T * config.gradAccumulation() / seconds));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(new Policy(model, tokenizer), loss, heldOutLoss,
                heldOut.unigramEntropy(tokenizer.vocabSize()), tokens, seconds);
    }

    private double heldOutLoss(Gpt model, TokenWindows heldOut, int B, int T) {
        int[] inputs = new int[B * T];
        int[] targets = new int[B * T];
        double sum = 0;
        for (int batch = 0; batch < config.evalBatches(); batch++) {
            heldOut.fixed(batch, B, T, config.evalBatches(), inputs, targets);
            sum += MaskedCrossEntropy.of(model.forward(inputs, targets, B, T).logprobs(), null).loss();
        }
        return sum / config.evalBatches();
    }

    /** Documents joined into one stream, each followed by the end-of-sequence token. */
    static int[] pack(Tokenizer tokenizer, List<String> documents) {
        List<int[]> parts = new ArrayList<>(documents.size());
        int total = 0;
        for (String doc : documents) {
            int[] ids = tokenizer.encode(doc);
            parts.add(ids);
            total += ids.length + 1;
        }
        int[] stream = new int[total];
        int at = 0;
        for (int[] ids : parts) {
            System.arraycopy(ids, 0, stream, at, ids.length);
            at += ids.length;
            stream[at++] = tokenizer.eos();
        }
        return stream;
    }
}
