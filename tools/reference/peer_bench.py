#!/usr/bin/python3
"""PyTorch peer benchmark: the same workloads Carrot runs, on the same shapes, for ``./carrot bench --peer``.

For each shape it reports, in float32 on the CPU with ``--threads`` intra-op threads:

* ``train_tokens_per_s``: forward, masked cross-entropy, backward and an AdamW step, over B*T tokens;
* ``ppo_tokens_per_s``: one PPO update over B*T tokens: token log-probs of the taken actions and values, the clipped
  surrogate (clip 0.2) against fixed old log-probs and advantages, the clipped value loss (coefficient 0.5), an
  entropy bonus (0.01), masked means, backward, global-norm clipping to 1.0 and an AdamW step;
* ``gen_tokens_per_s``: 16 prompts of 16 tokens, 48 new tokens each sampled at temperature 1 with a KV cache, no
  gradients; 16*48 new tokens over the wall time including the prefill;
* ``train_fraction_of_gemm``: training FLOP/s, counted as (6*N + 12*L*T*d) per token with N = 12*L*d^2 + V*d, over
  ``gemm_gflops``, the median rate of a 1024x1024 float32 ``torch.mm``.

Every rate is the median over timed repetitions after a warm-up one. The run refuses (exit status 2) when the GEMM
rate is under 20 GFLOP/s: PyTorch is then on the reference BLAS and the figures would say nothing about PyTorch.

Usage: ``peer_bench.py --shapes a,b,c --threads 2 --json out.json [--steps K] [--tied]``
"""

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass

import torch

from carrot_reference import Gpt, GptConfig, KvCache, masked_mean, token_entropy, token_logprobs, lm_loss


@dataclass(frozen=True)
class Shape:
    vocab_size: int
    d_model: int
    n_layers: int
    n_heads: int
    batch: int
    steps: int  # T, also the model's n_positions
    timed_repetitions: int  # default repetitions, sized for roughly 10-20 s per shape on two cores

    def config(self, tied, value_head):
        return GptConfig(vocab_size=self.vocab_size, n_positions=self.steps, d_model=self.d_model,
                         n_layers=self.n_layers, n_heads=self.n_heads, tied=tied, value_head=value_head)

    def train_flops_per_token(self):
        params = 12 * self.n_layers * self.d_model ** 2 + self.vocab_size * self.d_model
        return 6 * params + 12 * self.n_layers * self.steps * self.d_model


SHAPES = {
    "a": Shape(vocab_size=256, d_model=128, n_layers=2, n_heads=4, batch=16, steps=64, timed_repetitions=50),
    "b": Shape(vocab_size=256, d_model=256, n_layers=4, n_heads=8, batch=16, steps=128, timed_repetitions=10),
    "c": Shape(vocab_size=512, d_model=384, n_layers=6, n_heads=6, batch=8, steps=256, timed_repetitions=3),
}
WARMUP_REPETITIONS = 1
GEMM_SIZE = 1024
GEMM_FLOOR_GFLOPS = 20.0
GEN_PROMPTS, GEN_PROMPT_TOKENS, GEN_NEW_TOKENS = 16, 16, 48
PPO_CLIP, PPO_VALUE_CLIP, PPO_VALUE_COEF, PPO_ENTROPY_COEF, PPO_MAX_GRAD_NORM = 0.2, 0.2, 0.5, 0.01, 1.0
LEARNING_RATE = 1e-4


def median_seconds(step, repetitions):
    for _ in range(WARMUP_REPETITIONS):
        step()
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def gemm_gflops():
    generator = torch.Generator().manual_seed(0)
    a = torch.randn(GEMM_SIZE, GEMM_SIZE, generator=generator)
    b = torch.randn(GEMM_SIZE, GEMM_SIZE, generator=generator)
    return 2 * GEMM_SIZE ** 3 / median_seconds(lambda: torch.mm(a, b), 20) / 1e9


def new_model(shape, tied, value_head, seed):
    model = Gpt(shape.config(tied, value_head))
    return model.init_gpt2_(torch.Generator().manual_seed(seed))


def random_tokens(shape, generator, rows, columns):
    return torch.randint(0, shape.vocab_size, (rows, columns), generator=generator)


def train_step_fn(shape, tied, generator):
    model = new_model(shape, tied, value_head=False, seed=1)
    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)
    idx = random_tokens(shape, generator, shape.batch, shape.steps)
    targets = random_tokens(shape, generator, shape.batch, shape.steps)
    mask = torch.ones(shape.batch, shape.steps)

    def step():
        optimizer.zero_grad(set_to_none=True)
        lm_loss(model(idx).logits, targets, mask).backward()
        optimizer.step()

    return step


