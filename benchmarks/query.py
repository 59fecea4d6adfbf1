"""Hybrid search latency (p50/p95, query embedding included) on synthetic 10k and 100k indexes.

Embedding 100k chunks with the real model takes far too long here, so each index is built
synthetically but through the real stores: a pool of distinct chunk texts recombined from
corpus sentences is embedded with the real model; every synthetic chunk takes one pool text
(sentences reshuffled, one extra corpus sentence added, so BM25 sees realistic vocabulary) and
that text's real vector plus small Gaussian noise, renormalised. Rows go in with
Catalog.replace_document (one source at a time), vectors with ChromaVectors.add, and the BM25
index is built by KnowledgeBase.lexical. Build times are printed, with the time of the
orphan-vector scan (KnowledgeBase.repair) that every ingest starts with.

Queries are the gold questions (reworded copies when more are needed); the first --warmup
queries are not counted. The embedder's query cache is cleared before every timed call, so
every measure that embeds really pays for the embedding. Each query is timed (time.perf_counter) as kb.search(q, 5) and, in
the same loop as baselines: query embedding alone, dense-only search and BM25-only search.
Targets: hybrid p95 <= 30 ms at 10k chunks and <= 150 ms at 100k.

Everything runs offline in temporary directories. Run it with:

    .venv/bin/python benchmarks/query.py [--sizes 10000,100000] [--queries 120]

It prints tables and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from _common import (
    add_threads_option,
    corpus_sentences,
    emit_json,
    load_average,
    load_gold,
    percentile,
    print_load,
    print_table,
    question_variants,
    ratio,
    temp_kb,
    timed,
    verdict,
    warm_embedder,
)

from knowledge import DEFAULT_TENANT, Chunk, Embedder, KnowledgeBase
from knowledge.catalog import SourceRecord, now_iso
from knowledge.chunking import doc_id_for
from knowledge.upkeep import ensure_collection, repair_vectors, sync_lexical, vector_metadata

TARGET_P95_MS = {10_000: 30.0, 100_000: 150.0}
MEASURES = ("hybrid", "embed query", "dense", "bm25")
VERSION = "0" * 64


# -- the synthetic index -------------------------------------------------------------------


@dataclass(frozen=True)
class Pool:
    """Distinct chunk texts (as sentence lists) and their real, normalised embeddings."""

    sentences: list[str]
    texts: list[list[str]]
    vectors: np.ndarray


def make_pool(embedder: Embedder, size: int, rng: np.random.Generator) -> Pool:
    sentences = corpus_sentences()
    texts: list[list[str]] = []
    seen: set[tuple[int, ...]] = set()
    while len(texts) < size:
        picks = tuple(sorted(rng.choice(len(sentences), int(rng.integers(3, 6)), replace=False)))
        if picks not in seen:
            seen.add(picks)
            texts.append([sentences[i] for i in picks])
    vectors = embedder.embed_documents([" ".join(t) for t in texts])
    return Pool(sentences, texts, vectors)


@dataclass
class SyntheticChunks:
    ids: list[str]
    vectors: np.ndarray
    metadatas: list[dict[str, Any]]
    documents: list[tuple[SourceRecord, list[Chunk]]]


def synthesize(
    pool: Pool, size: int, n_sources: int, noise: float, rng: np.random.Generator
) -> SyntheticChunks:
    """size chunks spread evenly over n_sources synthetic sources."""
    picks = rng.integers(len(pool.texts), size=size)
    vectors = pool.vectors[picks] + rng.normal(0.0, noise, (size, pool.vectors.shape[1]))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    per_source = -(-size // n_sources)
    out = SyntheticChunks([], vectors, [], [])
    for first in range(0, size, per_source):
        record, chunks = _document(pool, picks[first : first + per_source], len(out.documents), rng)
        out.documents.append((record, chunks))
        out.ids.extend(c.id for c in chunks)
        out.metadatas.extend(_metadata(c) for c in chunks)
    return out


def _document(
    pool: Pool, picks: np.ndarray, number: int, rng: np.random.Generator
) -> tuple[SourceRecord, list[Chunk]]:
    source = f"/synthetic/board-paper-{number:05d}.md"
    doc_id = doc_id_for(source)
    title = f"Board paper {number}"
    tags = {"component": [str(c) for c in sorted(rng.choice(5, 2, replace=False) + 1)]}
    chunks = []
    for position, pick in enumerate(picks):
        parts = [*pool.texts[pick], pool.sentences[int(rng.integers(len(pool.sentences)))]]
        rng.shuffle(parts)
        text = " ".join(parts)
        chunks.append(
            Chunk(
                id=f"{doc_id}-{VERSION[:12]}-{position:05d}",
                doc_id=doc_id,
                source=source,
                title=title,
                text=text,
                page=None,
                heading=(f"Section {position // 4 + 1}",),
                position=position,
                content_hash=hashlib.sha256(text.encode()).hexdigest(),
                tags=tags,
            )
        )
    record = SourceRecord(
        source=source, doc_id=doc_id, title=title, kind="markdown",
        content_hash=doc_id, version=VERSION, tags=tags, metadata={"urls": []},
        chunks=len(chunks), ingested_at=now_iso(), tenant=DEFAULT_TENANT,
    )  # fmt: skip
    return record, chunks


def _metadata(chunk: Chunk) -> dict[str, Any]:
    return dict(vector_metadata(DEFAULT_TENANT, chunk.source, chunk.doc_id, chunk.tags))


def build_index(kb: KnowledgeBase, data: SyntheticChunks) -> dict[str, float]:
    """Write the synthetic chunks through the real stores; seconds per store."""
    seconds: dict[str, float] = {}
    active = ensure_collection(kb.stores)  # the (empty) collection of the configured model
    collection = kb.stores.collection(active, DEFAULT_TENANT, create=True)
    seconds["vectors (Chroma)"], _ = timed(
        lambda: collection.add(data.ids, data.vectors, data.metadatas)
    )
    seconds["catalog (SQLite)"], _ = timed(
        lambda: [kb.catalog.replace_document(record, chunks) for record, chunks in data.documents]
    )
    seconds["lexical (Tantivy)"], _ = timed(lambda: sync_lexical(kb.stores))
    seconds["total"] = sum(seconds.values())
    # Not part of the build: the orphan scan every ingest starts with, at this size.
    seconds["repair scan"], _ = timed(lambda: repair_vectors(kb.stores))
    return seconds


# -- timing queries ------------------------------------------------------------------------


def measures(kb: KnowledgeBase) -> dict[str, Callable[[str], object]]:
    return {
        "hybrid": lambda q: kb.search(q, 5),
        "embed query": kb.embedder.embed_query,
        "dense": lambda q: kb.search(q, 5, mode="dense"),
        "bm25": lambda q: kb.search(q, 5, mode="bm25"),
    }


def time_queries(kb: KnowledgeBase, queries: Sequence[str], warmup: int) -> dict[str, list[float]]:
    """Milliseconds per query for each measure; the order rotates so no measure always goes first."""
    calls = measures(kb)
    names = list(calls)
    times: dict[str, list[float]] = {name: [] for name in names}
    for n, query in enumerate(queries):
        for name in names[n % len(names) :] + names[: n % len(names)]:
            kb.embedder.clear_cache()  # every measure embeds its query: none reuses a vector
            start = time.perf_counter()
            calls[name](query)
            elapsed = (time.perf_counter() - start) * 1000
            if n >= warmup:
                times[name].append(elapsed)
    return times


@dataclass
class SizeResult:
    size: int
    sources: int
    build_s: dict[str, float]
    times_ms: dict[str, list[float]]

    def p(self, measure: str, q: float) -> float:
        return percentile(self.times_ms[measure], q)

    @property
    def target(self) -> float | None:
        return TARGET_P95_MS.get(self.size)

    @property
    def passed(self) -> bool | None:
        return None if self.target is None else self.p("hybrid", 95) <= self.target


def run_size(
    embedder: Embedder, pool: Pool, size: int, args: argparse.Namespace, queries: Sequence[str]
) -> SizeResult:
    rng = np.random.default_rng(args.seed + size)
    n_sources = min(args.sources, size)
    data = synthesize(pool, size, n_sources, args.noise, rng)
    with temp_kb(embedder, prefix=f"impact-bench-{size}-") as kb:
        build_s = build_index(kb, data)
        print(f"  {size} chunks: built in {build_s['total']:.1f} s; timing {len(queries)} queries")
        times = time_queries(kb, queries, args.warmup)
    return SizeResult(size, n_sources, build_s, times)


# -- report --------------------------------------------------------------------------------


def print_report(results: Sequence[SizeResult], pool_s: float, pool_size: int) -> None:
    stores = [name for name in results[0].build_s if name != "repair scan"]
    print_table(
        f"Index build through the real stores (pool: {pool_size} real embeddings in {pool_s:.1f} s;"
        " repair scan: what every later ingest pays first)",
        ["chunks", "sources", *(f"{s} s" for s in stores), "µs/chunk", "repair scan s"],
        [
            (
                r.size, r.sources, *(r.build_s[s] for s in stores),
                1e6 * r.build_s["total"] / r.size, r.build_s["repair scan"],
            )
            for r in results
        ],
    )  # fmt: skip
    for r in results:
        base = r.p("embed query", 50)
        print_table(
            f"Latency at {r.size} chunks, {len(r.times_ms['hybrid'])} queries "
            "(ms; ratio = p50 / query-embedding p50)",
            ["measure", "p50", "p95", "mean", "max", "p50 ratio"],
            [
                (m, r.p(m, 50), r.p(m, 95), float(np.mean(r.times_ms[m])), max(r.times_ms[m]),
                 ratio(r.p(m, 50), base))
                for m in MEASURES
            ],
        )  # fmt: skip
        if r.target is not None:
            print(
                f"hybrid p95 {r.p('hybrid', 95):.1f} ms <= {r.target:.0f} ms: {verdict(bool(r.passed))}"
            )


def figures(results: Sequence[SizeResult], pool_s: float, queries: int) -> dict[str, object]:
    sizes: dict[str, object] = {}
    for r in results:
        stats = {
            m.replace(" ", "_"): {"p50_ms": round(r.p(m, 50), 2), "p95_ms": round(r.p(m, 95), 2)}
            for m in MEASURES
        }
        sizes[str(r.size)] = {
            **stats,
            "hybrid_vs_embed_p50": ratio(r.p("hybrid", 50), r.p("embed query", 50)),
            "build_s": {k: round(v, 2) for k, v in r.build_s.items()},
            "target_p95_ms": r.target,
            "pass": r.passed,
        }
    verdicts = [r.passed for r in results if r.passed is not None]
    return {
        "benchmark": "query",
        "queries": queries,
        "pool_embed_s": round(pool_s, 2),
        "sizes": sizes,
        "pass": all(verdicts) if verdicts else None,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="index sizes in chunks")
    parser.add_argument("--sources", type=int, default=1000, help="sources per index")
    parser.add_argument("--pool", type=int, default=1000, help="distinct really-embedded texts")
    parser.add_argument("--noise", type=float, default=0.015, help="Gaussian noise per dimension")
    parser.add_argument("--queries", type=int, default=120, help="timed queries per size")
    parser.add_argument("--warmup", type=int, default=10, help="untimed queries first")
    parser.add_argument("--seed", type=int, default=99)
    add_threads_option(parser)
    args = parser.parse_args(argv)

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    questions = [item.question for item in load_gold()]
    queries = question_variants(questions, args.queries + args.warmup)
    embedder = warm_embedder(threads=args.threads, backend=args.backend)
    load_start = load_average()
    pool_s, pool = timed(lambda: make_pool(embedder, args.pool, np.random.default_rng(args.seed)))
    print(f"pool of {args.pool} real embeddings in {pool_s:.1f} s")
    results = [run_size(embedder, pool, size, args, queries) for size in sizes]
    print_report(results, pool_s, args.pool)
    load = [load_start, load_average()]
    print_load(*load)
    emit_json({**figures(results, pool_s, args.queries), "load_avg": load})


if __name__ == "__main__":
    main()
