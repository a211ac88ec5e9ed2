"""Architectures of the model zoo beyond Marian (zoo/transformer.py), in PyTorch, with Hugging Face's module and
parameter names so that ONNX exports read like Optimum's (`/model/decoder/layers.0/encoder_attn/Softmax`,
`/bert/encoder/layer.0/attention/self/Softmax`, `/transformer/h.0/attn/Softmax`,
`/vit/encoder/layer.0/attention/attention/Softmax`).

Attention is always explicit — MatMul → (scale, mask) → Softmax → MatMul — so every attention probability tensor is
the output of one Softmax node that attn's taps can read.

- attention.py: head split/merge, scaled dot-product with explicit Softmax, q/k/v/out multi-head attention.
- bart.py, bert.py, gpt2.py, vit.py, detr.py, whisper.py: one architecture each (config dataclass with to_hf_dict()).
- export.py: ONNX exports in the Optimum layout and input/output names of each architecture.
- byte_level_bpe.py, wordpiece.py: tokenizers we train or build ourselves, written as tokenizer.json.
"""
