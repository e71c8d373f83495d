#!/usr/bin/python3
"""Writes the golden fixtures the Java tests compare Carrot's GPT against.

Each case builds a tiny model from a fixed seed, rounds its weights to float32, and recomputes everything in float64
from those rounded weights, so the stored F32 weights and the stored reference values agree to float64 accuracy
(then rounded to F32). Weights are drawn wider than GPT-2's (std 0.2 rather than 0.02, LayerNorm gains in 1 ± 0.1,
non-zero biases) so activations, attention patterns and gradients are far from trivial.

A fixture ``<case>.safetensors`` holds:

* every parameter under its checkpoint name (F32);
* ``input.idx``, ``input.targets`` (I32 [B,T]), ``input.mask`` (F32 [B,T], 1 = counted, rows right-padded with
  token 0), and with a value head ``input.returns`` (F32 [B,T]);
* ``output.logits`` [B,T,V], ``output.logprobs`` [B,T], ``output.entropy`` [B,T], ``output.loss`` [1], and with a
  value head ``output.values`` [B,T] and ``output.value_loss`` [1] (F32; padded positions are computed too);
* ``grad.<name>`` for every parameter: the gradient of ``__metadata__["grad_of"]``.

Usage: ``tools/reference/make_golden.py [--out DIR]`` (default: policy/src/test/resources/golden).
"""

import argparse
import json
import os
from dataclasses import dataclass

import torch

import safetensors_io
from carrot_reference import Gpt, GptConfig, lm_loss, masked_mean, token_entropy, token_logprobs

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUT = os.path.join(REPO_ROOT, "policy", "src", "test", "resources", "golden")

FORMULAS = (
    "logits = ln_f(blocks(wte[idx] + wpe[0..T-1])) @ head^T (head = wte.weight if tied else lm_head.weight); "
    "block: x += attn(ln_1(x)); x += mlp(ln_2(x)); LayerNorm eps 1e-5, biased variance; "
    "attn: q,k,v = split(x @ c_attn.weight + c_attn.bias) in that order, head i = channels i*hs..(i+1)*hs, "
    "causal softmax(q k^T / sqrt(hs)) v, merged heads @ c_proj.weight + c_proj.bias; "
    "mlp: gelu_tanh(x @ c_fc.weight + b) @ c_proj.weight + b; "
    "logprobs[b,t] = log_softmax(logits)[b,t,targets[b,t]]; entropy[b,t] = -sum_v p log p; "
    "loss = sum(mask * -logprobs) / sum(mask); values[b,t] = ln_f_out[b,t,:] . value_head.weight + value_head.bias; "
    "value_loss = 0.5 * sum(mask * (values - returns)^2) / sum(mask)"
)


@dataclass(frozen=True)
class GoldenCase:
    name: str
    config: GptConfig
    seed: int
    lengths: tuple  # valid tokens per row; the rest of each row is padding


CASES = (
    GoldenCase("tied", GptConfig(vocab_size=61, n_positions=16, d_model=32, n_layers=2, n_heads=4,
                                 tied=True, value_head=True), seed=20240601, lengths=(13, 11, 7)),
    GoldenCase("untied", GptConfig(vocab_size=50, n_positions=12, d_model=24, n_layers=1, n_heads=3,
                                   tied=False, value_head=False), seed=20240602, lengths=(9, 6, 8)),
)


def randomise_(model, generator):
    """Wide random weights, rounded to float32 so the fixture's stored weights are exactly the ones computed with."""
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith(("ln_1.weight", "ln_2.weight")) or name == "ln_f.weight":
                parameter.uniform_(0.9, 1.1, generator=generator)
            elif parameter.dim() >= 2 or name == "value_head.weight":
                parameter.normal_(0.0, 0.2, generator=generator)
            else:
                parameter.normal_(0.0, 0.1, generator=generator)
            parameter.copy_(parameter.float().double())


def make_inputs(case, generator):
    """Right-padded next-token batches: row b holds ``lengths[b]`` tokens, then token 0 with mask 0."""
    config = case.config
    batch, steps = len(case.lengths), max(case.lengths)
    idx = torch.zeros(batch, steps, dtype=torch.int32)
    targets = torch.zeros(batch, steps, dtype=torch.int32)
    mask = torch.zeros(batch, steps, dtype=torch.float64)
    for row, length in enumerate(case.lengths):
        tokens = torch.randint(1, config.vocab_size, (length + 1,), generator=generator, dtype=torch.int32)
        idx[row, :length] = tokens[:-1]
        targets[row, :length] = tokens[1:]
        mask[row, :length] = 1.0
    returns = torch.randn(batch, steps, generator=generator, dtype=torch.float64).float().double() * mask
    return idx, targets, mask, returns


