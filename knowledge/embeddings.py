"""The embedder: one interface over two encoders, ONNX Runtime (default) and sentence-transformers.

Importing this module loads neither: the encoder is built on first use (or by `load()`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from knowledge.errors import EmbeddingModelError
from knowledge.model_files import BUNDLED_MODEL, bundled_model_path, model_path, read_layout

if TYPE_CHECKING:
    from knowledge.onnx_export import OnnxExport

BACKENDS = ("auto", "onnx", "torch")
# Texts per model call. ONNX Runtime's memory grows with batch x length^2 (a 64 x 256 batch holds
# about 1 GB) while CPU throughput stops growing past ~16, so its batches are smaller.
DEFAULT_BATCH = {"onnx": 16, "torch": 64}
_QUERY_CACHE = 64

__all__ = ["BACKENDS", "BUNDLED_MODEL", "Embedder", "bundled_model_path", "default_onnx_dir"]


def default_onnx_dir() -> Path:
    """Where exported ONNX models live unless told otherwise: the user's cache folder."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("impact-assistant", appauthor=False)) / "onnx"


def resolve_backend(model: str, backend: str) -> str:
    """auto means ONNX Runtime for the bundled model and torch for any other."""
    choice = (backend or "auto").strip().lower()
    if choice not in BACKENDS:
        raise EmbeddingModelError(
            f"unknown embedding backend {backend!r} (IMPACT_EMBEDDING_BACKEND): valid choices "
            f"are {', '.join(BACKENDS)}"
        )
    if choice == "auto":
        return "onnx" if model == BUNDLED_MODEL else "torch"
    return choice


class _Encoder(Protocol):
    """What each backend module's encoder offers (torch_embedder, onnx_embedder)."""

    backend: str
    tag: str
    model: Any

    @property
    def max_tokens(self) -> int: ...
    @property
    def dimension(self) -> int: ...
    def count_tokens(self, texts: Sequence[str]) -> list[int]: ...
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...
    def embed_one(self, text: str) -> np.ndarray: ...


