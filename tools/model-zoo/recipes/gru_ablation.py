"""Recipes attn/gru-attention and attn/gru-plain: the attention ablation (issue 4, item 2).

A GRU encoder–decoder with Bahdanau additive attention and the same model without attention (zoo/gru.py), trained
on the same data, with the same vocabulary as mt-en-de (its spm.model is reused when present), parameter counts
within 10% of each other and of the Transformer, and the same training budget: 2 epochs (passes over the training
data), compared with the Transformer's epoch-2 checkpoint. An epoch budget, not a wall-clock one: on the shared 2-core
machine the same epoch took from 6 to over 20 minutes depending on other jobs, so minutes measured contention more
than work (the minutes are still reported). gru-plain ends with BLEU from PyTorch (work/gru-plain/metrics.json);
gru-attention ends with the release stages of recipes/gru_ablation_finish.py (export, Node check, the ablation's
evaluation against gru-plain and the Transformer, MODEL_CARD.md), which need gru-plain trained.
"""
from __future__ import annotations

import json

from zoo.bleu import SIGNATURE, corpus_bleu
from zoo.gru import GRUConfig, GRUSeq2Seq
from zoo.seq2seq_recipe import Seq2SeqRecipe, translate
from zoo.spm_tokenizer import EOS_ID, PAD_ID
from zoo.training import Logger, set_threads, write_json

FULL = {
    "seed": 1,
    "vocab_size": 8000,
    "model": dict(embed_dim=256, encoder_hidden=320, decoder_hidden=640, attention_dim=320, dropout=0.2),
    "max_tokens": 2500,
    "peak_lr": 1e-3,
    "warmup_steps": 400,
    "label_smoothing": 0.1,
    "epochs": 2,
    "time_budget_minutes": None,
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
    "model": dict(embed_dim=16, encoder_hidden=16, decoder_hidden=32, attention_dim=16, dropout=0.1),
    "max_tokens": 400,
    "warmup_steps": 10,
    "epochs": 2,
    "time_budget_minutes": None,
    "average_last": 2,
    "train_limit": 400,
    "val_limit": 16,
    "test_limit": 16,
    "bleu_from_epoch": 1,
}


def builder(attention: bool):
    def build_model(settings, vocab_size: int) -> GRUSeq2Seq:
        config = GRUConfig(vocab_size=vocab_size, attention=attention, pad_token_id=PAD_ID, eos_token_id=EOS_ID,
                           decoder_start_token_id=PAD_ID, **settings["model"])
        return GRUSeq2Seq(config)

    return build_model


RECIPES = {
    name: Seq2SeqRecipe(name=name, source="en", target="de", full=FULL, smoke=SMOKE, build_model=builder(attention),
                        vocabulary_from="mt-en-de")
    for name, attention in (("gru-attention", True), ("gru-plain", False))
}


def evaluate(recipe: Seq2SeqRecipe, args, log) -> dict:
    model, tokenizer, prepared, final = recipe.load_final_model(args)
    rows = []
    for split in recipe.test_splits:
        sources, references = prepared["texts"][split]
        for beams in (1, 4):
            result = corpus_bleu(translate(model, tokenizer, sources, beams=beams, batch_size=64 if beams == 1 else 32), references)
            rows.append({"split": split, "decoding": "greedy" if beams == 1 else f"beam {beams}", "bleu": round(result.score, 2), "detail": str(result)})
            log(f"evaluate: {recipe.name} {split} {rows[-1]['decoding']}: {result}")
    metrics = {"signature": SIGNATURE, "parameters": model.parameter_count(), "train_minutes": round(final["train_seconds"] / 60, 1),
               "epochs": len(final["history"]), "chosen": final["chosen"], "rows": rows}
    write_json(recipe.work_dir_for(args) / "metrics.json", metrics)
    return metrics


def run_training_for(name: str):
    def run_training(args) -> None:
        recipe = RECIPES[name]
        if name == "gru-attention":
            from recipes import gru_ablation_finish

            recipe.run_training(args, finish=gru_ablation_finish.finish)
        else:
            recipe.run_training(args, finish=lambda args, log: log(json.dumps(evaluate(recipe, args, log))))

    return run_training


def run_evaluation_for(name: str):
    def run_evaluation(args) -> None:
        set_threads(1)
        recipe = RECIPES[name]
        log = Logger(recipe.work_dir_for(args) / "progress.log")
        if name == "gru-attention":
            from recipes import gru_ablation_finish

            gru_ablation_finish.evaluate(args, log, write=False)
        else:
            print(json.dumps(evaluate(recipe, args, log), indent=2))

    return run_evaluation
