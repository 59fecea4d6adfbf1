"""The sentence-transformers (torch) encoder; the only module that imports sentence_transformers."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from sentence_transformers import SentenceTransformer

from knowledge.errors import EmbeddingModelError


def load_sentence_transformer(path: str, device: str = "cpu") -> SentenceTransformer:
    """The model at `path` (a local folder), loaded quietly and offline."""
    for noisy in ("sentence_transformers", "transformers", "huggingface_hub"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        return SentenceTransformer(path, device=device, local_files_only=True)
    except Exception as exc:
        raise EmbeddingModelError(
            f"could not load embedding model {path!r} ({exc.__class__.__name__}: "
            f"{str(exc)[:160]}); set IMPACT_EMBEDDING_MODEL to a local model folder"
        ) from exc


class TorchEncoder:
    """Runs a sentence-transformers model with torch: any local model, and the ONNX reference."""

    backend = "torch"
    tag = ""  # the vectors are the reference: the model's name alone identifies them

    def __init__(self, path: str, *, device: str = "cpu", batch_size: int = 64) -> None:
        self.model: Any = load_sentence_transformer(path, device)
        self.batch_size = batch_size
        self._normalises = any(type(m).__name__ == "Normalize" for m in self.model)
        # sentence-transformers 6 renamed tokenize() to preprocess(); accept either.
        self._preprocess = getattr(self.model, "preprocess", None) or self.model.tokenize

    @property
    def dimension(self) -> int:
        dim = self.model.get_sentence_embedding_dimension()
        return int(dim) if dim else len(self.embed_one("dimension probe"))

    @property
    def max_tokens(self) -> int:
        return int(getattr(self.model, "max_seq_length", 256) or 256)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        encoded = self.model.tokenizer(list(texts), add_special_tokens=False)["input_ids"]
        return [len(ids) for ids in encoded]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_one(self, text: str) -> np.ndarray:
        # One short text: skip encode()'s batching machinery, keep its exact computation.
        with torch.inference_mode():
            features = self._preprocess([text])
            features = {
                k: v.to(self.model.device) if hasattr(v, "to") else v for k, v in features.items()
            }
            vector = self.model(features)["sentence_embedding"][0]
            if not self._normalises:
                vector = torch.nn.functional.normalize(vector, dim=-1)
        return vector.detach().cpu().numpy().astype(np.float32)
