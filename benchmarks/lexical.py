"""Lexical index candidates on the same data: bm25s (the previous release), Tantivy, SQLite FTS5.

Why this exists: the lexical index must be incremental (adding or removing one document must not
rebuild it), scoped by tenant, and readable while a writer works. Three candidates are measured
on the same passages:

- bm25s: the previous release's index. It cannot add a document, so "add one document" is a full
  rebuild; a segmented design (a main index plus small delta indexes merged in the background)
  would still pay that rebuild for every merge, and its deltas score with their own IDF.
- Tantivy (knowledge/lexical.py, what the knowledge base uses): segments, deletes by document
  id, atomic commits that readers in other processes pick up.
- SQLite FTS5 (porter stemmer), in the catalog's own database and transaction: never behind,
  but SQLite only (a PostgreSQL catalog would need a second engine).

Quality: every gold question (benchmarks/data/gold.jsonl) against the bundled pack's real
passages, each engine alone (BM25 only): hit@1, hit@5 and MRR@10 by source.
Scale: N synthetic passages (corpus sentences recombined; 20 per document; three tenants), timing
build, adding one 20-passage document, removing one, and 120 queries filtered to one tenant plus
`shared` (p50/p95), and disk. Run:

    .venv/bin/python benchmarks/lexical.py [--size 100000] [--queries 120]

It prints tables and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from _common import (
    corpus_sentences,
    emit_json,
    load_average,
    load_gold,
    percentile,
    print_load,
    print_table,
    question_variants,
    temp_kb,
    timed,
    warm_embedder,
)

from knowledge.catalog import IndexRow
from knowledge.lexical import LexicalIndex, LexicalWriter

Hits = list[tuple[str, float]]


class Engine:
    """One candidate: build from rows, add and remove documents, search scoped to tenants."""

    name = ""

    def build(self, rows: Sequence[IndexRow]) -> None: ...
    def add(self, rows: Sequence[IndexRow]) -> None: ...
    def remove(self, doc_id: str) -> None: ...
    def search(self, query: str, n: int, tenants: Sequence[str]) -> Hits: ...
    def disk(self) -> int: ...


class Bm25sEngine(Engine):
    name = "bm25s (rebuild)"

    def __init__(self, root: Path) -> None:
        self.root = root
        self.rows: list[IndexRow] = []

    def build(self, rows: Sequence[IndexRow]) -> None:
        import bm25s
        import Stemmer

        self.rows = list(rows)
        self.stemmer = Stemmer.Stemmer("english")
        tokens = bm25s.tokenize(
            [r.text for r in self.rows], stopwords="en", stemmer=self.stemmer, show_progress=False
        )
        self.retriever = bm25s.BM25()
        self.retriever.index(tokens, show_progress=False)
        self.tenants = np.asarray([r.tenant for r in self.rows], dtype=object)
        self.retriever.save(str(self.root / "bm25s"))

    def add(self, rows: Sequence[IndexRow]) -> None:
        self.build([*self.rows, *rows])  # bm25s cannot add: the whole index is rebuilt

    def remove(self, doc_id: str) -> None:
        self.build([r for r in self.rows if r.doc_id != doc_id])

    def search(self, query: str, n: int, tenants: Sequence[str]) -> Hits:
        import bm25s

        tokens = bm25s.tokenize(
            query, stopwords="en", stemmer=self.stemmer, return_ids=False, show_progress=False
        )
        if not tokens or not tokens[0]:
            return []
        scores = self.retriever.get_scores(list(tokens[0]))
        scores = scores * np.isin(self.tenants, list(tenants))
        top = np.argpartition(-scores, n)[:n] if n < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top])]
        return [(self.rows[i].id, float(scores[i])) for i in top if scores[i] > 0]

    def disk(self) -> int:
        return _size(self.root / "bm25s")


class TantivyEngine(Engine):
    name = "Tantivy"

    def __init__(self, root: Path) -> None:
        self.root = root
        self.writer = LexicalWriter(root)
        self.reader = LexicalIndex(root)
        self.generation = 0

    def build(self, rows: Sequence[IndexRow]) -> None:
        self.writer.rebuild(iter(rows), self.generation, "bench")

    def add(self, rows: Sequence[IndexRow]) -> None:
        self.generation += 1
        self.writer.apply([rows[0].doc_id], rows, self.generation, "bench")

    def remove(self, doc_id: str) -> None:
        self.generation += 1
        self.writer.apply([doc_id], [], self.generation, "bench")

    def search(self, query: str, n: int, tenants: Sequence[str]) -> Hits:
        return self.reader.search(query, n, tenants)

    def disk(self) -> int:
        return _size(self.root)


class Fts5Engine(Engine):
    name = "SQLite FTS5"

    def __init__(self, root: Path) -> None:
        self.path = root / "fts.sqlite3"
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(
            "CREATE VIRTUAL TABLE fts USING fts5(body, id UNINDEXED, doc_id UNINDEXED, "
            "tenant UNINDEXED, tokenize='porter unicode61')"
        )

    def build(self, rows: Sequence[IndexRow]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT INTO fts(body, id, doc_id, tenant) VALUES (?,?,?,?)",
                [(r.text, r.id, r.doc_id, r.tenant) for r in rows],
            )

    def add(self, rows: Sequence[IndexRow]) -> None:
        self.build(rows)

    def remove(self, doc_id: str) -> None:
        with self.db:
            self.db.execute("DELETE FROM fts WHERE doc_id = ?", (doc_id,))

    def search(self, query: str, n: int, tenants: Sequence[str]) -> Hits:
        words = [w for w in re.findall(r"[a-z0-9]+", query.lower()) if w not in _STOP]
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in dict.fromkeys(words))
        marks = ",".join("?" * len(tenants))
        rows = self.db.execute(
            f"SELECT id, bm25(fts) FROM fts WHERE fts MATCH ? AND tenant IN ({marks}) "
            "ORDER BY bm25(fts) LIMIT ?",
            (match, *tenants, n),
        ).fetchall()
        return [(i, -float(s)) for i, s in rows]

    def disk(self) -> int:
        return _size(self.path.parent)


# FTS5 has no stop-word list; without one, "the" and "of" match every passage.
_STOP = set(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "how",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "their",
        "this",
        "to",
        "was",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "do",
        "does",
        "did",
        "should",
        "can",
    ]
)


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


ENGINES: dict[str, Callable[[Path], Engine]] = {
    "bm25s": Bm25sEngine,
    "tantivy": TantivyEngine,
    "fts5": Fts5Engine,
}


# -- quality ---------------------------------------------------------------------------------


def quality(rows: Sequence[IndexRow], gold: Sequence, make: Callable[[Path], Engine]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make(Path(tmp))
        engine.build(rows)
        source_of = {r.id: r.source for r in rows}
        hit1 = hit5 = 0
        mrr = 0.0
        for item in gold:
            found = [source_of[i] for i, _ in engine.search(item.question, 40, ["shared"])]
            ranked = list(dict.fromkeys(found))
            if ranked[:1] == [item.source]:
                hit1 += 1
            if item.source in ranked[:5]:
                hit5 += 1
            if item.source in ranked[:10]:
                mrr += 1.0 / (ranked.index(item.source) + 1)
        n = len(gold)
        return {"hit1": round(hit1 / n, 4), "hit5": round(hit5 / n, 4), "mrr": round(mrr / n, 4)}


# -- scale -----------------------------------------------------------------------------------


def synthetic_rows(size: int, seed: int) -> list[IndexRow]:
    rng = np.random.default_rng(seed)
    sentences = corpus_sentences()
    tenants = ["shared", "trust-a", "trust-b"]
    rows = []
    for n in range(size):
        doc = n // 20
        picks = rng.choice(len(sentences), int(rng.integers(3, 6)), replace=False)
        rows.append(
            IndexRow(
                id=f"doc{doc:07d}-{n % 20:05d}",
                doc_id=f"doc{doc:07d}",
                tenant=tenants[doc % 3],
                source=f"/synthetic/paper-{doc}.md",
                tags={"component": [str(doc % 5 + 1)]},
                text=" ".join(sentences[i] for i in picks),
            )
        )
    return rows


@dataclass
class ScaleResult:
    build_s: float
    add_s: float
    remove_s: float
    p50_ms: float
    p95_ms: float
    disk_mb: float


def scale(
    rows: list[IndexRow], extra: list[IndexRow], queries: Sequence[str], make: Callable
) -> ScaleResult:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make(Path(tmp))
        build_s, _ = timed(lambda: engine.build(rows))
        add_s, _ = timed(lambda: engine.add(extra))
        remove_s, _ = timed(lambda: engine.remove(extra[0].doc_id))
        for q in queries[:10]:
            engine.search(q, 40, ["trust-a", "shared"])
        times = []
        for q in queries[10:]:
            start = time.perf_counter()
            engine.search(q, 40, ["trust-a", "shared"])
            times.append((time.perf_counter() - start) * 1000)
        return ScaleResult(
            build_s,
            add_s,
            remove_s,
            percentile(times, 50),
            percentile(times, 95),
            engine.disk() / 1_048_576,
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="synthetic passages")
    parser.add_argument("--queries", type=int, default=120)
    parser.add_argument("--engines", default="bm25s,tantivy,fts5")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.engines.split(",") if n.strip()]
    load_start = load_average()

    gold = load_gold()
    embedder = warm_embedder()
    with temp_kb(embedder) as kb:
        kb.ingest_bundled()
        corpus_rows = list(kb.catalog.iter_index_rows())
    scores = {name: quality(corpus_rows, gold, ENGINES[name]) for name in names}
    print_table(
        f"BM25 alone on {len(gold)} gold questions over the bundled pack ({len(corpus_rows)} "
        "passages)",
        ["engine", "hit@1", "hit@5", "MRR@10"],
        [(ENGINES[n].name, s["hit1"], s["hit5"], s["mrr"]) for n, s in scores.items()],  # type: ignore[attr-defined]
    )

    rows = synthetic_rows(args.size + 20, seed=5)
    extra = [
        IndexRow(f"new-{r.id}", "doc-new", "trust-a", "/new.md", r.tags, r.text) for r in rows[-20:]
    ]
    rows = rows[:-20]
    queries = question_variants([g.question for g in gold], args.queries + 10)
    results = {name: scale(rows, extra, queries, ENGINES[name]) for name in names}
    print_table(
        f"{args.size} synthetic passages, queries scoped to one tenant + shared "
        "(add/remove: one 20-passage document)",
        ["engine", "build s", "add doc s", "remove doc s", "p50 ms", "p95 ms", "disk MB"],
        [
            (ENGINES[n].name, r.build_s, r.add_s, r.remove_s, r.p50_ms, r.p95_ms, r.disk_mb)  # type: ignore[attr-defined]
            for n, r in results.items()
        ],
    )
    load = [load_start, load_average()]
    print_load(*load)
    emit_json(
        {
            "benchmark": "lexical",
            "size": args.size,
            "quality": scores,
            "scale": {n: {k: round(v, 4) for k, v in vars(r).items()} for n, r in results.items()},
            "load_avg": load,
        }
    )


if __name__ == "__main__":
    main()
