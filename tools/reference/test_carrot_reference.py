#!/usr/bin/python3
"""Checks the reference itself: its forward against a loop-by-loop NumPy transcription of the formulas, the KV cache
against the full forward, the safetensors codec, and the committed fixtures against a fresh computation.

Run: ``/usr/bin/python3 -m unittest discover -s tools/reference``
"""

import math
import os
import struct
import json
import tempfile
import unittest

import numpy as np
import torch

import make_golden
import safetensors_io
from carrot_reference import Gpt, GptConfig, KvCache


def naive_logits(tensors, config, idx):
    """GPT-2 written one position and one head at a time, in float64, sharing no code with carrot_reference."""
    p = {name: t.detach().double().numpy() for name, t in tensors.items()}
    hs = config.head_size

    def layer_norm(x, prefix):
        mean = x.mean()
        variance = ((x - mean) ** 2).mean()
        return (x - mean) / math.sqrt(variance + 1e-5) * p[prefix + ".weight"] + p[prefix + ".bias"]

    def gelu(x):
        return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))

    head = p["wte.weight"] if config.tied else p["lm_head.weight"]
    logits = np.zeros((len(idx), len(idx[0]), config.vocab_size))
    for b, row in enumerate(idx):
        xs = [p["wte.weight"][token] + p["wpe.weight"][t] for t, token in enumerate(row)]
        for l in range(config.n_layers):
            pre = f"h.{l}."
            qkv = [layer_norm(x, pre + "ln_1") @ p[pre + "attn.c_attn.weight"] + p[pre + "attn.c_attn.bias"]
                   for x in xs]
            merged = []
            for t in range(len(xs)):
                out = np.zeros(config.d_model)
                for h in range(config.n_heads):
                    q = qkv[t][h * hs:(h + 1) * hs]
                    scores = [q @ qkv[s][config.d_model + h * hs:config.d_model + (h + 1) * hs] / math.sqrt(hs)
                              for s in range(t + 1)]
                    weights = np.exp(np.array(scores) - max(scores))
                    weights /= weights.sum()
                    for s in range(t + 1):
                        out[h * hs:(h + 1) * hs] += weights[s] * qkv[s][2 * config.d_model + h * hs:
                                                                         2 * config.d_model + (h + 1) * hs]
                merged.append(out)
            xs = [x + m @ p[pre + "attn.c_proj.weight"] + p[pre + "attn.c_proj.bias"] for x, m in zip(xs, merged)]
            xs = [x + gelu(layer_norm(x, pre + "ln_2") @ p[pre + "mlp.c_fc.weight"] + p[pre + "mlp.c_fc.bias"])
                  @ p[pre + "mlp.c_proj.weight"] + p[pre + "mlp.c_proj.bias"] for x in xs]
        for t, x in enumerate(xs):
            logits[b, t] = head @ layer_norm(x, "ln_f")
    return logits


def random_model(config, seed):
    model = Gpt(config).double()
    make_golden.randomise_(model, torch.Generator().manual_seed(seed))
    return model


class ForwardTest(unittest.TestCase):
    def test_matches_naive_transcription(self):
        for tied in (True, False):
            config = GptConfig(vocab_size=11, n_positions=7, d_model=12, n_layers=2, n_heads=3, tied=tied)
            model = random_model(config, seed=1)
            idx = torch.tensor([[3, 1, 4, 1, 5, 9], [2, 6, 5, 3, 5, 8]])
            expected = naive_logits(dict(model.named_parameters()), config, idx.tolist())
            with torch.no_grad():
                actual = model(idx).logits.numpy()
            np.testing.assert_allclose(actual, expected, rtol=1e-10, atol=1e-12)

    def test_later_tokens_do_not_change_earlier_logits(self):
        config = GptConfig(vocab_size=13, n_positions=8, d_model=8, n_layers=2, n_heads=2)
        model = random_model(config, seed=2)
        first = torch.tensor([[1, 2, 3, 4, 5, 6]])
        second = torch.tensor([[1, 2, 3, 9, 9, 9]])
        with torch.no_grad():
            torch.testing.assert_close(model(first).logits[:, :3], model(second).logits[:, :3], rtol=0, atol=0)

    def test_kv_cache_decoding_matches_full_forward(self):
        config = GptConfig(vocab_size=17, n_positions=10, d_model=16, n_layers=2, n_heads=4, value_head=True)
        model = random_model(config, seed=3)
        idx = torch.randint(0, 17, (3, 9), generator=torch.Generator().manual_seed(4))
        with torch.no_grad():
            full = model(idx)
            cache = KvCache(config, batch_size=3, dtype=torch.float64)
            parts = [model(idx[:, :4], cache)] + [model(idx[:, t:t + 1], cache) for t in range(4, 9)]
        torch.testing.assert_close(torch.cat([part.logits for part in parts], dim=1), full.logits)
        torch.testing.assert_close(torch.cat([part.values for part in parts], dim=1), full.values)
        self.assertEqual(cache.length, 9)

    def test_rejects_sequences_longer_than_context(self):
        model = Gpt(GptConfig(vocab_size=5, n_positions=4, d_model=4, n_layers=1, n_heads=1))
        with self.assertRaisesRegex(ValueError, "n_positions=4"):
            model(torch.zeros(1, 5, dtype=torch.long))

    def test_config_validation_names_the_field(self):
        with self.assertRaisesRegex(ValueError, "n_heads"):
            GptConfig(vocab_size=5, n_positions=4, d_model=10, n_layers=1, n_heads=3)
        with self.assertRaisesRegex(ValueError, "vocab_size"):
            GptConfig(vocab_size=0, n_positions=4, d_model=4, n_layers=1, n_heads=1)


