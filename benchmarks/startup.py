"""Start-up and memory: `impact` in a new process on ONNX Runtime, against the import floor and torch.

New processes (best and median of --rounds, the commands taking turns each round, spawned by a
small runner process): wall time from spawn to exit and peak resident memory (os.wait4) of
`impact --help`, `impact sources`,
`impact search`, `impact ask` (the bundled pack indexed in a temporary data directory) and, as
"today", `impact ask` on the torch embedder. The floor, in the same rounds, is a process that only
runs `import chromadb, onnxruntime, tokenizers`: what answering must import anyway. `impact ask`
and `impact search` leave without the interpreter's teardown once their output is flushed; a
second floor that does the same (`os._exit`) gives the stricter ratio, printed beside the target.

Each embedder in processes of its own (two each, taking turns; two runtimes' thread pools in one
process would slow each other): ONNX as the CLI's question commands run it (threads spin between
steps: `onnx-spin`, the setting the query target is checked on) and as the API server and ingest
run it (threads sleep: `onnx`), and torch. Query-embedding p50/p95 (query cache off) and ingest throughput
(the bundled pack into a fresh knowledge base, best of --repeats). Last, serving processes (three
per embedder, taking turns; medians reported) build the knowledge base and answerer from settings,
answer three questions and report their resident memory (VmRSS) and peak (VmHWM). Linux only
(/proc, os.wait4).

Targets (issue 7): `impact ask` <= 1.5 x the floor; ONNX query p95 <= 10 ms; ONNX ingest chunks/s
>= torch's; serving resident memory at least 300 MB below torch's.

    .venv/bin/python benchmarks/startup.py [--rounds 5] [--queries 200] [--repeats 2]

It prints tables and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import (
    emit_json,
    load_average,
    load_gold,
    percentile,
    print_load,
    print_table,
    question_variants,
    ratio,
    temp_kb,
    verdict,
    warm_embedder,
)

from assistant.deps import make_embedder, open_knowledge_base
from assistant.settings import load_settings
from knowledge import Embedder

TARGET_ASK_VS_FLOOR = 1.5
TARGET_QUERY_P95_MS = 10.0
TARGET_RSS_SAVING_MB = 300.0
QUESTION = "What are the five components of NHS IMPACT?"
SEARCH = "how do boards use the maturity matrix"

# The new processes are spawned by a small runner: a child's peak RSS (ru_maxrss) starts from its
# parent's resident size at fork, so a parent holding a model would inflate every figure.
_RUNNER = """
import json, os, subprocess, sys, tempfile, time
commands, rounds = json.loads(sys.stdin.read()), int(sys.argv[1])
found = {c["key"]: {"seconds": [], "peak_mb": []} for c in commands}
def run(c):
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(c["argv"], env=c["env"], stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            sys.exit(c["key"] + " failed: " + errors.read().decode()[-400:])
    return elapsed, usage.ru_maxrss / 1024
for c in commands:
    run(c)  # untimed: warm the file cache for every command
for n in range(rounds):
    for c in commands[n % len(commands):] + commands[:n % len(commands)]:
        seconds, peak = run(c)
        found[c["key"]]["seconds"].append(seconds)
        found[c["key"]]["peak_mb"].append(peak)
print(json.dumps(found))
"""


def impact_command() -> list[str]:
    script = Path(sys.executable).parent / "impact"
    return [str(script)] if script.exists() else [sys.executable, "-m", "assistant.cli"]


@dataclass
class Spawned:
    label: str
    seconds: list[float]
    peak_mb: list[float]

    @property
    def best(self) -> float:
        return min(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return statistics.median(self.peak_mb)


def new_processes(env: dict[str, str], rounds: int) -> dict[str, Spawned]:
    """Wall time and peak memory of each command in new processes, the commands taking turns."""
    impact = impact_command()
    torch_env = {**env, "IMPACT_EMBEDDING_BACKEND": "torch"}
    commands = [
        ("floor", "floor: import chromadb, onnxruntime, tokenizers",
         [sys.executable, "-c", "import chromadb, onnxruntime, tokenizers"], env),
        ("floor_exit", "floor, leaving without teardown (as ask, search)",
         [sys.executable, "-c", "import chromadb, onnxruntime, tokenizers, os; os._exit(0)"], env),
        ("help", "impact --help", [*impact, "--help"], env),
        ("sources", "impact sources", [*impact, "sources"], env),
        ("search", "impact search", [*impact, "search", SEARCH], env),
        ("ask", "impact ask", [*impact, "ask", QUESTION], env),
        ("ask_torch", "impact ask (torch embedder: today)", [*impact, "ask", QUESTION], torch_env),
    ]  # fmt: skip
    payload = [{"key": k, "argv": argv, "env": e} for k, _, argv, e in commands]
    proc = subprocess.run(
        [sys.executable, "-c", _RUNNER, str(rounds)],
        input=json.dumps(payload), capture_output=True, text=True,
    )  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-800:])
    found = json.loads(proc.stdout)
    return {k: Spawned(label, **found[k]) for k, label, _, _ in commands}


def embedder_child(backend: str, queries: list[str], repeats: int) -> dict[str, Any]:
    """In a process of its own: query-embedding times (cache off) and ingest of the pack."""
    # "onnx-spin": as the CLI's question commands embed (ONNX Runtime's threads spin between
    # steps); "onnx": as the API server and ingest do (threads sleep between steps).
    spin = backend == "onnx-spin"
    embedder = warm_embedder(
        Embedder(backend=backend.removesuffix("-spin"), cache=False, spin=spin)
    )
    times = []
    for n, query in enumerate(queries):
        start = time.perf_counter()
        embedder.embed_query(query)
        if n >= 10:
            times.append((time.perf_counter() - start) * 1000)
    best = None
    for _ in range(repeats):
        with temp_kb(embedder, prefix=f"impact-bench-startup-{backend}-") as kb:
            start = time.perf_counter()
            kb.ingest_bundled()
            seconds = time.perf_counter() - start
            chunks = kb.stats()["chunks"]
        best = seconds if best is None else min(best, seconds)
    return {"query_ms": times, "chunks": chunks, "ingest_s": best}


def serving_child() -> dict[str, Any]:
    """A serving process: knowledge base and answerer built from settings, three answers given."""
    from assistant.deps import make_answerer

    settings = load_settings()
    answerer = make_answerer(settings, open_knowledge_base(settings))
    for item in load_gold()[:3]:
        answerer.answer(item.question)
    status = Path("/proc/self/status").read_text().splitlines()
    kib = {line.split(":")[0]: int(line.split()[1]) for line in status if line.startswith("Vm")}
    return {"rss_mb": kib["VmRSS"] / 1024, "peak_mb": kib["VmHWM"] / 1024,
            "torch": "torch" in sys.modules}  # fmt: skip


def child(mode: str, env: dict[str, str], *args: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", mode, *args], env=env, capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise SystemExit(f"{mode} child failed: {proc.stderr[-800:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed new processes per command")
    parser.add_argument("--queries", type=int, default=200, help="timed query embeddings each")
    parser.add_argument("--repeats", type=int, default=2, help="ingests of the pack each")
    parser.add_argument("--child", choices=("embed", "serve"), help=argparse.SUPPRESS)
    parser.add_argument("--backend", default="onnx", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "embed":
        questions = [item.question for item in load_gold()]
        queries = question_variants(questions, args.queries + 10)
        print(json.dumps(embedder_child(args.backend, queries, args.repeats)))
        return
    if args.child == "serve":
        print(json.dumps(serving_child()))
        return

    load_start = load_average()
    data = Path(tempfile.mkdtemp(prefix="impact-bench-startup-"))
    env = {**os.environ, "IMPACT_DATA_DIR": str(data)}
    try:
        os.environ["IMPACT_DATA_DIR"] = str(data)
        settings = load_settings()
        onnx = make_embedder(settings).load()  # exports once if needed, before any timing
        export = onnx.export()
        print(f"ONNX export: {export.path} (made in {export.exported_with.get('seconds')} s)")
        kb = open_knowledge_base(settings, onnx)
        kb.ingest_bundled()
        print(f"indexed the bundled pack in {data}: {kb.stats()['chunks']} passages")
        kb.close()

        spawned = new_processes(env, args.rounds)
        backends = ["onnx", "onnx-spin", "torch"]
        runs: dict[str, list[dict[str, Any]]] = {b: [] for b in backends}
        for n in range(2):  # each embedder in processes of its own, taking turns
            for backend in backends[n:] + backends[:n]:
                runs[backend].append(
                    child("embed", env, "--backend", backend, "--queries", str(args.queries),
                          "--repeats", str(args.repeats))
                )  # fmt: skip
        # Three serving processes per embedder, taking turns; the median of each figure (one
        # process's resident memory moves by 10-20 MB from run to run).
        served: dict[str, list[dict[str, Any]]] = {"onnx": [], "torch": []}
        for _ in range(3):
            for name, backend in (("onnx", "auto"), ("torch", "torch")):
                served[name].append(child("serve", {**env, "IMPACT_EMBEDDING_BACKEND": backend}))
        memory = {
            name: {
                "rss_mb": statistics.median(r["rss_mb"] for r in samples),
                "peak_mb": statistics.median(r["peak_mb"] for r in samples),
                "torch": any(r["torch"] for r in samples),
            }
            for name, samples in served.items()
        }
    finally:
        shutil.rmtree(data, ignore_errors=True)
    times = {b: [t for r in runs[b] for t in r["query_ms"]] for b in backends}
    ingest = {b: (runs[b][0]["chunks"], min(r["ingest_s"] for r in runs[b])) for b in backends}

    floor = spawned["floor"]
    print_table(
        f"New processes ({args.rounds} rounds; ratio = median / floor median)",
        ["command", "best s", "median s", "ratio", "peak RSS MiB"],
        [(s.label, s.best, s.median, ratio(s.median, floor.median), s.peak) for s in spawned.values()],
    )  # fmt: skip
    p = {name: (percentile(t, 50), percentile(t, 95)) for name, t in times.items()}
    cps = {name: chunks / seconds for name, (chunks, seconds) in ingest.items()}
    print_table(
        "Embedders, each in processes of its own (query cache off; ingest: the bundled pack)",
        ["embedder", "query p50 ms", "query p95 ms", "ingest chunks/s", "chunks"],
        [(n, p[n][0], p[n][1], cps[n], ingest[n][0]) for n in backends],
    )
    print_table(
        "Serving process after 3 answers (MiB, median of 3 processes)",
        ["embedder", "resident", "peak", "torch imported"],
        [(n, m["rss_mb"], m["peak_mb"], str(m["torch"])) for n, m in memory.items()],
    )
    ask_ratio = ratio(spawned["ask"].median, floor.median) or 0.0
    strict_ratio = ratio(spawned["ask"].median, spawned["floor_exit"].median) or 0.0
    saving = memory["torch"]["rss_mb"] - memory["onnx"]["rss_mb"]
    checks = {
        "ask_vs_floor": ask_ratio <= TARGET_ASK_VS_FLOOR,
        "query_p95": p["onnx-spin"][1] <= TARGET_QUERY_P95_MS,
        "ingest": cps["onnx"] >= cps["torch"],
        "serving_rss": saving >= TARGET_RSS_SAVING_MB,
    }
    print(
        f"\nimpact ask {ask_ratio:.2f} x floor (<= {TARGET_ASK_VS_FLOOR}): {verdict(checks['ask_vs_floor'])}"
        f"\n  (stricter: {strict_ratio:.2f} x a floor that also skips the interpreter's teardown)"
        f"\nONNX query p95 {p['onnx-spin'][1]:.1f} ms as the CLI embeds (<= {TARGET_QUERY_P95_MS:.0f}): {verdict(checks['query_p95'])}"
        f"\n  ({p['onnx'][1]:.1f} ms as the API server embeds: its threads sleep between steps)"
        f"\nONNX ingest {cps['onnx']:.0f} chunks/s vs torch {cps['torch']:.0f}: {verdict(checks['ingest'])}"
        f"\nserving RSS {saving:.0f} MB lower (>= {TARGET_RSS_SAVING_MB:.0f}): {verdict(checks['serving_rss'])}"
    )  # fmt: skip
    load = [load_start, load_average()]
    print_load(*load)
    emit_json(
        {
            "benchmark": "startup",
            "rounds": args.rounds,
            "new_process": {
                k: {"best_s": round(s.best, 3), "median_s": round(s.median, 3),
                    "vs_floor": ratio(s.median, floor.median), "peak_mb": round(s.peak, 1)}
                for k, s in spawned.items()
            },
            "query_ms": {n: {"p50": round(a, 2), "p95": round(b, 2)} for n, (a, b) in p.items()},
            "ingest_chunks_per_s": {n: round(v, 1) for n, v in cps.items()},
            "serving_mb": {n: {k: v if isinstance(v, bool) else round(v, 1) for k, v in m.items()}
                           for n, m in memory.items()},
            "serving_saving_mb": round(saving, 1),
            "targets": {"ask_vs_floor": TARGET_ASK_VS_FLOOR, "query_p95_ms": TARGET_QUERY_P95_MS,
                        "serving_saving_mb": TARGET_RSS_SAVING_MB},
            "pass": checks,
            "ask_vs_floor_without_teardown": strict_ratio,
            "load_avg": load,
        }
    )  # fmt: skip


if __name__ == "__main__":
    main()