def reference_values(model, idx, targets, mask, returns):
    """Forward and backward in the model's dtype; returns (outputs, grads, grad_of)."""
    model.zero_grad(set_to_none=True)
    out = model(idx)
    loss = lm_loss(out.logits, targets, mask)
    outputs = {
        "output.logits": out.logits,
        "output.logprobs": token_logprobs(out.logits, targets),
        "output.entropy": token_entropy(out.logits),
        "output.loss": loss.reshape(1),
    }
    objective, grad_of = loss, "loss"
    if out.values is not None:
        value_loss = 0.5 * masked_mean((out.values - returns) ** 2, mask)
        outputs["output.values"] = out.values
        outputs["output.value_loss"] = value_loss.reshape(1)
        objective, grad_of = loss + value_loss, "loss + value_loss"
    objective.backward()
    grads = {f"grad.{name}": p.grad for name, p in model.named_parameters()}
    return {k: v.detach() for k, v in outputs.items()}, grads, grad_of


def check_gradient(model, idx, targets, mask, returns, grads, generator):
    """Central difference along a random direction against the autograd gradient, in float64."""
    params = dict(model.named_parameters())
    direction = {name: torch.randn(p.shape, generator=generator, dtype=p.dtype) for name, p in params.items()}
    analytic = sum((grads[f"grad.{name}"] * direction[name]).sum() for name in params).item()

    def objective_at(scale):
        with torch.no_grad():
            for name, p in params.items():
                p.add_(direction[name], alpha=scale)
            out = model(idx)
            value = lm_loss(out.logits, targets, mask)
            if out.values is not None:
                value = value + 0.5 * masked_mean((out.values - returns) ** 2, mask)
            for name, p in params.items():
                p.sub_(direction[name], alpha=scale)
            return value.item()

    epsilon = 1e-6
    numeric = (objective_at(epsilon) - objective_at(-epsilon)) / (2 * epsilon)
    if abs(numeric - analytic) > 1e-6 * max(1.0, abs(analytic)):
        raise AssertionError(f"gradient check failed: autograd {analytic!r} vs central difference {numeric!r}")
    return analytic, numeric


def build_case(case):
    generator = torch.Generator().manual_seed(case.seed)
    model = Gpt(case.config).double()
    randomise_(model, generator)
    idx, targets, mask, returns = make_inputs(case, generator)
    outputs, grads, grad_of = reference_values(model, idx, targets, mask, returns)
    check_gradient(model, idx, targets, mask, returns, grads, generator)

    tensors = {name: p.detach().float() for name, p in model.named_parameters()}
    tensors["input.idx"] = idx
    tensors["input.targets"] = targets
    tensors["input.mask"] = mask.float()
    if case.config.value_head:
        tensors["input.returns"] = returns.float()
    tensors.update({name: t.float() for name, t in outputs.items()})
    tensors.update({name: g.float() for name, g in grads.items()})
    metadata = {
        "config": case.config.to_json(),
        "grad_of": grad_of,
        "formulas": FORMULAS,
        "precision": "weights stored F32; reference values computed in float64 from exactly those F32 weights, "
                     "then rounded to F32",
        "seed": str(case.seed),
        "generator": "tools/reference/make_golden.py",
        "torch_version": torch.__version__,
    }
    return tensors, metadata


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="directory for <case>.safetensors (default: %(default)s)")
    args = parser.parse_args()
    torch.set_num_threads(1)  # one summation order, so reruns give identical bytes
    os.makedirs(args.out, exist_ok=True)
    for case in CASES:
        tensors, metadata = build_case(case)
        path = os.path.join(args.out, f"{case.name}.safetensors")
        safetensors_io.save(path, tensors, metadata)
        print(f"{path}: {os.path.getsize(path) / 1024:.1f} KiB, {len(tensors)} tensors")
        print(f"  config {metadata['config']}")
        print(f"  B x T = {list(tensors['input.idx'].shape)}, valid lengths {list(case.lengths)}, "
              f"grad_of = {metadata['grad_of']}")
        print(f"  loss {tensors['output.loss'].item():.6f}"
              + (f", value_loss {tensors['output.value_loss'].item():.6f}" if "output.value_loss" in tensors else "")
              + f", mean entropy {masked_mean(tensors['output.entropy'], tensors['input.mask']).item():.4f}"
              + f", |logits| max {tensors['output.logits'].abs().max().item():.3f}")
        grad_norm = torch.sqrt(sum((t.double() ** 2).sum() for n, t in tensors.items() if n.startswith("grad.")))
        print(f"  gradient global norm {grad_norm.item():.6f} (autograd matches a central difference)")


if __name__ == "__main__":
    main()
