"""The ONNX Runtime embedder gives sentence-transformers' vectors, tokens and chunks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from knowledge import BUNDLED_MODEL, Embedder, EmbeddingModelError, KnowledgeBase
from knowledge.chunking import chunk_document
from knowledge.ingest import bundled_corpus_dir
from knowledge.loaders import load_document
from knowledge.model_files import bundled_model_path
from tests.docgen import make_markdown

TOLERANCE = 1e-5


@pytest.fixture(scope="module")
def torch_embedder() -> Embedder:
    return Embedder(backend="torch").load()


def corpus_texts(limit: int = 240) -> list[str]:
    """Paragraphs of the bundled pack: real text, short and long, some over the 256-token limit."""
    texts: list[str] = []
    for path in sorted(bundled_corpus_dir().glob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---", 2)[-1]
        texts.extend(p.strip() for p in body.split("\n\n") if len(p.strip()) > 20)
    long_text = " ".join(texts[:40])  # several hundred tokens: truncated by both backends
    return [*texts[:limit], long_text, "Board", "What does good look like for component 4?"]


def test_the_bundled_model_runs_on_onnx_by_default(embedder: Embedder) -> None:
    assert embedder.backend == "onnx"
    assert type(embedder.model).__name__ == "InferenceSession"
    assert Embedder("/some/other/model").backend == "torch"


def test_onnx_and_torch_passage_vectors_agree_within_tolerance(
    embedder: Embedder, torch_embedder: Embedder
) -> None:
    texts = corpus_texts()
    onnx = embedder.embed_documents(texts)
    torch = torch_embedder.embed_documents(texts)
    assert onnx.dtype == np.float32 and onnx.shape == torch.shape == (len(texts), 384)
    assert float(np.abs(onnx - torch).max()) <= TOLERANCE
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)


def test_onnx_and_torch_query_vectors_agree_within_tolerance(
    embedder: Embedder, torch_embedder: Embedder
) -> None:
    for question in corpus_texts(30):
        gap = np.abs(embedder.embed_query(question) - torch_embedder.embed_query(question)).max()
        assert gap <= TOLERANCE, question


def test_both_backends_name_their_vectors_alike(
    embedder: Embedder, torch_embedder: Embedder
) -> None:
    # The index records the embedder's name: equal names share one collection (tested below).
    assert embedder.name == torch_embedder.name == BUNDLED_MODEL


def test_an_index_built_with_torch_is_searched_with_onnx_without_reindexing(
    embedder: Embedder, torch_embedder: Embedder, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    make_markdown(docs / "huddle.md", "title: Huddles", "# Huddles\n\nA safety huddle at 8am.")
    make_markdown(docs / "plan.md", "title: Plan", "# Plan\n\nWe will train 450 staff in QI.")
    built = KnowledgeBase(tmp_path / "kb", torch_embedder)
    built.ingest([docs])
    expected = [e.id for e in built.search("how many staff will be trained", 2, mode="dense")]
    built.close()

    reopened = KnowledgeBase(tmp_path / "kb", embedder)
    report = reopened.ingest([docs])
    assert len(report.unchanged) == 2 and not report.updated
    found = reopened.search("how many staff will be trained", 2, mode="dense")
    assert [e.id for e in found] == expected
    reopened.close()


def test_token_counts_match_the_sentence_transformers_tokenizer(
    embedder: Embedder, torch_embedder: Embedder
) -> None:
    texts = [*corpus_texts(), "", "   ", "naïve café — “quoted” 🙂", "a\tb\nc"]
    assert embedder.count_tokens(texts) == torch_embedder.count_tokens(texts)
    assert embedder.max_tokens == torch_embedder.max_tokens == 256


def test_chunk_boundaries_do_not_move(embedder: Embedder, torch_embedder: Embedder) -> None:
    for path in sorted(bundled_corpus_dir().glob("*.md")):
        doc = load_document(path, max_bytes=10_000_000)
        texts = {}
        for name, model in (("onnx", embedder), ("torch", torch_embedder)):
            chunks = chunk_document(
                doc, version="v", count=model.count_tokens, max_tokens=120, overlap_tokens=24
            )
            texts[name] = [c.text for c in chunks]
        assert texts["onnx"] == texts["torch"], path.name


def test_dimension_is_known_without_loading_or_exporting(tmp_path: Path) -> None:
    fresh = Embedder(onnx_dir=tmp_path / "empty")
    assert fresh.dimension == 384
    assert not fresh.loaded and not (tmp_path / "empty").exists()


def test_the_query_cache_can_be_cleared_or_turned_off(embedder: Embedder, onnx_dir: Path) -> None:
    first = embedder.embed_query("a cached question")
    assert "a cached question" in embedder._query_cache
    embedder.clear_cache()
    assert not embedder._query_cache
    uncached = Embedder(onnx_dir=onnx_dir, cache=False)
    again = uncached.embed_query("a cached question")
    assert not uncached._query_cache and np.abs(first - again).max() <= TOLERANCE


def test_an_unknown_backend_names_the_valid_ones() -> None:
    with pytest.raises(EmbeddingModelError, match="valid choices are auto, onnx, torch"):
        Embedder(backend="tensorflow")


def test_onnx_refuses_a_model_without_a_fast_tokenizer(tmp_path: Path) -> None:
    model = tmp_path / "model"
    shutil.copytree(bundled_model_path(), model, ignore=shutil.ignore_patterns("*.safetensors"))
    (model / "tokenizer.json").unlink()
    with pytest.raises(EmbeddingModelError, match="IMPACT_EMBEDDING_BACKEND=torch"):
        Embedder(str(model), backend="onnx", onnx_dir=tmp_path / "onnx").load()


def test_an_export_beyond_tolerance_forces_a_reindex(
    embedder: Embedder, onnx_dir: Path, tmp_path: Path
) -> None:
    """If ONNX vectors ever stray, the index signature changes: no mixing of vectors."""
    strict_dir = tmp_path / "onnx"
    shutil.copytree(onnx_dir, strict_dir)
    record_file = next(strict_dir.glob("*/export.json"))
    record = json.loads(record_file.read_text(encoding="utf-8"))
    assert record["max_abs_diff"] <= TOLERANCE
    record["tolerance"] = record["max_abs_diff"] / 10  # as if the export had strayed
    record_file.write_text(json.dumps(record), encoding="utf-8")

    docs = tmp_path / "docs"
    docs.mkdir()
    make_markdown(docs / "plan.md", "title: Plan", "# Plan\n\nWe will train 450 staff in QI.")
    kb = KnowledgeBase(tmp_path / "kb", embedder)
    kb.ingest([docs])
    kb.close()

    strayed = Embedder(onnx_dir=strict_dir)
    assert strayed.name != embedder.name and strayed.name.startswith(BUNDLED_MODEL)
    reopened = KnowledgeBase(tmp_path / "kb", strayed)
    report = reopened.ingest([docs])
    assert len(report.updated) == 1 and not report.unchanged
    reopened.close()


def test_only_one_persons_commands_let_the_model_threads_spin(onnx_dir: Path) -> None:
    """Servers and ingest share the CPU: their model threads sleep between steps. The CLI's
    question commands spin, for a faster answer, and their vectors are the same."""
    key = "session.intra_op.allow_spinning"
    server = Embedder(onnx_dir=onnx_dir)
    cli = Embedder(onnx_dir=onnx_dir, spin=True)
    assert server.model.get_session_options().get_session_config_entry(key) == "0"
    assert cli.model.get_session_options().get_session_config_entry(key) == "1"
    text = "How do boards use the maturity matrix?"
    assert abs(server.embed_query(text) - cli.embed_query(text)).max() < 1e-6
