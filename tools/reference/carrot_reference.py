#!/usr/bin/python3
"""Carrot's GPT-2 family policy, written plainly in PyTorch as the reference the Java implementation must match.

Parameter names and layouts are those of the original GPT-2 ``model.safetensors``: projection weights are stored
``[in, out]`` (Hugging Face's ``Conv1D``) and applied as ``y = x @ W + b``. The forward pass is

    x = wte[idx] + wpe[pos]
    per block:  x = x + attn(ln_1(x));  x = x + mlp(ln_2(x))
    h = ln_f(x);  logits = h @ lm_head.weight^T   (wte.weight when tied);  values = h @ value_head.weight + bias

with LayerNorm eps 1e-5 over the biased variance, causal softmax attention scaled by 1/sqrt(head_size), heads
contiguous in the channel dimension (head i owns channels i*hs .. (i+1)*hs), q, k, v split from ``c_attn`` in that
order, and GELU with GPT-2's tanh approximation in a 4*d_model MLP.
"""

import json
import math
from dataclasses import asdict, dataclass
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn

LAYER_NORM_EPS = 1e-5


@dataclass(frozen=True)
class GptConfig:
    """Shape of a Carrot policy.

    vocab_size: V, number of token ids. n_positions: T_max, longest sequence (rows of ``wpe``).
    d_model: C, residual width. n_layers: L, transformer blocks. n_heads: H, attention heads (C must divide by H).
    tied: logits use ``wte.weight`` (GPT-2's choice) instead of a separate ``lm_head.weight``.
    value_head: adds ``value_head.weight`` [C] and ``value_head.bias`` [1], a scalar value per position for PPO.
    """

    vocab_size: int
    n_positions: int
    d_model: int
    n_layers: int
    n_heads: int
    tied: bool = True
    value_head: bool = False

    def __post_init__(self):
        for field in ("vocab_size", "n_positions", "d_model", "n_layers", "n_heads"):
            value = getattr(self, field)
            if not isinstance(value, int) or value <= 0:
                raise ValueError(f"GptConfig.{field} must be a positive integer, got {value!r}")
        if self.d_model % self.n_heads != 0:
            raise ValueError(f"GptConfig.d_model ({self.d_model}) must be a multiple of n_heads ({self.n_heads})")

    @property
    def head_size(self):
        return self.d_model // self.n_heads

    def to_json(self):
        return json.dumps(asdict(self), sort_keys=True)

    @staticmethod
    def from_json(text):
        return GptConfig(**json.loads(text))


