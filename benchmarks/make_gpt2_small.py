#!/usr/bin/env python3
"""Writes a random-weight GPT-2-small-shaped model for benchmarks/lm.sh, precision.sh and prefix.sh.

Built from the fixture generator onnx-backend/src/test/fixtures/make_gpt2_tiny.py (same modules, same
export layout), at GPT-2 small's shape: 12 layers, width 768, 12 heads, 1,024 positions, GPT-2's 50,257-token
vocabulary (the fixture's tokenizer.json, GPT-2's real BPE), fp32, 124M parameters. Random weights with GPT-2's
initialisation (normal, std 0.02; biases 0; seed 14). Writes into OUT (default /tmp/lm/gpt2-small):
  model.onnx        inputs input_ids, attention_mask, position_ids; output logits
  past/model.onnx   the same weights with past_key_values.{i}.key/value inputs, present.{i}.key/value outputs
  tokenizer.json    copied from the fixture
  weights.pt        the state dict, for the PyTorch + transformers reference (benchmarks/prefix_transformers.py)
About 1.5 GB in all; never committed. Needs torch and onnx (a venv: see benchmarks/README.md).

  /tmp/lm-venv/bin/python benchmarks/make_gpt2_small.py [OUT]     (the scripts use /tmp/lm/gpt2-small)
"""
import importlib.util
import os
import shutil
import sys

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "onnx-backend", "src", "test", "fixtures")


def fixture_module():
    """The fixture generator, with GPT-2 small's shape."""
    spec = importlib.util.spec_from_file_location("make_gpt2_tiny", os.path.join(FIXTURES, "make_gpt2_tiny.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.VOCAB, mod.WIDTH, mod.HEADS, mod.LAYERS, mod.POSITIONS = 50257, 768, 12, 12, 1024
    return mod


def build(mod):
    torch.manual_seed(14)
    model = mod.TinyGpt2().eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias"):
                p.zero_()
            elif p.dim() >= 2:
                p.normal_(0, 0.02)
        # a wider token embedding than GPT-2's init, so that label log-probabilities differ visibly
        model.wte.weight.normal_(0, 0.1)
    return model


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/lm/gpt2-small"
    mod = fixture_module()
    model = build(mod)
    os.makedirs(os.path.join(out, "past"), exist_ok=True)
    shutil.copy(os.path.join(FIXTURES, "..", "resources", "fixtures", "gpt2-tiny", "tokenizer.json"),
                os.path.join(out, "tokenizer.json"))
    torch.save(model.state_dict(), os.path.join(out, "weights.pt"))
    L, H, D = mod.LAYERS, mod.HEADS, mod.WIDTH // mod.HEADS
    ids = torch.tensor([[464, 3807, 373], [464, 3807, 373]])
    pos = torch.arange(3).unsqueeze(0).repeat(2, 1)
    torch.onnx.export(model, (ids, torch.ones_like(ids), pos), os.path.join(out, "model.onnx"),
                      input_names=["input_ids", "attention_mask", "position_ids"], output_names=["logits"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                    "attention_mask": {0: "batch", 1: "sequence"},
                                    "position_ids": {0: "batch", 1: "sequence"},
                                    "logits": {0: "batch", 1: "sequence"}},
                      opset_version=14, dynamo=False)
    past = [torch.zeros(2, H, 1, D) for _ in range(2 * L)]
    past_names = [f"past_key_values.{i}.{kv}" for i in range(L) for kv in ("key", "value")]
    present_names = [f"present.{i}.{kv}" for i in range(L) for kv in ("key", "value")]
    axes = {"input_ids": {0: "batch", 1: "sequence"}, "position_ids": {0: "batch", 1: "sequence"},
            "attention_mask": {0: "batch", 1: "past_sequence + sequence"},
            "logits": {0: "batch", 1: "sequence"}}
    for name in past_names:
        axes[name] = {0: "batch", 2: "past_sequence"}
    for name in present_names:
        axes[name] = {0: "batch", 2: "past_sequence + sequence"}
    torch.onnx.export(model, (ids, torch.ones(2, 4, dtype=torch.long), pos + 1, *past),
                      os.path.join(out, "past", "model.onnx"),
                      input_names=["input_ids", "attention_mask", "position_ids"] + past_names,
                      output_names=["logits"] + present_names, dynamic_axes=axes, opset_version=14, dynamo=False)
    print("wrote", out, sum(p.numel() for p in model.parameters()), "parameters")


if __name__ == "__main__":
    main()
