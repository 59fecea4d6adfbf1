"""Is an int8-quantised ONNX model good enough? Retrieval quality and speed against the fp32 export.

The bundled model's fp32 ONNX export (the default embedder) is quantised with onnxruntime's
dynamic int8 quantisation (what IMPACT_EMBEDDING_QUANTIZED=true does) in a temporary folder. Each model indexes the bundled pack in a fresh
knowledge base; the gold questions are scored with retrieval.py's machinery (hit@1 and hit@5 from
a k=5 search, MRR over a k=10 search) for dense and hybrid search. Also: file size, session load
time, query-embedding p50/p95 and the largest vector difference from fp32. Rule from the issue:
keep int8 only if hybrid and dense hit@5 and MRR stay within 1 point (0.01) of fp32.

    .venv/bin/python benchmarks/quantized.py [--queries 200]

It prints tables and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from _common import (
    emit_json,
    load_average,
    load_gold,
    percentile,
    print_load,
    print_table,
    question_variants,
    temp_kb,
    timed,
    verdict,
)
from retrieval import Scores, evaluate, kb_search

from knowledge import Embedder

MAX_DROP = 0.01  # one point of hit@5 or MRR


def query_times(embedder: Embedder, queries: Sequence[str]) -> list[float]:
    times = []
    for query in queries:
        start = time.perf_counter()
        embedder.embed_query(query)
        times.append((time.perf_counter() - start) * 1000)
    return times[10:]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=200, help="timed query embeddings")
    args = parser.parse_args(argv)

    gold = load_gold()
    questions = [item.question for item in gold]
    reference = Embedder(cache=False).load()
    load_start = load_average()
    with tempfile.TemporaryDirectory(prefix="impact-int8-") as tmp:
        fp32_export = reference.export().folder
        shutil.copytree(fp32_export, Path(tmp) / fp32_export.name)  # the same fp32 export...
        int8 = Embedder(onnx_dir=Path(tmp), cache=False, quantized=True)
        quant_s, _ = timed(int8.export)  # ...quantised beside it, as the setting does
        models = {"fp32": reference.onnx_dir, "int8": Path(tmp)}
        rows, figures = [], {}
        for name, onnx_dir in models.items():
            quantized = name == "int8"
            embedder = Embedder(onnx_dir=onnx_dir, cache=False, quantized=quantized)
            load_s, _ = timed(embedder.load)
            path = embedder.export().int8_path if quantized else embedder.export().path
            assert path is not None
            embedder.embed_documents(["warm-up"] * 4)
            with temp_kb(embedder) as kb:
                ingest_s, _ = timed(kb.ingest_bundled)
                scores: dict[str, Scores] = {
                    mode: evaluate(kb_search(kb, mode), gold)[0] for mode in ("dense", "hybrid")
                }
            times = query_times(embedder, question_variants(questions, args.queries + 10))
            gap = float(
                np.abs(
                    embedder.embed_documents(questions) - reference.embed_documents(questions)
                ).max()
            )
            figures[name] = {
                "mb": round(path.stat().st_size / 1_048_576, 1),
                "load_s": round(load_s, 3),
                "ingest_bundled_s": round(ingest_s, 2),
                "query_p50_ms": round(percentile(times, 50), 2),
                "query_p95_ms": round(percentile(times, 95), 2),
                "max_abs_diff_vs_fp32": gap,
                **{mode: s.as_dict() for mode, s in scores.items()},
            }
            for mode, s in scores.items():
                rows.append((name, mode, s.hit1, s.hit5, s.mrr))
    print_table(
        f"Retrieval on {len(gold)} gold questions",
        ["model", "search", "hit@1", "hit@5", "MRR"],
        rows,
    )
    print_table(
        "Size and speed",
        ["model", "MiB", "load s", "query p50 ms", "query p95 ms", "max |diff| vs fp32"],
        [
            (n, f["mb"], f["load_s"], f["query_p50_ms"], f["query_p95_ms"], f["max_abs_diff_vs_fp32"])
            for n, f in figures.items()
        ],
    )  # fmt: skip
    drops = {
        f"{mode}_{metric}": round(figures["fp32"][mode][metric] - figures["int8"][mode][metric], 4)
        for mode in ("dense", "hybrid")
        for metric in ("hit5", "mrr")
    }
    keep = all(drop <= MAX_DROP for drop in drops.values())
    print(f"\nquantisation took {quant_s:.1f} s; drops vs fp32: {drops}")
    print(f"int8 within {MAX_DROP:.2f} of fp32 on hit@5 and MRR: {verdict(keep)}")
    load = [load_start, load_average()]
    print_load(*load)
    emit_json(
        {"benchmark": "quantized", "questions": len(gold), **figures, "drops": drops,
         "max_drop": MAX_DROP, "keep_int8": keep, "load_avg": load}
    )  # fmt: skip


if __name__ == "__main__":
    main()
