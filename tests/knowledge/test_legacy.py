"""A data directory from the previous release is upgraded on first open, nothing lost."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from knowledge import DEFAULT_TENANT, SHARED, Embedder, KnowledgeBase

ROOT = Path(__file__).resolve().parents[2]

# The previous release's catalog schema (knowledge/catalog.py before the SQLAlchemy catalog).
OLD_SCHEMA = """
CREATE TABLE sources (source TEXT PRIMARY KEY, doc_id TEXT NOT NULL, title TEXT NOT NULL,
    kind TEXT NOT NULL, content_hash TEXT NOT NULL, version TEXT NOT NULL, tags TEXT NOT NULL,
    metadata TEXT NOT NULL, chunks INTEGER NOT NULL, ingested_at TEXT NOT NULL);
CREATE TABLE chunks (id TEXT PRIMARY KEY, source TEXT NOT NULL REFERENCES sources(source)
    ON DELETE CASCADE, doc_id TEXT NOT NULL, position INTEGER NOT NULL, page INTEGER,
    heading TEXT NOT NULL, text TEXT NOT NULL, index_text TEXT NOT NULL,
    content_hash TEXT NOT NULL, flagged INTEGER NOT NULL DEFAULT 0);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

DOCS = {
    "/home/sec/papers/plan.md": ("Improvement plan", ["We will train 450 staff in QI in 2025."]),
    "bundled:huddles.md": ("Huddles", ["Wards hold a ten-minute safety huddle at 8am."]),
}


def make_old_data_dir(data: Path, embedder: Embedder) -> None:
    """catalog.sqlite3 + chroma/ (collection impact_chunks) + bm25/, as the last release left them."""
    import chromadb
    from chromadb.config import Settings

    data.mkdir(parents=True)
    client = chromadb.PersistentClient(
        path=str(data / "chroma"), settings=Settings(anonymized_telemetry=False)
    )
    collection = client.get_or_create_collection(
        "impact_chunks", configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
    )
    with sqlite3.connect(data / "catalog.sqlite3") as db:
        db.executescript(OLD_SCHEMA)
        for source, (title, texts) in DOCS.items():
            doc_id = hashlib.sha1(source.encode()).hexdigest()[:16]
            tags = {"org": ["anytown"]} if not source.startswith("bundled:") else {}
            db.execute(
                "INSERT INTO sources VALUES (?,?,?,?,?,?,?,?,?,?)",
                (source, doc_id, title, "markdown", "ab" * 32, "cd" * 32, json.dumps(tags),
                 json.dumps({"doc_tags": {}}), len(texts), "2025-01-02T03:04:05+00:00"),
            )  # fmt: skip
            ids = [f"{doc_id}-{'cd' * 6}-{n:05d}" for n in range(len(texts))]
            db.executemany(
                "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?)",
                [(i, source, doc_id, n, None, json.dumps([title]), t, f"{title}\n{t}", "ef" * 32, 0)
                 for n, (i, t) in enumerate(zip(ids, texts, strict=True))],
            )  # fmt: skip
            collection.upsert(
                ids=ids,
                embeddings=embedder.embed_documents([f"{title}\n{t}" for t in texts]),
                metadatas=[{"source": source, "doc_id": doc_id}] * len(ids),
            )
    (data / "bm25").mkdir()
    (data / "bm25" / "CURRENT").write_text("gen-00000002-x", encoding="utf-8")


def test_an_old_data_directory_is_upgraded_and_keeps_every_document(
    tmp_path: Path, embedder: Embedder
) -> None:
    data = tmp_path / "data"
    make_old_data_dir(data, embedder)

    kb = KnowledgeBase(data, embedder)

    listing = {s.source: s for s in kb.sources(DEFAULT_TENANT)}
    assert set(listing) == set(DOCS)
    assert listing["bundled:huddles.md"].tenant == SHARED
    assert listing["/home/sec/papers/plan.md"].tenant == DEFAULT_TENANT
    assert listing["/home/sec/papers/plan.md"].tags == {"org": ["anytown"]}
    for mode in ("hybrid", "dense", "bm25"):
        top = kb.search("how many staff will we train", 1, mode=mode)  # type: ignore[arg-type]
        assert "450 staff" in top[0].text
    assert "impact_chunks" not in kb.stores.client.names()
    assert not (data / "catalog.sqlite3").exists() and (data / "catalog.sqlite3.imported").exists()
    assert not (data / "bm25").exists()
    assert kb.vectors.count() == 2

    # Opening again does not import twice; the CLI reads it like any other.
    assert len(KnowledgeBase(data, embedder).sources()) == 2
    env = {**os.environ, "IMPACT_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "sources", "--json"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert {s["source"] for s in json.loads(out)} == set(DOCS)