class SafetensorsTest(unittest.TestCase):
    def test_round_trip_preserves_tensors_and_metadata(self):
        tensors = {
            "b.f32": torch.randn(3, 4),
            "a.f64": torch.randn(2, dtype=torch.float64),
            "c.i32": torch.arange(6, dtype=torch.int32).reshape(2, 3),
            "d.bf16": torch.randn(5).bfloat16(),
            "e.scalar": torch.tensor(1.5),
            "f.empty": torch.empty(0, 3),
        }
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "x.safetensors")
            safetensors_io.save(path, tensors, {"k": "v"})
            loaded, metadata = safetensors_io.load(path)
            with open(path, "rb") as source:
                raw = source.read()
        self.assertEqual(metadata, {"k": "v"})
        self.assertEqual(sorted(loaded), sorted(tensors))
        for name, tensor in tensors.items():
            self.assertEqual(loaded[name].dtype, tensor.dtype)
            torch.testing.assert_close(loaded[name], tensor, rtol=0, atol=0)
        (header_length,) = struct.unpack("<Q", raw[:8])
        self.assertEqual(header_length % 8, 0)
        header = json.loads(raw[8:8 + header_length])
        names = [name for name in header if name != "__metadata__"]
        self.assertEqual(names, sorted(names))
        self.assertEqual([header[n]["data_offsets"][0] for n in names],
                         sorted(header[n]["data_offsets"][0] for n in names))

    def test_rejects_offsets_that_do_not_tile_the_data(self):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "bad.safetensors")
            header = json.dumps({"x": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}}).encode()
            with open(path, "wb") as out:
                out.write(struct.pack("<Q", len(header)) + header + bytes(8))
            with self.assertRaisesRegex(ValueError, "'x'"):
                safetensors_io.load(path)


class GoldenFixtureTest(unittest.TestCase):
    def test_committed_fixtures_are_reproduced(self):
        for case in make_golden.CASES:
            path = os.path.join(make_golden.DEFAULT_OUT, f"{case.name}.safetensors")
            stored, metadata = safetensors_io.load(path)
            self.assertEqual(GptConfig.from_json(metadata["config"]), case.config)
            fresh, fresh_metadata = make_golden.build_case(case)
            self.assertEqual(metadata, fresh_metadata)
            self.assertEqual(sorted(stored), sorted(fresh))
            for name in stored:
                torch.testing.assert_close(stored[name], fresh[name], rtol=1e-6, atol=1e-7, msg=name)

    def test_fixture_outputs_follow_from_its_own_weights(self):
        stored, metadata = safetensors_io.load(os.path.join(make_golden.DEFAULT_OUT, "tied.safetensors"))
        config = GptConfig.from_json(metadata["config"])
        model = Gpt(config).double().load_tensors({k: v.double() for k, v in stored.items()})
        expected = naive_logits(stored, config, stored["input.idx"].tolist())
        with torch.no_grad():
            logits = model(stored["input.idx"]).logits
        np.testing.assert_allclose(logits.numpy(), expected, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(stored["output.logits"].numpy(), expected, rtol=1e-6, atol=1e-6)


if __name__ == "__main__":
    unittest.main()
