"""Export a sentence-transformers model to ONNX once, keyed by a hash of its weights.

The export folder holds `model-<hash>.onnx` and `export.json` (the weights' hash, their sizes and
times, and how far the ONNX vectors were from sentence-transformers' on a fixed probe set).
Checking that an export is current reads files only; torch is imported only to export.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from filelock import FileLock

from knowledge.errors import EmbeddingModelError
from knowledge.model_files import Layout, file_stats, read_layout, weights_hash

FORMAT = 2  # 2: eager attention, then ONNX Runtime's transformer fusions where they hold
OPSET = 17
TOLERANCE = 1e-5  # largest per-component difference from sentence-transformers that shares an index
Notify = Callable[[str], None]

# A fixed probe set: short and long texts, a batch of mixed lengths and texts over the limit.
PROBES = [
    "What does good look like for improvement capability and capacity?",
    "Board",
    "The NHS IMPACT self-assessment asks boards to rate their maturity in five components, "
    "from shared purpose and vision to embedding improvement in management systems.",
    "Leadership behaviours: leaders model curiosity, humility and a focus on learning. " * 40,
    "Quarterly report: staff engagement 7.1; 450 people trained in QI (2025/26).",
    "  ünïcödé — “quotes”, emoji 🙂 and tabs\tand\nnew lines  ",
]


@dataclass(frozen=True)
class OnnxExport:
    """An export on disk and what is known about it."""

    folder: Path
    onnx: str
    weights_sha256: str
    files: dict[str, list[int]]
    dimension: int
    max_seq_length: int
    max_abs_diff: float
    tolerance: float
    exported_with: dict[str, str]
    format: int = FORMAT
    int8: str | None = None  # an int8-quantised copy, made when asked for

    @property
    def path(self) -> Path:
        return self.folder / self.onnx

    @property
    def equivalent(self) -> bool:
        """True when its vectors may share an index with sentence-transformers' vectors."""
        return self.max_abs_diff <= self.tolerance

    @property
    def int8_path(self) -> Path | None:
        return self.folder / self.int8 if self.int8 else None

    def record(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("folder")
        return data


def export_folder(onnx_dir: Path, model_name: str, model_dir: Path) -> Path:
    """Where one model's export lives: a readable name plus a hash of its folder's path."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", model_name.rsplit(":", 1)[-1].rstrip("/\\"))
    stem = stem.rsplit("/", 1)[-1][-48:] or "model"
    where = hashlib.sha1(str(model_dir).encode("utf-8")).hexdigest()[:10]
    return Path(onnx_dir).expanduser() / f"{stem}-{where}"


def read_export(folder: Path) -> OnnxExport | None:
    """The export recorded in `folder`, or None when there is none usable."""
    try:
        data = json.loads((folder / "export.json").read_text(encoding="utf-8"))
        export = OnnxExport(folder=folder, **data)
    except (OSError, ValueError, TypeError):
        return None
    if export.format != FORMAT or not export.path.is_file():
        return None
    if export.int8_path is not None and not export.int8_path.is_file():
        export = OnnxExport(**{**asdict(export), "int8": None})
    return export


def current_export(folder: Path, model_dir: Path) -> OnnxExport | None:
    """The export if it was made from the weights now in `model_dir`; None when stale or absent.

    Sizes and modification times decide when they are unchanged; otherwise the weights are hashed.
    """
    export = read_export(folder)
    if export is None:
        return None
    stats = file_stats(model_dir)
    if stats == export.files:
        return export
    if weights_hash(model_dir) != export.weights_sha256:
        return None
    refreshed = OnnxExport(**{**asdict(export), "files": stats})
    _write_record(refreshed)  # same weights, new times (a reinstall): hash once, not every start
    return refreshed


def ensure_export(
    model_name: str,
    model_dir: Path,
    onnx_dir: Path,
    *,
    notify: Notify | None = None,
    force: bool = False,
    int8: bool = False,
    tolerance: float = TOLERANCE,
) -> OnnxExport:
    """The current export of the model in `model_dir`, exporting it first when needed.

    int8: also keep an int8-quantised copy (made from the fp32 export, once).
    """
    layout = read_layout(model_dir)
    if not layout.exportable:
        raise EmbeddingModelError(
            f"{model_name!r} is not a sentence-transformers model the ONNX backend can run "
            f"(modules: {', '.join(layout.modules) or 'none found'}); set "
            "IMPACT_EMBEDDING_BACKEND=torch"
        )
    if not layout.has_fast_tokenizer:
        raise EmbeddingModelError(
            f"{model_name!r} has no tokenizer.json, which the ONNX backend needs; set "
            "IMPACT_EMBEDDING_BACKEND=torch"
        )
    folder = export_folder(onnx_dir, model_name, model_dir)
    found = None if force else current_export(folder, model_dir)
    if found is not None and (found.int8 or not int8):
        return found
    lock = FileLock(str(folder / ".export.lock"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except OSError as exc:
        raise EmbeddingModelError(
            f"cannot write the ONNX model in {folder} ({exc}); set IMPACT_ONNX_DIR to a "
            "writable folder"
        ) from exc
    try:
        # Another process may have exported while this one waited for the lock.
        export = None if force else current_export(folder, model_dir)
        if export is not None and (export.int8 or not int8):
            return export
        if notify is not None:
            notify(
                f"Preparing the embedding model {model_name} for ONNX Runtime "
                f"(once; about {'5' if export else '20'} s) in {folder}"
            )
        if export is None:
            export = _export(model_dir, folder, layout, tolerance)
        if int8:
            export = _quantize(export)
        _write_record(export)
        _remove_old(folder, keep={export.onnx, export.int8})
        return export
    finally:
        lock.release()


def _quantize(export: OnnxExport) -> OnnxExport:
    """Add an int8 copy of the export (its vectors differ: it always names itself apart)."""
    from knowledge.onnx_embedder import quantize_int8

    name = export.onnx.replace(".onnx", "-int8.onnx")
    partial = export.folder / f".{name}.{os.getpid()}.partial"
    try:
        quantize_int8(export.path, partial)
        os.replace(partial, export.folder / name)
    except Exception as exc:
        partial.unlink(missing_ok=True)
        raise EmbeddingModelError(
            f"could not quantise {export.path} to int8 ({exc.__class__.__name__}: "
            f"{str(exc)[:160]}); unset IMPACT_EMBEDDING_QUANTIZED"
        ) from exc
    return OnnxExport(**{**asdict(export), "int8": name})


def _export(model_dir: Path, folder: Path, layout: Layout, tolerance: float) -> OnnxExport:
    """Trace the whole sentence-transformers pipeline into one graph, then check it."""
    import torch

    from knowledge.onnx_embedder import OnnxEncoder
    from knowledge.torch_embedder import TorchEncoder

    reference = TorchEncoder(str(model_dir))
    model = reference.model
    # The eager attention traces to plain MatMul/Softmax, which ONNX Runtime fuses below; the
    # default (scaled-dot-product) attention traces to masks that block the fusion.
    with contextlib.suppress(Exception):
        model[0].auto_model.set_attn_implementation("eager")
    digest = weights_hash(model_dir)
    stats = file_stats(model_dir)
    name = f"model-{digest[:16]}.onnx"
    features = (
        model.tokenize(PROBES[:2])
        if not hasattr(model, "preprocess")
        else (model.preprocess(PROBES[:2]))
    )
    inputs = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in features]

    class Whole(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
            return self.model(dict(zip(inputs, tensors, strict=True)))["sentence_embedding"]

    partial = folder / f".{name}.{os.getpid()}.partial"
    axes = {k: {0: "batch", 1: "sequence"} for k in inputs}
    started = time.perf_counter()
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes on shapes the check below covers
            torch.onnx.export(
                Whole().eval(),
                tuple(features[k] for k in inputs),
                str(partial),
                input_names=inputs,
                output_names=["sentence_embedding"],
                dynamic_axes={**axes, "sentence_embedding": {0: "batch"}},
                opset_version=OPSET,
                dynamo=False,
            )
        os.replace(partial, folder / name)
    except Exception as exc:
        partial.unlink(missing_ok=True)
        raise EmbeddingModelError(
            f"could not export {model_dir} to ONNX ({exc.__class__.__name__}: {str(exc)[:160]}); "
            "set IMPACT_EMBEDDING_BACKEND=torch to use it without ONNX"
        ) from exc
    max_seq_length = reference.max_tokens
    onnx = OnnxEncoder(folder / name, model_dir, max_seq_length=max_seq_length)
    diff = max_difference(reference, onnx)
    fused = _fuse(folder / name, model, model_dir, reference, max_seq_length, tolerance)
    if fused is not None:
        diff = fused
    return OnnxExport(
        folder=folder,
        onnx=name,
        weights_sha256=digest,
        files=stats,
        dimension=onnx.dimension,
        max_seq_length=max_seq_length,
        max_abs_diff=diff,
        tolerance=tolerance,
        exported_with={
            "torch": torch.__version__,
            "sentence_transformers": version("sentence-transformers"),
            "opset": str(OPSET),
            "fused": "yes" if fused is not None else "no",
            "seconds": f"{time.perf_counter() - started:.1f}",
        },
    )


def _fuse(
    path: Path, model: Any, model_dir: Path, reference: Any, max_seq_length: int, tolerance: float
) -> float | None:
    """Replace the export by ONNX Runtime's fused transformer graph when it is one and agrees.

    Attention, layer norms and GELU become single operators: fewer, larger steps, so a one-line
    query spends less time waking threads. Kept only if its vectors stay within the tolerance of
    sentence-transformers' (then returns their largest difference); otherwise the plain export
    stays, as it does for models the optimiser does not know.
    """
    from knowledge.onnx_embedder import OnnxEncoder

    config: Any = getattr(getattr(model[0], "auto_model", None), "config", None)
    if config is None or getattr(config, "model_type", None) != "bert":
        return None
    from knowledge.onnx_embedder import fuse_bert

    partial = path.with_name(f".{path.name}.{os.getpid()}.fused")
    try:
        fuse_bert(path, partial, int(config.num_attention_heads), int(config.hidden_size))
        candidate = OnnxEncoder(partial, model_dir, max_seq_length=max_seq_length)
        diff = max_difference(reference, candidate)
        del candidate
    except Exception:
        partial.unlink(missing_ok=True)
        return None
    if diff > tolerance:
        partial.unlink(missing_ok=True)
        return None
    os.replace(partial, path)
    return diff


def max_difference(reference: Any, candidate: Any, texts: list[str] | None = None) -> float:
    """Largest per-component difference between two encoders, batched and one text at a time."""
    texts = texts or PROBES
    batched = abs(reference.encode(texts) - candidate.encode(texts)).max()
    single = max(abs(reference.embed_one(t) - candidate.embed_one(t)).max() for t in texts)
    return float(max(batched, single))


def _write_record(export: OnnxExport) -> None:
    target = export.folder / "export.json"
    partial = export.folder / f".export.json.{os.getpid()}.partial"
    try:
        partial.write_text(json.dumps(export.record(), indent=2), encoding="utf-8")
        os.replace(partial, target)
    except OSError:
        partial.unlink(missing_ok=True)  # a read-only cache still works; it re-checks next time


def _remove_old(folder: Path, keep: set[str | None]) -> None:
    """Earlier exports of changed weights (best effort: a running process may hold one open)."""
    for old in folder.glob("model-*.onnx"):
        if old.name not in keep:
            with contextlib.suppress(OSError):
                old.unlink()
