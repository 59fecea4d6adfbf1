"""The ONNX export is made once, kept beside a hash of the weights, and re-made when they change."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file, save_file

from knowledge import Embedder
from knowledge.model_files import bundled_model_path

QUESTION = "How should a board discuss its improvement maturity?"


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    """A local copy of the bundled model whose weights a test may change."""
    target = tmp_path / "minilm"
    shutil.copytree(bundled_model_path(), target)
    return target


def _record(folder: Path) -> dict:
    return json.loads(next(folder.glob("*/export.json")).read_text(encoding="utf-8"))


def test_an_existing_export_is_reused_without_torch(embedder: Embedder, onnx_dir: Path) -> None:
    messages: list[str] = []
    again = Embedder(onnx_dir=onnx_dir, notify=messages.append)
    assert again.export().path == embedder.export().path
    assert messages == []  # nothing to prepare: no export, no progress message
    record = _record(onnx_dir)
    assert len(record["weights_sha256"]) == 64 and record["max_abs_diff"] <= 1e-5
    assert sorted(p.name for p in next(onnx_dir.glob("*/")).glob("*.onnx")) == [record["onnx"]]


@pytest.mark.slow
def test_changed_weights_are_exported_again(model_copy: Path, tmp_path: Path) -> None:
    onnx_dir = tmp_path / "onnx"
    messages: list[str] = []
    before = Embedder(str(model_copy), backend="onnx", onnx_dir=onnx_dir, notify=messages.append)
    old_vector = before.embed_query(QUESTION)
    old_record = _record(onnx_dir)
    assert len(messages) == 1 and "once" in messages[0]

    weights = model_copy / "model.safetensors"
    tensors = load_file(str(weights))
    name = next(k for k in tensors if k.endswith("layer.0.attention.self.query.weight"))
    tensors[name] = tensors[name] * np.float32(1.5)
    save_file(tensors, str(weights), metadata={"format": "pt"})

    after = Embedder(str(model_copy), backend="onnx", onnx_dir=onnx_dir, notify=messages.append)
    new_vector = after.embed_query(QUESTION)
    new_record = _record(onnx_dir)
    assert len(messages) == 2
    assert new_record["weights_sha256"] != old_record["weights_sha256"]
    assert new_record["onnx"] != old_record["onnx"]
    folder = next(onnx_dir.glob("*/"))
    assert [p.name for p in folder.glob("*.onnx")] == [new_record["onnx"]]  # old one removed
    assert np.abs(new_vector - old_vector).max() > 1e-3  # the new weights are really in use
    reference = Embedder(str(model_copy), backend="torch").embed_query(QUESTION)
    assert np.abs(new_vector - reference).max() <= 1e-5


@pytest.mark.slow
def test_touched_but_unchanged_weights_are_not_exported_again(
    model_copy: Path, tmp_path: Path
) -> None:
    onnx_dir = tmp_path / "onnx"
    Embedder(str(model_copy), backend="onnx", onnx_dir=onnx_dir).load()
    first = _record(onnx_dir)
    weights = model_copy / "model.safetensors"
    os.utime(weights, ns=(weights.stat().st_atime_ns, weights.stat().st_mtime_ns + 10**9))

    messages: list[str] = []
    Embedder(str(model_copy), backend="onnx", onnx_dir=onnx_dir, notify=messages.append).load()
    second = _record(onnx_dir)
    assert messages == [] and second["onnx"] == first["onnx"]
    assert second["files"]["model.safetensors"][1] == weights.stat().st_mtime_ns  # hashed once


def test_a_broken_export_file_says_how_to_fix_it(
    embedder: Embedder, onnx_dir: Path, tmp_path: Path
) -> None:
    from knowledge import EmbeddingModelError

    broken = tmp_path / "onnx"
    shutil.copytree(onnx_dir, broken)
    record = _record(broken)
    (next(broken.glob("*/")) / record["onnx"]).write_bytes(b"not a model")
    with pytest.raises(EmbeddingModelError, match="impact export-model"):
        Embedder(onnx_dir=broken).load()


def test_the_int8_model_is_made_once_and_names_its_vectors_apart(
    embedder: Embedder, onnx_dir: Path, tmp_path: Path
) -> None:
    own_dir = tmp_path / "onnx"
    shutil.copytree(onnx_dir, own_dir)
    messages: list[str] = []
    int8 = Embedder(onnx_dir=own_dir, quantized=True, notify=messages.append).load()
    export = int8.export()
    assert export.int8_path is not None and len(messages) == 1
    assert export.int8_path.stat().st_size < export.path.stat().st_size / 2
    assert int8.name == f"{embedder.name}|int8"  # an index re-embeds rather than mix vectors

    texts = ["How should a board discuss maturity?", "Staff engagement rose to 7.1."]
    quantized, exact = int8.embed_documents(texts), embedder.embed_documents(texts)
    cosines = (quantized * exact).sum(axis=1)
    assert np.all(cosines > 0.95) and np.abs(quantized - exact).max() > 1e-5

    again: list[str] = []
    Embedder(onnx_dir=own_dir, quantized=True, notify=again.append).load()
    assert again == []  # made once


def test_int8_needs_the_onnx_backend() -> None:
    from knowledge import EmbeddingModelError

    with pytest.raises(EmbeddingModelError, match="IMPACT_EMBEDDING_BACKEND=onnx"):
        Embedder(backend="torch", quantized=True)


def test_an_unwritable_onnx_folder_says_which_setting_to_change(tmp_path: Path) -> None:
    from knowledge import EmbeddingModelError

    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("", encoding="utf-8")
    with pytest.raises(EmbeddingModelError, match="IMPACT_ONNX_DIR"):
        Embedder(onnx_dir=not_a_folder).load()


def test_a_failed_background_load_is_reported_on_first_use(tmp_path: Path) -> None:
    from knowledge import EmbeddingModelError

    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("", encoding="utf-8")
    embedder = Embedder(onnx_dir=not_a_folder)
    embedder.preload()  # fails in its thread, quietly
    with pytest.raises(EmbeddingModelError, match="IMPACT_ONNX_DIR"):
        embedder.embed_query("any question")
