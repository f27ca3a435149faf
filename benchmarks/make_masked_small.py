#!/usr/bin/env python3
"""Writes a random-weight bidirectional (masked-LM-shaped) model for benchmarks/masked.sh, with Debian's
python3-torch.

Built from the fixture generator onnx-backend/src/test/fixtures/make_gpt2_tiny.py (same modules and export
layout) with the causal part of the attention mask removed, so every token sees every other one as in BERT:
6 layers, width 384, 12 heads (MiniLM-L6's shape), 512 positions, GPT-2's 50,257-token vocabulary and BPE
(the fixture's tokenizer.json; the mask token is <|endoftext|>, a single special token). Random weights
(normal, std 0.02; biases 0; token embedding std 0.1; seed 15). About 180 MB; never committed (target/).
  model.onnx        inputs input_ids, attention_mask, position_ids; output logits [batch, sequence, 50257]
  tokenizer.json    copied from the fixture

  /usr/bin/python3 benchmarks/make_masked_small.py [OUT]      (default benchmarks/target/masked-small)
"""
import importlib.util
import os
import shutil
import sys

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "onnx-backend", "src", "test", "fixtures")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "benchmarks", "target", "masked-small")
    spec = importlib.util.spec_from_file_location("make_gpt2_tiny", os.path.join(FIXTURES, "make_gpt2_tiny.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.VOCAB, mod.WIDTH, mod.HEADS, mod.LAYERS, mod.POSITIONS = 50257, 384, 12, 6, 512

    class Bidirectional(mod.TinyGpt2):
        def forward(self, input_ids, attention_mask, position_ids):
            b, s = input_ids.shape
            x = self.wte(input_ids) + self.wpe(position_ids)
            keep = attention_mask.to(x.dtype).unsqueeze(1).unsqueeze(2).expand(b, 1, s, s)
            mask_add = (1.0 - keep) * -1e9
            empty = torch.zeros(b, mod.HEADS, 0, mod.WIDTH // mod.HEADS)
            for block in self.blocks:
                x, _, _ = block(x, mask_add, empty, empty)
            return self.ln_f(x) @ self.wte.weight.t()

    torch.manual_seed(15)
    model = Bidirectional().eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias"):
                p.zero_()
            elif p.dim() >= 2:
                p.normal_(0, 0.02)
        model.wte.weight.normal_(0, 0.1)
    os.makedirs(out, exist_ok=True)
    shutil.copy(os.path.join(FIXTURES, "..", "resources", "fixtures", "gpt2-tiny", "tokenizer.json"),
                os.path.join(out, "tokenizer.json"))
    ids = torch.tensor([[464, 3807, 373], [464, 3807, 373]])
    pos = torch.arange(3).unsqueeze(0).repeat(2, 1)
    torch.onnx.export(model, (ids, torch.ones_like(ids), pos), os.path.join(out, "model.onnx"),
                      input_names=["input_ids", "attention_mask", "position_ids"], output_names=["logits"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                    "attention_mask": {0: "batch", 1: "sequence"},
                                    "position_ids": {0: "batch", 1: "sequence"},
                                    "logits": {0: "batch", 1: "sequence"}},
                      opset_version=14)
    print("wrote", out, sum(p.numel() for p in model.parameters()), "parameters")


if __name__ == "__main__":
    main()
