"""The ONNX Runtime encoder; the only module that imports onnxruntime and tokenizers.

Runs a sentence-transformers model exported whole (transformer, pooling, normalisation) to one
ONNX graph, fed by the model's own `tokenizer.json`: no torch, a fraction of the start-up time.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from knowledge.errors import EmbeddingModelError

# What each graph input is fed from a tokenizers Encoding.
_FEEDS = {"input_ids": "ids", "attention_mask": "attention_mask", "token_type_ids": "type_ids"}


def load_tokenizer(model_dir: Path) -> Tokenizer:
    """The model's fast tokenizer, as its `tokenizer.json` defines it."""
    path = model_dir / "tokenizer.json"
    try:
        return Tokenizer.from_file(str(path))
    except Exception as exc:
        raise EmbeddingModelError(
            f"cannot read the tokenizer {path} ({exc}); the ONNX backend needs a model with a "
            "tokenizer.json: set IMPACT_EMBEDDING_BACKEND=torch for this model"
        ) from exc


class OnnxEncoder:
    """Embeds texts with an exported graph on ONNX Runtime's CPU provider."""

    backend = "onnx"

    def __init__(
        self,
        onnx_file: Path,
        model_dir: Path,
        *,
        max_seq_length: int,
        batch_size: int = 16,
        threads: int = 0,
        tag: str = "",
        spin: bool = False,
    ) -> None:
        self.onnx_file = Path(onnx_file)
        self.model_dir = Path(model_dir)
        self.max_tokens = max_seq_length
        self.batch_size = batch_size
        self.tag = tag
        self._counter: Tokenizer | None = None  # made on first count: queries never need it
        self._tokenizer = load_tokenizer(model_dir)
        self._tokenizer.enable_truncation(max_length=max_seq_length)
        self._tokenizer.enable_padding(**_padding(self._tokenizer))
        options = ort.SessionOptions()
        options.log_severity_level = 3
        options.inter_op_num_threads = 1
        # By default idle threads sleep rather than spin: API workers and ingest share the CPU
        # with others. A one-person command spins: a one-line question then embeds in about 70%
        # of the time, the threads stopping their spin soon after the question is done.
        options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
        if threads > 0:
            options.intra_op_num_threads = threads
        try:
            self.model: Any = ort.InferenceSession(
                str(self.onnx_file), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:
            raise EmbeddingModelError(
                f"cannot open the ONNX model {self.onnx_file} ({exc.__class__.__name__}: "
                f"{str(exc)[:160]}); run `impact export-model --force` to make it again"
            ) from exc
        self._inputs = [i.name for i in self.model.get_inputs()]
        unknown = set(self._inputs) - set(_FEEDS)
        if unknown:
            raise EmbeddingModelError(
                f"the ONNX model {self.onnx_file} wants inputs {sorted(unknown)} that a tokenizer "
                "does not give; set IMPACT_EMBEDDING_BACKEND=torch for this model"
            )
        self.dimension = int(self.model.get_outputs()[0].shape[-1])

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if self._counter is None:
            counter = load_tokenizer(self.model_dir)
            counter.no_truncation()
            counter.no_padding()
            self._counter = counter
        encoded = self._counter.encode_batch(list(texts), add_special_tokens=False)
        return [len(e.ids) for e in encoded]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Normalised vectors; batches of similar length (as sentence-transformers) pad little."""
        items = list(texts)
        order = sorted(range(len(items)), key=lambda i: -len(items[i]))
        out = np.empty((len(items), self.dimension), dtype=np.float32)
        for start in range(0, len(items), self.batch_size):
            picked = order[start : start + self.batch_size]
            out[picked] = self._run([items[i] for i in picked])
        return out

    def embed_one(self, text: str) -> np.ndarray:
        return self._run([text])[0]

    def _run(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        feed = {
            name: np.asarray([getattr(e, _FEEDS[name]) for e in encodings], dtype=np.int64)
            for name in self._inputs
        }
        vectors = np.asarray(self.model.run(None, feed)[0], dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)


def quantize_int8(source: Path, target: Path) -> None:
    """Write an int8 copy of an ONNX model (dynamic quantisation of its weights)."""
    import logging

    from onnx import TensorProto
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # quantize_dynamic logs advice on the root logger
    try:
        quantize_dynamic(
            str(source),
            str(target),
            weight_type=QuantType.QInt8,
            # The fused graph's Attention and SkipLayerNormalization operators are ONNX Runtime's
            # own: shape inference cannot type their outputs, which are float32.
            extra_options={"DefaultTensorType": TensorProto.FLOAT},
        )
    finally:
        root.setLevel(level)


def fuse_bert(source: Path, target: Path, num_heads: int, hidden_size: int) -> None:
    """Write ONNX Runtime's fused graph of a BERT-family export (attention, layer norms, GELU)."""
    import logging
    import warnings

    from onnxruntime.transformers.optimizer import optimize_model

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the optimiser logs its progress on the root logger
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fused = optimize_model(
                str(source), model_type="bert", num_heads=num_heads, hidden_size=hidden_size
            )
            fused.save_model_to_file(str(target))
    finally:
        root.setLevel(level)


def _padding(tokenizer: Tokenizer) -> dict[str, Any]:
    """Pad to the longest text of the batch, with the pad token the tokenizer file names."""
    configured = tokenizer.padding or {}
    pad_token = configured.get("pad_token")
    pad_id = configured.get("pad_id")
    if pad_token is None:
        for candidate in ("[PAD]", "<pad>", "<|pad|>"):
            if tokenizer.token_to_id(candidate) is not None:
                pad_token, pad_id = candidate, tokenizer.token_to_id(candidate)
                break
    if pad_token is None:
        pad_token, pad_id = "[PAD]", 0  # masked out by the attention mask whatever it is
    return {
        "pad_id": int(pad_id or 0),
        "pad_token": pad_token,
        "pad_type_id": int(configured.get("pad_type_id", 0)),
    }