def ppo_step_fn(shape, tied, generator):
    model = new_model(shape, tied, value_head=True, seed=2)
    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)
    idx = random_tokens(shape, generator, shape.batch, shape.steps)
    actions = random_tokens(shape, generator, shape.batch, shape.steps)
    # Responses follow a quarter-length prompt and end at varied lengths, as in a real rollout batch.
    positions = torch.arange(shape.steps)
    ends = torch.randint(shape.steps // 2, shape.steps + 1, (shape.batch, 1), generator=generator)
    mask = ((positions >= shape.steps // 4) & (positions < ends)).float()
    with torch.no_grad():
        out = model(idx)
        old_logprobs = token_logprobs(out.logits, actions) + 0.05 * torch.randn(idx.shape, generator=generator)
        old_values = out.values
    advantages = torch.randn(idx.shape, generator=generator)
    returns = old_values + torch.randn(idx.shape, generator=generator)

    def step():
        optimizer.zero_grad(set_to_none=True)
        out = model(idx)
        ratio = torch.exp(token_logprobs(out.logits, actions) - old_logprobs)
        surrogate = torch.min(ratio * advantages, ratio.clamp(1 - PPO_CLIP, 1 + PPO_CLIP) * advantages)
        clipped_values = old_values + (out.values - old_values).clamp(-PPO_VALUE_CLIP, PPO_VALUE_CLIP)
        value_error = torch.max((out.values - returns) ** 2, (clipped_values - returns) ** 2)
        loss = (-masked_mean(surrogate, mask)
                + PPO_VALUE_COEF * 0.5 * masked_mean(value_error, mask)
                - PPO_ENTROPY_COEF * masked_mean(token_entropy(out.logits), mask))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), PPO_MAX_GRAD_NORM)
        optimizer.step()

    return step


def generate_fn(shape, tied, generator):
    if GEN_PROMPT_TOKENS + GEN_NEW_TOKENS > shape.steps:
        raise ValueError(f"generation needs {GEN_PROMPT_TOKENS + GEN_NEW_TOKENS} positions, shape has {shape.steps}")
    model = new_model(shape, tied, value_head=False, seed=3).eval()
    prompts = random_tokens(shape, generator, GEN_PROMPTS, GEN_PROMPT_TOKENS)

    @torch.no_grad()
    def generate():
        cache = KvCache(model.config, GEN_PROMPTS)
        logits = model(prompts, cache).logits[:, -1]
        for produced in range(GEN_NEW_TOKENS):
            token = torch.multinomial(torch.softmax(logits, dim=-1), 1, generator=generator)
            if produced + 1 < GEN_NEW_TOKENS:
                logits = model(token, cache).logits[:, -1]

    return generate


def bench_shape(shape, tied, repetitions, gemm):
    generator = torch.Generator().manual_seed(42)
    tokens = shape.batch * shape.steps
    train_rate = tokens / median_seconds(train_step_fn(shape, tied, generator), repetitions)
    ppo_rate = tokens / median_seconds(ppo_step_fn(shape, tied, generator), repetitions)
    gen_rate = GEN_PROMPTS * GEN_NEW_TOKENS / median_seconds(generate_fn(shape, tied, generator), repetitions)
    return {
        "train_tokens_per_s": train_rate,
        "ppo_tokens_per_s": ppo_rate,
        "gen_tokens_per_s": gen_rate,
        "train_fraction_of_gemm": train_rate * shape.train_flops_per_token() / (gemm * 1e9),
    }


def write_json_atomically(path, document):
    temporary = f"{path}.tmp-{os.getpid()}"
    try:
        with open(temporary, "x") as out:
            json.dump(document, out, indent=2)
            out.write("\n")
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shapes", default="a,b,c", help="comma-separated subset of a,b,c (default: %(default)s)")
    parser.add_argument("--threads", type=int, required=True, help="intra-op threads (torch.set_num_threads)")
    parser.add_argument("--json", required=True, help="file to write the results to")
    parser.add_argument("--steps", type=int, help="timed repetitions per measurement, overriding each shape's default "
                                                  "(a 50, b 10, c 3); one warm-up repetition always precedes them")
    parser.add_argument("--tied", action="store_true", help="tie the LM head to wte (default: untied)")
    args = parser.parse_args(argv)
    args.shapes = [name.strip() for name in args.shapes.split(",") if name.strip()]
    unknown = [name for name in args.shapes if name not in SHAPES]
    if unknown or not args.shapes:
        parser.error(f"--shapes: unknown {unknown}, expected a comma-separated subset of {','.join(SHAPES)}")
    if args.threads < 1:
        parser.error(f"--threads must be at least 1, got {args.threads}")
    if args.steps is not None and args.steps < 1:
        parser.error(f"--steps must be at least 1, got {args.steps}")
    return args


def blas_core():
    """The kernel family of the OpenBLAS torch runs on (OPENBLAS_CORETYPE or its own detection), read from the library
    loaded in this process; or why there is none to read."""
    import ctypes
    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if "libopenblas" in line and "/" in line})
    for path in paths:
        try:
            corename = ctypes.CDLL(path).openblas_get_corename
        except (OSError, AttributeError):
            continue
        corename.restype = ctypes.c_char_p
        return corename().decode()
    return "not OpenBLAS (" + torch.__config__.show().strip().splitlines()[0] + ")"


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    gemm = gemm_gflops()
    core = blas_core()
    print(f"torch {torch.__version__}, {args.threads} thread(s), OpenBLAS kernels {core}: {GEMM_SIZE}^2 float32 GEMM "
          f"{gemm:.1f} GFLOP/s", file=sys.stderr)
    if gemm < GEMM_FLOOR_GFLOPS:
        print(f"peer_bench: refusing to report: GEMM reached {gemm:.1f} GFLOP/s, under {GEMM_FLOOR_GFLOPS:.0f}. "
              "PyTorch is using the reference BLAS; install an optimised one "
              "(Debian: apt-get install libopenblas0-openmp) and rerun.", file=sys.stderr)
        return 2
    results = {}
    for name in args.shapes:
        shape = SHAPES[name]
        started = time.perf_counter()
        results[name] = bench_shape(shape, args.tied, args.steps or shape.timed_repetitions, gemm)
        figures = ", ".join(f"{key} {value:.3g}" for key, value in results[name].items())
        print(f"shape {name}: {figures} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    write_json_atomically(args.json, {"torch_version": torch.__version__, "threads": args.threads,
                                      "blas_core": core, "gemm_gflops": gemm, "shapes": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
