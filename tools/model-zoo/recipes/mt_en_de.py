"""Recipe attn/mt-en-de: English → German Marian-style Transformer on Multi30k task 1.

The pipeline (prepare → train → select) is zoo/seq2seq_recipe.py; this file holds the settings and the model, and
recipes/mt_en_de_finish.py the release stages (Hugging Face export, Node/ONNX check, evaluation, MODEL_CARD.md).
"""
from __future__ import annotations

from zoo.seq2seq_recipe import Seq2SeqRecipe, environment_summary, translate  # noqa: F401 (re-exported)
from zoo.spm_tokenizer import EOS_ID, PAD_ID
from zoo.transformer import MarianMT, TransformerConfig

NAME = "mt-en-de"

FULL = {
    "seed": 1,
    "vocab_size": 8000,
    "model": dict(
        d_model=256,
        encoder_layers=3,
        decoder_layers=3,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=1024,
        decoder_ffn_dim=1024,
        dropout=0.1,
        activation_function="swish",
        max_position_embeddings=512,
    ),
    "max_tokens": 2500,
    "peak_lr": 1e-3,
    "warmup_steps": 400,
    "label_smoothing": 0.1,
    "epochs": 12,
    "average_last": 4,
    "train_limit": None,
    "val_limit": None,
    "test_limit": None,
    "max_train_length": 128,
    "bleu_from_epoch": 5,
}

SMOKE = {
    **FULL,
    "vocab_size": 300,
    "model": dict(FULL["model"], d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
                  decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64),
    "max_tokens": 400,
    "warmup_steps": 10,
    "epochs": 2,
    "average_last": 2,
    "train_limit": 400,
    "val_limit": 16,
    "test_limit": 16,
    "bleu_from_epoch": 1,
}


def build_model(settings, vocab_size: int) -> MarianMT:
    config = TransformerConfig(vocab_size=vocab_size, pad_token_id=PAD_ID, eos_token_id=EOS_ID,
                               decoder_start_token_id=PAD_ID, **settings["model"])
    return MarianMT(config)


RECIPE = Seq2SeqRecipe(name=NAME, source="en", target="de", full=FULL, smoke=SMOKE, build_model=build_model)
TEST_SPLITS = RECIPE.test_splits
work_dir_for = RECIPE.work_dir_for
out_dir_for = RECIPE.out_dir_for
load_final_model = RECIPE.load_final_model


def run_training(args) -> None:
    from recipes import mt_en_de_finish

    RECIPE.run_training(args, finish=mt_en_de_finish.finish)


def run_evaluation(args) -> None:
    from recipes import mt_en_de_finish
    from zoo.training import Logger, set_threads

    set_threads(1)  # small-batch decoding gains little from a second thread, and loses much on a busy CPU
    mt_en_de_finish.evaluate(args, Logger(work_dir_for(args) / "progress.log"), write=False)
