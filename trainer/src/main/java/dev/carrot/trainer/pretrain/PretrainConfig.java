package dev.carrot.trainer.pretrain;

import static dev.carrot.common.ConfigValues.nonNegative;
import static dev.carrot.common.ConfigValues.positive;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;

/**
 * The {@code pretrain:} section of a job file. Every field has a default (shown in brackets), so a section names
 * only what it changes; code does the same through {@link #builder()}.
 *
 * @param corpus              a text file, documents separated by blank lines; relative to the job file. When
 *                            absent the job's own corpus is used (the calibration world's, for the built-in jobs)
 * @param includeSft          also pretrain on the job's SFT questions (prompt and completion as one document), as
 *                            the SFT set writes them ({@code true}) or in every style ({@code every_style}); see
 *                            {@link SftMix} [false]
 * @param vocabSize           byte-level BPE vocabulary, special tokens included [512]
 * @param dModel              residual width C [128]
 * @param nLayers             Transformer blocks L [4]
 * @param nHeads              attention heads H [4]
 * @param contextLength       positions the model supports, and the training window T [128]
 * @param tiedEmbeddings      LM head shares the token embedding [true]
 * @param batchSize           windows per micro-batch B [16]
 * @param gradAccumulation    micro-batches per optimizer step [1]
 * @param steps               optimizer steps [1000]
 * @param learningRate        peak learning rate [3e-3]
 * @param minLearningRate     cosine floor [3e-4]
 * @param warmupSteps         linear warmup [50]
 * @param weightDecay         AdamW decoupled decay on matrices [0.1]
 * @param gradClip            global gradient-norm clip [1.0]
 * @param heldOutFraction     documents held out for the held-out loss [0.05]
 * @param evalEvery           steps between held-out evaluations [100]
 * @param evalBatches         held-out batches per evaluation [4]
 * @param seed                seeds the tokenizer split, initialisation and batch sampling [1]
 */
