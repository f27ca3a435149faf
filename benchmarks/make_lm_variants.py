#!/usr/bin/env python3
"""Writes the other formats of a causal model made by make_gpt2_small.py (or make_lm_1b.py), for
benchmarks/precision.sh: the same weights saved with external data, in fp16, int8 and int4.

  /tmp/lm-venv/bin/python benchmarks/make_lm_variants.py MODEL_DIR [FORMAT...]

Reads MODEL_DIR/past/model.onnx (the export with past_key_values) and writes, each with tokenizer.json:
  MODEL_DIR/external/  model.onnx + model.onnx_data: every weight in one external data file
  MODEL_DIR/fp16/      weights and arithmetic in float16, inputs and outputs float32
                       (onnxruntime.transformers.float16.convert_float_to_float16, keep_io_types)
  MODEL_DIR/int8/      onnxruntime.quantization.quantize_dynamic, int8 weights (QInt8), activations
                       quantised at run time (DynamicQuantizeLinear)
  MODEL_DIR/int4/      MatMulNBits 4-bit weights in blocks of 32 (MatMulNBitsQuantizer, symmetric),
                       saved with external data
FORMAT limits the list (default: external fp16 int8 int4). Never committed: the files are hundreds of MB.
"""
import os
import shutil
import sys

import onnx


def save(model, out, external):
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "model.onnx")
    if external:
        onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                        location="model.onnx_data", size_threshold=1024)
    else:
        onnx.save(model, path)
    return path


def main():
    src = sys.argv[1]
    formats = sys.argv[2:] or ["external", "fp16", "int8", "int4"]
    fp32 = os.path.join(src, "past", "model.onnx")
    for f in formats:
        out = os.path.join(src, f)
        if f == "external":
            save(onnx.load(fp32), out, True)
        elif f == "fp16":
            from onnxruntime.transformers.float16 import convert_float_to_float16
            save(convert_float_to_float16(onnx.load(fp32), keep_io_types=True), out, False)
        elif f == "int8":
            from onnxruntime.quantization import QuantType, quantize_dynamic
            os.makedirs(out, exist_ok=True)
            quantize_dynamic(fp32, os.path.join(out, "model.onnx"), weight_type=QuantType.QInt8,
                             use_external_data_format=os.path.getsize(fp32) > (1 << 31) - (1 << 24))
        elif f == "int4":
            from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer
            q = MatMulNBitsQuantizer(onnx.load(fp32), block_size=32, is_symmetric=True)
            q.process()
            os.makedirs(out, exist_ok=True)
            q.model.save_model_to_file(os.path.join(out, "model.onnx"), use_external_data_format=True)
        else:
            sys.exit(f"unknown format {f}; expected external, fp16, int8 or int4")
        shutil.copy(os.path.join(src, "tokenizer.json"), os.path.join(out, "tokenizer.json"))
        size = sum(os.path.getsize(os.path.join(out, n)) for n in os.listdir(out) if n.startswith("model"))
        print(f"wrote {out}: {size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
