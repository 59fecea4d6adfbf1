"""The store at 100k and 1M passages: hybrid query latency, adding one document, memory, disk.

Each size gets a synthetic knowledge base built through the real stores: catalog rows (SQLite in
the data directory, written in bulk straight into the catalog's tables), a Tantivy lexical index
rebuilt from them, and vectors in Chroma twice, embedded in the data directory and in a real
`chroma run` server on loopback. Passage text is corpus sentences recombined (so the lexical
side sees real vocabulary); vectors are random unit vectors (latency does not depend on their
meaning, and embedding a million passages would take hours here). Three tenants share the index
(trust-a 60%, trust-b 30%, shared 10%), so every query is filtered to one tenant plus `shared`.

Measured per size and Chroma mode, 120 timed queries (gold questions, reworded so that every
query string is distinct: no query vector is ever reused), each as `kb.search(q, 5,
tenant="trust-a")`, the query embedding included; and in the same loop the floors: the bare
query encode, and a raw Chroma query (one unfiltered `collection.query` of a real query vector).
Then one real 20-passage Markdown document is ingested through `kb.ingest`, timed end to end and
split into vector side (read, chunk, embed, Chroma write), catalog commit and lexical side (the
Tantivy update). Baseline for that: the previous release's full bm25s rebuild at the same size.
Peak memory (this process; the Chroma server's own peak) and disk per store.

Targets at 1M passages on this machine: hybrid p95 <= 200 ms; adding one document <= 2 s.

    .venv/bin/python benchmarks/scale.py [--sizes 100000,1000000] [--modes embedded,server]

It prints tables and ends with one JSON line. The 1M build takes a long while (tens of minutes).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from _common import (
    corpus_sentences,
    emit_json,
    load_average,
    load_gold,
    peak_rss_mb,
    percentile,
    print_load,
    print_table,
    question_variants,
    ratio,
    timed,
    verdict,
    warm_embedder,
)
from sqlalchemy import insert, update

from knowledge import Embedder, KnowledgeBase
from knowledge import schema as t
from knowledge.catalog import now_iso
from knowledge.upkeep import ensure_collection, sync_lexical, vector_metadata

TARGET_P95_MS = 200.0
TARGET_ADD_S = 2.0
TENANTS = (("trust-a", 0.6), ("trust-b", 0.3), ("shared", 0.1))
PER_DOC = 20
DIM = 384


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(path: Path) -> tuple[subprocess.Popen[bytes], str]:
    exe = Path(sys.executable).with_name("chroma")
    port = _free_port()
    proc = subprocess.Popen(
        [str(exe), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"ANONYMIZED_TELEMETRY": "False", "PATH": "/usr/bin:/bin"},
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("chroma server did not start")


def server_peak_mb(proc: subprocess.Popen[bytes]) -> float | None:
    try:
        for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1_048_576
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1_048_576


# -- building ----------------------------------------------------------------------------------


def documents(size: int, seed: int) -> list[tuple[str, int]]:
    """(tenant, passages) for each synthetic document."""
    rng = np.random.default_rng(seed)
    docs = size // PER_DOC
    names = [name for name, _ in TENANTS]
    shares = [share for _, share in TENANTS]
    return [(names[i], PER_DOC) for i in rng.choice(len(names), docs, p=shares)]


def build_catalog(kb: KnowledgeBase, size: int, seed: int) -> list[tuple[str, str, str, dict]]:
    """Write sources and passages in bulk; return (id, tenant, source, doc_id) per passage."""
    rng = np.random.default_rng(seed)
    sentences = corpus_sentences()
    rows: list[tuple[str, str, str, dict]] = []
    engine = kb.catalog.engine
    docs = documents(size, seed)
    with engine.begin() as conn:
        for start in range(0, len(docs), 2000):
            sources, chunks = [], []
            for number in range(start, min(start + 2000, len(docs))):
                tenant, count = docs[number]
                source = f"/synthetic/{tenant}/board-paper-{number:07d}.md"
                doc_id = hashlib.sha1(f"{tenant}\0{source}".encode()).hexdigest()[:16]
                tags = {"component": [str(number % 5 + 1)]}
                sources.append(
                    {
                        "tenant": tenant, "source": source, "doc_id": doc_id,
                        "title": f"Board paper {number}", "kind": "markdown",
                        "content_hash": doc_id * 4, "version": "0" * 64, "tags": tags,
                        "metadata": {"urls": []}, "chunks": count, "ingested_at": now_iso(),
                        "generation": 1,
                    }
                )  # fmt: skip
                for position in range(count):
                    picks = rng.choice(len(sentences), int(rng.integers(3, 6)), replace=False)
                    text = " ".join(sentences[i] for i in picks)
                    chunk_id = f"{doc_id}-{'0' * 12}-{position:05d}"
                    chunks.append(
                        {
                            "id": chunk_id, "doc_id": doc_id, "tenant": tenant,
                            "source": source, "position": position, "page": None,
                            "heading": [f"Section {position // 4 + 1}"], "text": text,
                            "index_text": f"Board paper {number}\n{text}",
                            "content_hash": chunk_id, "flagged": False, "flagged_spans": [],
                        }
                    )  # fmt: skip
                    rows.append((chunk_id, tenant, source, {"doc_id": doc_id, "tags": tags}))
            conn.execute(insert(t.sources), sources)
            conn.execute(insert(t.chunks), chunks)
        conn.execute(update(t.state).values(generation=1))
    return rows


def build_vectors(kb: KnowledgeBase, rows: list, seed: int) -> float:
    """Random unit vectors for every passage into the active collection; seconds taken."""
    rng = np.random.default_rng(seed)
    record = ensure_collection(kb.stores)
    start = time.perf_counter()
    for tenant, _ in TENANTS:
        # bulk `add` (no upsert lookups) straight into the tenant's collection, for the build only
        handle = kb.stores.collection(record, tenant, create=True)._collection
        mine = [r for r in rows if r[1] == tenant]
        for first in range(0, len(mine), 5000):
            part = mine[first : first + 5000]
            vectors = rng.normal(size=(len(part), DIM)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            handle.add(
                ids=[r[0] for r in part],
                embeddings=vectors,
                metadatas=[vector_metadata(r[1], r[2], r[3]["doc_id"], r[3]["tags"]) for r in part],
            )
    return time.perf_counter() - start


def one_document(folder: Path, n: int) -> Path:
    paragraphs = [
        f"Paragraph {p} of the new quality paper {n}: the ward {p} team tested a discharge "
        f"checklist over {p + 3} weeks, measured delays each day and shared the run chart at "
        "the improvement huddle, where the board's quality committee agreed the next cycle "
        "of testing with the patient safety lead and the matron. The team then compared "
        f"the {p + 3} weeks before and after the change, looked at readmissions and patient "
        "comments, and wrote up what it would keep, adapt or abandon for the next ward."
        for p in range(29)  # about 20 passages of 160 tokens
    ]
    path = folder / f"new-quality-paper-{n}.md"
    path.write_text(f"# New quality paper {n}\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    return path


def time_add(kb: KnowledgeBase, doc: Path) -> dict[str, float]:
    """Ingest one document; seconds end to end and per side, from the write's checkpoints.

    Floor for the vector side: embedding the same document's passages alone, afterwards.
    """
    marks: dict[str, float] = {}
    kb.stores.checkpoint = lambda name: marks.setdefault(name, time.perf_counter())
    start = time.perf_counter()
    report = kb.ingest([doc], tenant="trust-a")
    end = time.perf_counter()
    kb.stores.checkpoint = lambda name: None
    assert report.added and report.chunks_written >= PER_DOC - 2, report.chunks_written
    texts = [e.text for e in kb.search("discharge checklist ward", 40, tenant="trust-a")]
    texts = (texts * PER_DOC)[: report.chunks_written]
    encode_s, _ = timed(lambda: kb.embedder.embed_documents(texts))
    return {
        "encode_floor_s": encode_s,
        "total_s": end - start,
        "vector_side_s": marks["after-vectors"] - start,
        "catalog_s": marks["after-catalog"] - marks["after-vectors"],
        "lexical_s": marks["after-lexical"] - marks["before-lexical"],
        "passages": float(report.chunks_written),
    }


# -- timing ------------------------------------------------------------------------------------


def time_queries(
    kb: KnowledgeBase, embedder: Embedder, queries: Sequence[str], warmup: int, salt: str
) -> dict[str, list[float]]:
    """Milliseconds per call; every call embeds a string never embedded before (no cache).

    The raw floor is one unfiltered query of the largest collection (trust-a's).
    """
    record = kb.stores.active()
    assert record is not None
    collection = kb.stores.collection(record, "trust-a")

    def raw(q: str) -> float:
        vector = embedder.embed_query(q)  # outside the timer: the floor is the query alone
        began = time.perf_counter()
        collection.query(vector, 40)
        return (time.perf_counter() - began) * 1000

    def timed_ms(fn: Callable[[str], object], q: str) -> float:
        began = time.perf_counter()
        fn(q)
        return (time.perf_counter() - began) * 1000

    calls: dict[str, Callable[[str], float]] = {
        "hybrid": lambda q: timed_ms(lambda x: kb.search(x, 5, tenant="trust-a"), q),
        "encode": lambda q: timed_ms(embedder.embed_query, q),
        "raw chroma": raw,
    }
    times: dict[str, list[float]] = {name: [] for name in calls}
    names = list(calls)
    for n, query in enumerate(queries):
        for name in names[n % 3 :] + names[: n % 3]:
            elapsed = calls[name](f"{query} [{name} {salt}]")
            if n >= warmup:
                times[name].append(elapsed)
    return times


def bm25s_rebuild(kb: KnowledgeBase) -> float:
    """What adding one document cost in the previous release: tokenising and indexing all."""
    import bm25s
    import Stemmer

    texts = [row.text for row in kb.catalog.iter_index_rows()]
    start = time.perf_counter()
    tokens = bm25s.tokenize(
        texts, stopwords="en", stemmer=Stemmer.Stemmer("english"), show_progress=False
    )
    bm25s.BM25().index(tokens, show_progress=False)
    return time.perf_counter() - start


def run_size(
    size: int, modes: Sequence[str], embedder: Embedder, args: argparse.Namespace
) -> dict[str, Any]:
    queries = question_variants([g.question for g in load_gold()], args.queries + args.warmup)
    result: dict[str, Any] = {"size": size, "modes": {}}
    with tempfile.TemporaryDirectory(prefix=f"impact-scale-{size}-") as tmp:
        root = Path(tmp)
        data = root / "data"
        kb = KnowledgeBase(data, embedder)
        ensure_collection(kb.stores)  # the (empty) collection first: nothing to re-embed later
        catalog_s, rows = timed(lambda: build_catalog(kb, size, args.seed))
        lexical_s, _ = timed(lambda: sync_lexical(kb.stores))
        result["build_s"] = {"catalog": catalog_s, "lexical": lexical_s}
        print(f"  {size}: catalog {catalog_s:.0f} s, lexical index {lexical_s:.0f} s", flush=True)
        for mode in modes:
            server = None
            url = None
            if mode == "server":
                server, url = start_server(root / "chroma-server")
            try:
                mkb = KnowledgeBase(data, embedder, chroma_url=url)
                vectors_s = build_vectors(mkb, rows, args.seed)
                print(f"  {size} {mode}: vectors in {vectors_s:.0f} s; timing queries", flush=True)
                times = time_queries(mkb, embedder, queries, args.warmup, f"{size} {mode}")
                add = time_add(mkb, one_document(root, len(result["modes"])))
                result["modes"][mode] = {
                    "vectors_build_s": vectors_s,
                    "times": times,
                    "add": add,
                    "rss_now_mb": _rss_now_mb(),
                    "server_peak_mb": server_peak_mb(server) if server else None,
                    "chroma_disk_mb": size_mb(root / "chroma-server")
                    if server
                    else size_mb(data / "chroma"),
                }
                _progress(size, mode, result["modes"][mode])
            finally:
                if server is not None:
                    server.terminate()
                    server.wait(timeout=60)
        if not args.no_baseline:  # last: the figures above matter more if the run is cut short
            result["bm25s_rebuild_s"] = bm25s_rebuild(kb)
            print(f"  {size}: previous release's bm25s rebuild {result['bm25s_rebuild_s']:.0f} s")
        result["disk_mb"] = {
            "catalog": size_mb(data / "impact.sqlite3"),
            "lexical": size_mb(data / "lexical"),
        }
        result["peak_rss_mb"] = peak_rss_mb()
        shutil.rmtree(root, ignore_errors=True)
    return result


def _progress(size: int, mode: str, m: dict[str, Any]) -> None:
    """One line as soon as a mode is measured (a long run may be cut short later)."""
    p = {name: (percentile(v, 50), percentile(v, 95)) for name, v in m["times"].items()}
    add = {k: round(v, 3) for k, v in m["add"].items()}
    print(
        f"  {size} {mode}: hybrid p50/p95 {p['hybrid'][0]:.0f}/{p['hybrid'][1]:.0f} ms, encode "
        f"{p['encode'][0]:.0f}/{p['encode'][1]:.0f} ms, raw chroma {p['raw chroma'][0]:.0f}/"
        f"{p['raw chroma'][1]:.0f} ms; add one document {add}; RSS {m['rss_now_mb']:.0f} MB, "
        f"server peak {m['server_peak_mb']}, chroma disk {m['chroma_disk_mb']:.0f} MB",
        flush=True,
    )


def _rss_now_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# -- report ------------------------------------------------------------------------------------


def report(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    figures: dict[str, Any] = {"benchmark": "scale", "sizes": {}}
    verdicts: list[bool] = []
    for r in results:
        size = r["size"]
        rows = []
        out: dict[str, Any] = {
            "build_s": {k: round(v, 1) for k, v in r["build_s"].items()},
            "bm25s_rebuild_s": round(r.get("bm25s_rebuild_s", 0.0), 2) or None,
            "disk_mb": {k: round(v, 1) for k, v in r["disk_mb"].items()},
            "peak_rss_mb": round(r["peak_rss_mb"]),
            "modes": {},
        }
        for mode, m in r["modes"].items():
            p = {name: (percentile(v, 50), percentile(v, 95)) for name, v in m["times"].items()}
            add = m["add"]
            rows.append(
                (mode, *p["hybrid"], *p["encode"], *p["raw chroma"],
                 ratio(p["hybrid"][1], p["encode"][1] + p["raw chroma"][1]),
                 add["total_s"], add["vector_side_s"], add["encode_floor_s"], add["catalog_s"],
                 add["lexical_s"])
            )  # fmt: skip
            passed = None
            if size >= 1_000_000:
                passed = p["hybrid"][1] <= TARGET_P95_MS and add["total_s"] <= TARGET_ADD_S
                verdicts.append(passed)
            out["modes"][mode] = {
                "hybrid_ms": [round(x, 1) for x in p["hybrid"]],
                "encode_ms": [round(x, 1) for x in p["encode"]],
                "raw_chroma_ms": [round(x, 1) for x in p["raw chroma"]],
                "add_one_doc_s": {k: round(v, 3) for k, v in add.items()},
                "vectors_build_s": round(m["vectors_build_s"], 1),
                "chroma_disk_mb": round(m["chroma_disk_mb"], 1),
                "rss_serving_mb": round(m["rss_now_mb"]),
                "server_peak_mb": None if m["server_peak_mb"] is None else round(m["server_peak_mb"]),
                "pass": passed,
            }  # fmt: skip
        print_table(
            f"{size} passages: latency p50/p95 in ms (ratio = hybrid p95 / (encode p95 + raw "
            "Chroma p95)); adding one 20-passage document in s (floor: encoding its passages)",
            ["chroma", "hybrid p50", "p95", "encode p50", "p95", "raw chroma p50", "p95",
             "p95 ratio", "add total", "vector side", "encode floor", "catalog", "lexical"],
            rows,
        )  # fmt: skip
        print(
            f"build: catalog {r['build_s']['catalog']:.0f} s, lexical {r['build_s']['lexical']:.0f}"
            f" s; previous release's full bm25s rebuild (what every add cost): "
            f"{r.get('bm25s_rebuild_s', float('nan')):.1f} s; disk MB {out['disk_mb']}, "
            f"chroma {[round(m['chroma_disk_mb']) for m in r['modes'].values()]}; peak RSS "
            f"{out['peak_rss_mb']} MB"
        )
        if size >= 1_000_000:
            for mode, m in out["modes"].items():
                print(
                    f"{mode}: hybrid p95 {m['hybrid_ms'][1]} ms <= {TARGET_P95_MS:.0f} and add "
                    f"{m['add_one_doc_s']['total_s']} s <= {TARGET_ADD_S:.0f}: "
                    f"{verdict(bool(m['pass']))}"
                )
        figures["sizes"][str(size)] = out
    figures["pass"] = all(verdicts) if verdicts else None
    return figures


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--modes", default="embedded,server")
    parser.add_argument("--queries", type=int, default=120)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-baseline", action="store_true", help="skip the bm25s rebuild")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    embedder = warm_embedder()
    load_start = load_average()
    results = [run_size(size, modes, embedder, args) for size in sizes]
    figures = report(results)
    load = [load_start, load_average()]
    print_load(*load)
    emit_json({**figures, "load_avg": load})


if __name__ == "__main__":
    main()
