package dev.carrot.policy.model;

/** How a forward pass computes its products: the choice between speed and batch invariance. */
public enum ForwardMode {
    /**
     * The fastest products: whole-batch GEMMs and tiled causal attention. A sequence's results can differ in their
     * last bits with the batch around it. For passes followed by a backward pass (pretraining, SFT, PPO's updates).
     */
    FAST,
    /**
     * Every token's outputs depend on its own sequence only, never on the batch or its padding, and equal those of
     * KV-cached decoding ({@code Decoder}) bit for bit: products row by row in fixed tiles
     * ({@code Gemm.rowInvariant}) and attention query by query ({@code Kernels.causalAttention}). For prefill and
     * for the passes whose numbers must be the rollouts' (the RL trainer's old log-probs and values). Slower than
     * {@link #FAST}: {@code carrot bench}, column "inv fwd".
     */
    BATCH_INVARIANT
}