@JsonDeserialize(builder = PretrainConfig.Builder.class)
public record PretrainConfig(
        @JsonProperty("corpus") String corpus,
        @JsonProperty("include_sft") SftMix includeSft,
        @JsonProperty("vocab_size") Integer vocabSize,
        @JsonProperty("d_model") Integer dModel,
        @JsonProperty("n_layers") Integer nLayers,
        @JsonProperty("n_heads") Integer nHeads,
        @JsonProperty("context_length") Integer contextLength,
        @JsonProperty("tied_embeddings") Boolean tiedEmbeddings,
        @JsonProperty("batch_size") Integer batchSize,
        @JsonProperty("grad_accumulation") Integer gradAccumulation,
        @JsonProperty("steps") Integer steps,
        @JsonProperty("learning_rate") Double learningRate,
        @JsonProperty("min_learning_rate") Double minLearningRate,
        @JsonProperty("warmup_steps") Integer warmupSteps,
        @JsonProperty("weight_decay") Double weightDecay,
        @JsonProperty("grad_clip") Double gradClip,
        @JsonProperty("held_out_fraction") Double heldOutFraction,
        @JsonProperty("eval_every") Integer evalEvery,
        @JsonProperty("eval_batches") Integer evalBatches,
        @JsonProperty("seed") Long seed) {

    public PretrainConfig {
        includeSft = includeSft == null ? SftMix.NONE : includeSft;
        vocabSize = positive("vocab_size", vocabSize, 512);
        if (vocabSize < 259) {
            throw new IllegalArgumentException("vocab_size: expected at least 259 (256 bytes + 3 special tokens), got "
                    + vocabSize);
        }
        dModel = positive("d_model", dModel, 128);
        nLayers = positive("n_layers", nLayers, 4);
        nHeads = positive("n_heads", nHeads, 4);
        if (dModel % nHeads != 0) {
            throw new IllegalArgumentException("d_model: expected a multiple of n_heads (" + nHeads + "), got " + dModel);
        }
        contextLength = positive("context_length", contextLength, 128);
        tiedEmbeddings = tiedEmbeddings == null || tiedEmbeddings;
        batchSize = positive("batch_size", batchSize, 16);
        gradAccumulation = positive("grad_accumulation", gradAccumulation, 1);
        steps = positive("steps", steps, 1000);
        learningRate = positive("learning_rate", learningRate, 3e-3);
        minLearningRate = nonNegative("min_learning_rate", minLearningRate, Math.min(3e-4, learningRate));
        warmupSteps = warmupSteps == null ? Math.min(50, steps) : warmupSteps;
        if (warmupSteps < 0 || warmupSteps > steps) {
            throw new IllegalArgumentException("warmup_steps: expected 0 to steps (" + steps + "), got " + warmupSteps);
        }
        weightDecay = nonNegative("weight_decay", weightDecay, 0.1);
        gradClip = positive("grad_clip", gradClip, 1.0);
        heldOutFraction = heldOutFraction == null ? 0.05 : heldOutFraction;
        if (!(heldOutFraction > 0 && heldOutFraction < 0.5)) {
            throw new IllegalArgumentException("held_out_fraction: expected a number in (0, 0.5), got " + heldOutFraction);
        }
        evalEvery = positive("eval_every", evalEvery, 100);
        evalBatches = positive("eval_batches", evalBatches, 4);
        seed = seed == null ? 1L : seed;
    }


    /** All defaults. */
    public static PretrainConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Any subset of the keys; {@link #build} fills in the defaults and checks the result. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {

        private String corpus;
        private SftMix includeSft;
        private Integer vocabSize;
        private Integer dModel;
        private Integer nLayers;
        private Integer nHeads;
        private Integer contextLength;
        private Boolean tiedEmbeddings;
        private Integer batchSize;
        private Integer gradAccumulation;
        private Integer steps;
        private Double learningRate;
        private Double minLearningRate;
        private Integer warmupSteps;
        private Double weightDecay;
        private Double gradClip;
        private Double heldOutFraction;
        private Integer evalEvery;
        private Integer evalBatches;
        private Long seed;

        private Builder() {}

        @JsonProperty("corpus")
        public Builder corpus(String value) {
            this.corpus = value;
            return this;
        }

        @JsonProperty("include_sft")
        public Builder includeSft(SftMix value) {
            this.includeSft = value;
            return this;
        }

        @JsonProperty("vocab_size")
        public Builder vocabSize(Integer value) {
            this.vocabSize = value;
            return this;
        }

        @JsonProperty("d_model")
        public Builder dModel(Integer value) {
            this.dModel = value;
            return this;
        }

        @JsonProperty("n_layers")
        public Builder nLayers(Integer value) {
            this.nLayers = value;
            return this;
        }

        @JsonProperty("n_heads")
        public Builder nHeads(Integer value) {
            this.nHeads = value;
            return this;
        }

        @JsonProperty("context_length")
        public Builder contextLength(Integer value) {
            this.contextLength = value;
            return this;
        }

        @JsonProperty("tied_embeddings")
        public Builder tiedEmbeddings(Boolean value) {
            this.tiedEmbeddings = value;
            return this;
        }

        @JsonProperty("batch_size")
        public Builder batchSize(Integer value) {
            this.batchSize = value;
            return this;
        }

        @JsonProperty("grad_accumulation")
        public Builder gradAccumulation(Integer value) {
            this.gradAccumulation = value;
            return this;
        }

        @JsonProperty("steps")
        public Builder steps(Integer value) {
            this.steps = value;
            return this;
        }

        @JsonProperty("learning_rate")
        public Builder learningRate(Double value) {
            this.learningRate = value;
            return this;
        }

        @JsonProperty("min_learning_rate")
        public Builder minLearningRate(Double value) {
            this.minLearningRate = value;
            return this;
        }

        @JsonProperty("warmup_steps")
        public Builder warmupSteps(Integer value) {
            this.warmupSteps = value;
            return this;
        }

        @JsonProperty("weight_decay")
        public Builder weightDecay(Double value) {
            this.weightDecay = value;
            return this;
        }

        @JsonProperty("grad_clip")
        public Builder gradClip(Double value) {
            this.gradClip = value;
            return this;
        }

        @JsonProperty("held_out_fraction")
        public Builder heldOutFraction(Double value) {
            this.heldOutFraction = value;
            return this;
        }

        @JsonProperty("eval_every")
        public Builder evalEvery(Integer value) {
            this.evalEvery = value;
            return this;
        }

        @JsonProperty("eval_batches")
        public Builder evalBatches(Integer value) {
            this.evalBatches = value;
            return this;
        }

        @JsonProperty("seed")
        public Builder seed(Long value) {
            this.seed = value;
            return this;
        }

        public PretrainConfig build() {
            return new PretrainConfig(
                    corpus, includeSft, vocabSize, dModel, nLayers, nHeads, contextLength, tiedEmbeddings,
                    batchSize, gradAccumulation, steps, learningRate, minLearningRate, warmupSteps, weightDecay,
                    gradClip, heldOutFraction, evalEvery, evalBatches, seed);
        }
    }
}