class Embedder:
    """Embeds passages and queries as normalised float32 vectors; loads its model on first use.

    backend: "onnx" (ONNX Runtime, no torch), "torch" (sentence-transformers) or "auto" (ONNX
    for the bundled model). onnx_dir: where the ONNX export is kept. cache=False turns off the
    cache of recent query vectors (benchmarks measure without it; `clear_cache()` empties it).
    notify: called with a one-line message before a slow one-off step (the ONNX export).
    batch_size: texts per model call (default 16 on ONNX, 64 on torch).
    quantized: run an int8 copy of the ONNX model (about twice as fast, a quarter of the size;
    its vectors differ, so its name does too and an index re-embeds when it is switched on).
    """

    def __init__(
        self,
        model: str = BUNDLED_MODEL,
        *,
        backend: str = "auto",
        onnx_dir: Path | None = None,
        batch_size: int | None = None,
        cache: bool = True,
        device: str = "cpu",
        threads: int = 0,
        spin: bool = False,
        notify: Callable[[str], None] | None = None,
        quantized: bool = False,
    ) -> None:
        self.model_name = model or BUNDLED_MODEL
        self.backend = resolve_backend(self.model_name, backend)
        if quantized and self.backend != "onnx":
            raise EmbeddingModelError(
                "an int8-quantised model (IMPACT_EMBEDDING_QUANTIZED) runs on ONNX Runtime only: "
                "set IMPACT_EMBEDDING_BACKEND=onnx, or unset IMPACT_EMBEDDING_QUANTIZED"
            )
        self.quantized = quantized
        self.onnx_dir = Path(onnx_dir) if onnx_dir is not None else default_onnx_dir()
        self.batch_size = batch_size or DEFAULT_BATCH[self.backend]
        self.cache = cache
        self.device = device
        self.threads = threads
        self.spin = spin  # ONNX Runtime's threads spin between steps (see OnnxEncoder)
        self.notify = notify
        self._encoder: _Encoder | None = None
        self._lock = threading.Lock()
        self._query_cache: dict[str, np.ndarray] = {}

    def __repr__(self) -> str:
        extra = ", quantized=True" if self.quantized else ""
        return f"Embedder({self.model_name!r}, backend={self.backend!r}{extra})"

    # -- loading ------------------------------------------------------------------------------
    def load(self) -> Embedder:
        """Load the model now (exporting it to ONNX first if needed) rather than on first use."""
        self._get()
        return self

    def preload(self) -> None:
        """Start loading the model in a background thread (errors surface on first use)."""
        if self._encoder is None:
            # ONNX Runtime releases the GIL while it loads: this overlaps the caller's imports.
            threading.Thread(target=self._preload, name="embedder-preload", daemon=True).start()

    def _preload(self) -> None:
        with contextlib.suppress(Exception):  # the first real use builds again and raises it
            self._get()

    @property
    def model(self) -> Any:
        """The loaded backend object: an onnxruntime InferenceSession or a SentenceTransformer."""
        return self._get().model

    @property
    def loaded(self) -> bool:
        return self._encoder is not None

    def _get(self) -> _Encoder:
        if self._encoder is None:
            with self._lock:
                if self._encoder is None:
                    self._encoder = self._build()
        return self._encoder

    def _build(self) -> _Encoder:
        if self.backend == "torch":
            from knowledge.torch_embedder import TorchEncoder

            where = model_path(self.model_name)
            return TorchEncoder(
                str(where or self.model_name), device=self.device, batch_size=self.batch_size
            )
        from knowledge.onnx_embedder import OnnxEncoder

        export = self.export()
        if self.quantized and export.int8_path is not None:
            path, tag = export.int8_path, "int8"
        else:
            path = export.path
            tag = "" if export.equivalent else f"onnx:{export.weights_sha256[:12]}"
        return OnnxEncoder(
            path,
            self._model_dir(),
            max_seq_length=export.max_seq_length,
            batch_size=self.batch_size,
            threads=self.threads,
            spin=self.spin,
            tag=tag,
        )

    def export(self, *, force: bool = False) -> OnnxExport:
        """The model's current ONNX export, made now if it is missing or its weights changed."""
        from knowledge.onnx_export import ensure_export

        return ensure_export(
            self.model_name,
            self._model_dir(),
            self.onnx_dir,
            notify=self.notify,
            force=force,
            int8=self.quantized,
        )

    def _model_dir(self) -> Path:
        where = model_path(self.model_name)
        if where is None:
            raise EmbeddingModelError(
                f"embedding model {self.model_name!r} is not a local folder; set "
                "IMPACT_EMBEDDING_MODEL to a sentence-transformers model folder"
            )
        return where

    # -- what the index records -----------------------------------------------------------------
    @property
    def name(self) -> str:
        """Names the vectors: equal for two backends whose vectors agree within the tolerance.

        An ONNX export that strays beyond it gets a name of its own, so the index signature
        changes and the next ingest re-embeds everything rather than mixing vectors.
        """
        if self.backend == "torch":
            return self.model_name
        tag = self._get().tag
        return f"{self.model_name}|{tag}" if tag else self.model_name

    @property
    def dimension(self) -> int:
        """Length of a vector, read from the model's files when they say (no model loaded)."""
        where = model_path(self.model_name)
        layout = read_layout(where) if where is not None and self._encoder is None else None
        if layout is not None and layout.dimension:
            return layout.dimension
        return self._get().dimension

    @property
    def max_tokens(self) -> int:
        return self._get().max_tokens

    # -- embedding ------------------------------------------------------------------------------
    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Tokens per text as the model's tokenizer counts them (no special tokens, no limit)."""
        if not texts:
            return []
        return self._get().count_tokens(texts)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return self._get().encode(texts)

    def embed_query(self, text: str) -> np.ndarray:
        """The query's vector; the last few are cached (search and answering embed the same text)."""
        if not self.cache:
            return self._get().embed_one(text)
        cached = self._query_cache.get(text)
        if cached is None:
            cached = self._get().embed_one(text)
            if len(self._query_cache) >= _QUERY_CACHE:
                self._query_cache.pop(next(iter(self._query_cache)))
            self._query_cache[text] = cached
        return cached.copy()

    def clear_cache(self) -> None:
        """Forget cached query vectors, so the next query is embedded afresh."""
        self._query_cache.clear()