class Conv1D(nn.Module):
    """GPT-2's projection: weight stored [in, out], ``y = x @ weight + bias``."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(n_in, n_out))
        self.bias = nn.Parameter(torch.empty(n_out))

    def forward(self, x):
        return x @ self.weight + self.bias


class KvCache:
    """Keys and values of the positions seen so far, preallocated for ``n_positions``, for incremental decoding."""

    def __init__(self, config, batch_size, dtype=torch.float32):
        shape = (config.n_layers, batch_size, config.n_heads, config.n_positions, config.head_size)
        self.keys = torch.empty(shape, dtype=dtype)
        self.values = torch.empty(shape, dtype=dtype)
        self.length = 0


class CausalSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.n_heads = config.n_heads
        self.c_attn = Conv1D(config.d_model, 3 * config.d_model)
        self.c_proj = Conv1D(config.d_model, config.d_model)

    def forward(self, x, cache: Optional[KvCache] = None, layer: int = 0):
        batch, steps, channels = x.shape
        start = cache.length if cache is not None else 0
        q, k, v = self.c_attn(x).split(channels, dim=-1)
        q, k, v = (t.view(batch, steps, self.n_heads, channels // self.n_heads).transpose(1, 2) for t in (q, k, v))
        if cache is not None:
            cache.keys[layer, :, :, start:start + steps] = k
            cache.values[layer, :, :, start:start + steps] = v
            k = cache.keys[layer, :, :, :start + steps]
            v = cache.values[layer, :, :, :start + steps]
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(q.size(-1))
        if steps > 1:
            # Query i sits at absolute position start + i and may see keys 0 .. start + i.
            visible = torch.ones(steps, start + steps, dtype=torch.bool).tril(diagonal=start)
            scores = scores.masked_fill(~visible, float("-inf"))
        y = torch.softmax(scores, dim=-1) @ v
        return self.c_proj(y.transpose(1, 2).reshape(batch, steps, channels))


class Mlp(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.c_fc = Conv1D(config.d_model, 4 * config.d_model)
        self.c_proj = Conv1D(4 * config.d_model, config.d_model)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x), approximate="tanh"))


class Block(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.d_model, eps=LAYER_NORM_EPS)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.d_model, eps=LAYER_NORM_EPS)
        self.mlp = Mlp(config)

    def forward(self, x, cache=None, layer=0):
        x = x + self.attn(self.ln_1(x), cache, layer)
        return x + self.mlp(self.ln_2(x))


class ValueHead(nn.Module):
    """Scalar value per position: ``h · weight + bias`` with weight [C] and bias [1]."""

    def __init__(self, d_model):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(d_model))
        self.bias = nn.Parameter(torch.empty(1))

    def forward(self, h):
        return h @ self.weight + self.bias


@dataclass
class GptOutput:
    logits: torch.Tensor  # [B, T, V]
    values: Optional[torch.Tensor]  # [B, T], or None without a value head


class Gpt(nn.Module):
    """The policy; ``state_dict()`` names and shapes are exactly those of Carrot's safetensors checkpoints."""

    def __init__(self, config: GptConfig):
        super().__init__()
        self.config = config
        self.wte = nn.Embedding(config.vocab_size, config.d_model)
        self.wpe = nn.Embedding(config.n_positions, config.d_model)
        self.h = nn.ModuleList(Block(config) for _ in range(config.n_layers))
        self.ln_f = nn.LayerNorm(config.d_model, eps=LAYER_NORM_EPS)
        self.lm_head = None if config.tied else nn.Linear(config.d_model, config.vocab_size, bias=False)
        self.value_head = ValueHead(config.d_model) if config.value_head else None

    def init_gpt2_(self, generator, std=0.02):
        """GPT-2's initialisation: normal(0, std) matrices and embeddings, zero biases, unit LayerNorm gains."""
        with torch.no_grad():
            for name, parameter in self.named_parameters():
                if parameter.dim() >= 2 or name == "value_head.weight":
                    parameter.normal_(0.0, std, generator=generator)
                elif name.endswith("ln_1.weight") or name.endswith("ln_2.weight") or name == "ln_f.weight":
                    parameter.fill_(1.0)
                else:
                    parameter.zero_()
        return self

    def forward(self, idx, cache: Optional[KvCache] = None) -> GptOutput:
        """Runs ``idx`` [B, T]; with a cache, the tokens continue the cached ones and the cache grows by T."""
        steps = idx.size(1)
        start = cache.length if cache is not None else 0
        if start + steps > self.config.n_positions:
            raise ValueError(f"sequence of {start + steps} positions exceeds n_positions={self.config.n_positions}")
        x = self.wte(idx.long()) + self.wpe(torch.arange(start, start + steps))
        for layer, block in enumerate(self.h):
            x = block(x, cache, layer)
        if cache is not None:
            cache.length += steps
        h = self.ln_f(x)
        head = self.wte.weight if self.lm_head is None else self.lm_head.weight
        logits = h @ head.t()
        values = self.value_head(h) if self.value_head is not None else None
        return GptOutput(logits, values)

    def load_tensors(self, tensors):
        """Copies parameters from a name -> tensor map (as read from safetensors); every name must be present."""
        expected = dict(self.named_parameters())
        missing = sorted(set(expected) - set(tensors))
        if missing:
            raise KeyError(f"missing parameters: {missing}")
        with torch.no_grad():
            for name, parameter in expected.items():
                if tuple(tensors[name].shape) != tuple(parameter.shape):
                    raise ValueError(f"parameter '{name}' has shape {list(tensors[name].shape)}, "
                                     f"expected {list(parameter.shape)}")
                parameter.copy_(tensors[name])
        return self


def token_logprobs(logits, targets):
    """``log_softmax(logits)[b, t, targets[b, t]]``, shape [B, T]."""
    return torch.log_softmax(logits, dim=-1).gather(-1, targets.long().unsqueeze(-1)).squeeze(-1)


def token_entropy(logits):
    """``-sum_v p log p`` of each position's next-token distribution, shape [B, T]."""
    logp = torch.log_softmax(logits, dim=-1)
    return -(logp.exp() * logp).sum(dim=-1)


def masked_mean(x, mask):
    """``sum(mask * x) / sum(mask)``: padded positions (mask 0) neither count nor dilute the mean."""
    return (x * mask).sum() / mask.sum()


def lm_loss(logits, targets, mask):
    """Masked mean cross-entropy of ``targets`` under ``logits``."""
    return masked_mean(-token_logprobs(logits, targets), mask)
