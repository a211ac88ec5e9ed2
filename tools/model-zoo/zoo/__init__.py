"""Shared building blocks of the attn model zoo: data access, tokenizers, models, training, export, metrics."""
