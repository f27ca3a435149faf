#!/usr/bin/env python3
"""Writes a random-weight causal LM of about 1B parameters for the 1B-class run of benchmarks/README.md.

make_gpt2_small.py's modules (the fixture generator's GPT-2) at width 2048, 16 heads, 18 layers, 1,024
positions and GPT-2's 50,257-token vocabulary: 1,011M parameters (4 GB in fp32). Exported with
past_key_values and every weight in one external data file (a protobuf graph holds at most 2 GB), then
quantised to int4 (MatMulNBits, blocks of 32) by make_lm_variants.py:
  OUT/past/model.onnx + model.onnx_data   fp32 with external data (about 4 GB; removed unless KEEP_FP32=1)
  OUT/int4/model.onnx + model.onnx_data   int4 with external data
  OUT/tokenizer.json
Needs about 12 GB of memory while exporting and quantising. Never committed.

  /tmp/lm-venv/bin/python benchmarks/make_lm_1b.py [OUT]     (default /tmp/lm/lm-1b)
"""
import importlib.util
import os
import shutil
import subprocess
import sys

import onnx
import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/lm/lm-1b"
    spec = importlib.util.spec_from_file_location("make_gpt2_small", os.path.join(HERE, "make_gpt2_small.py"))
    small = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(small)
    mod = small.fixture_module()
    mod.WIDTH, mod.HEADS, mod.LAYERS = 2048, 16, 18
    model = small.build(mod)
    print("parameters:", sum(p.numel() for p in model.parameters()))
    os.makedirs(os.path.join(out, "past"), exist_ok=True)
    shutil.copy(os.path.join(small.FIXTURES, "..", "resources", "fixtures", "gpt2-tiny", "tokenizer.json"),
                os.path.join(out, "tokenizer.json"))
    L, H, D = mod.LAYERS, mod.HEADS, mod.WIDTH // mod.HEADS
    ids = torch.tensor([[464, 3807, 373], [464, 3807, 373]])
    pos = torch.arange(3).unsqueeze(0).repeat(2, 1)
    past = [torch.zeros(2, H, 1, D) for _ in range(2 * L)]
    past_names = [f"past_key_values.{i}.{kv}" for i in range(L) for kv in ("key", "value")]
    present_names = [f"present.{i}.{kv}" for i in range(L) for kv in ("key", "value")]
    axes = {"input_ids": {0: "batch", 1: "sequence"}, "position_ids": {0: "batch", 1: "sequence"},
            "attention_mask": {0: "batch", 1: "past_sequence + sequence"}, "logits": {0: "batch", 1: "sequence"}}
    for name in past_names:
        axes[name] = {0: "batch", 2: "past_sequence"}
    for name in present_names:
        axes[name] = {0: "batch", 2: "past_sequence + sequence"}
    raw = os.path.join(out, "raw")
    os.makedirs(raw, exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(model, (ids, torch.ones(2, 4, dtype=torch.long), pos + 1, *past),
                          os.path.join(raw, "model.onnx"),
                          input_names=["input_ids", "attention_mask", "position_ids"] + past_names,
                          output_names=["logits"] + present_names, dynamic_axes=axes, opset_version=14,
                          dynamo=False)
    del model
    # the exporter writes one file per weight when the graph passes 2 GB: gather them into one
    onnx.save_model(onnx.load(os.path.join(raw, "model.onnx")), os.path.join(out, "past", "model.onnx"),
                    save_as_external_data=True, all_tensors_to_one_file=True, location="model.onnx_data",
                    size_threshold=1024)
    shutil.rmtree(raw)
    subprocess.check_call([sys.executable, os.path.join(HERE, "make_lm_variants.py"), out, "int4"])
    if os.environ.get("KEEP_FP32") != "1":
        shutil.rmtree(os.path.join(out, "past"))
    print("wrote", out)


if __name__ == "__main__":
    main()
