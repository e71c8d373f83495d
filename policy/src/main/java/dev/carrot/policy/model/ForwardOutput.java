package dev.carrot.policy.model;

import dev.carrot.policy.tensor.Matrix;

/**
 * What a training forward pass returns, per row n = b·T + t, for the policy at the pass's temperature (1 unless
 * given).
 *
 * @param logprobs log π(targets[n] | tokens[..n]) [N]
 * @param entropy  entropy of π(· | tokens[..n]) [N]
 * @param values   the value head's estimate at n [N], or null without a value head
 * @param logits   [N, V], divided by the temperature; a view into the model's buffers, valid until its next forward pass
 */
public record ForwardOutput(float[] logprobs, float[] entropy, float[] values, Matrix logits) {}
