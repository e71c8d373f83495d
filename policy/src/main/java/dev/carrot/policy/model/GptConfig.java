package dev.carrot.policy.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The shape of a GPT-2-family policy. Stored as {@code config.json} beside the weights.
 *
 * @param vocabSize      V, tokens in the vocabulary (special tokens included)
 * @param contextLength  the longest sequence the position embedding covers ({@code n_positions})
 * @param dModel         C, the residual stream width; a multiple of {@code nHeads}
 * @param nLayers        L, Transformer blocks
 * @param nHeads         H, attention heads per block
 * @param tiedEmbeddings whether the LM head reuses the token embedding (GPT-2 does) instead of its own matrix
 * @param valueHead      whether the model carries a scalar value head (PPO's critic) on the final hidden states
 */
public record GptConfig(
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("n_positions") int contextLength,
        @JsonProperty("d_model") int dModel,
        @JsonProperty("n_layers") int nLayers,
        @JsonProperty("n_heads") int nHeads,
        @JsonProperty("tied_embeddings") boolean tiedEmbeddings,
        @JsonProperty("value_head") boolean valueHead) {

    public GptConfig {
        require(vocabSize > 0, "vocab_size", "a positive integer", vocabSize);
        require(contextLength > 0, "n_positions", "a positive integer", contextLength);
        require(dModel > 0, "d_model", "a positive integer", dModel);
        require(nLayers > 0, "n_layers", "a positive integer", nLayers);
        require(nHeads > 0, "n_heads", "a positive integer", nHeads);
        require(dModel % nHeads == 0, "d_model", "a multiple of n_heads (" + nHeads + ")", dModel);
    }

    private static void require(boolean ok, String field, String expected, Object got) {
        if (!ok) {
            throw new IllegalArgumentException(field + ": expected " + expected + ", got " + got);
        }
    }

    /** D, channels per attention head. */
    public int headSize() {
        return dModel / nHeads;
    }

    public GptConfig withValueHead(boolean enabled) {
        return new GptConfig(vocabSize, contextLength, dModel, nLayers, nHeads, tiedEmbeddings, enabled);
    }

    /** N in the FLOP formula 6·N·tokens + 12·L·T·C·tokens: the matrix parameters a token passes through. */
    public long flopParameterCount() {
        return 12L * nLayers * dModel * dModel + (long) vocabSize * dModel;
    }

    /** Training FLOPs per token at sequence length T (forward + backward), as in the PaLM/nanoGPT estimate. */
    public double trainingFlopsPerToken(int T) {
        return 6.0 * flopParameterCount() + 12.0 * nLayers * T * dModel;
    }
}
