"""Start-up and memory: `impact` in a new process on ONNX Runtime, against the import floor and torch.

New processes (best and median of --rounds, the commands taking turns each round): wall time from
spawn to exit and peak resident memory (os.wait4) of `impact --help`, `impact sources`,
`impact search`, `impact ask` (the bundled pack indexed in a temporary data directory) and, as
"today", `impact ask` on the torch embedder. The floor, in the same rounds, is a process that only
runs `import chromadb, onnxruntime, tokenizers`: what answering must import anyway.

In this process, for both embedders: query-embedding p50/p95 (query cache off, the backends
taking turns per query) and ingest throughput (the bundled pack into a fresh knowledge base, best
of --repeats). Last, a serving process per embedder loads the knowledge base, answers three
questions and reports its resident memory.

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
from dataclasses import dataclass, field
from pathlib import Path

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
)

from assistant.deps import make_embedder, open_knowledge_base
from assistant.settings import load_settings
from knowledge import Embedder

TARGET_ASK_VS_FLOOR = 1.5
TARGET_QUERY_P95_MS = 10.0
TARGET_RSS_SAVING_MB = 300.0
QUESTION = "What are the five components of NHS IMPACT?"
SEARCH = "how do boards use the maturity matrix"

_SERVE = """
import json, resource, sys
from assistant.deps import make_answerer, open_knowledge_base
from assistant.settings import apply_offline_environment, load_settings
apply_offline_environment()
settings = load_settings()
kb = open_knowledge_base(settings)
answerer = make_answerer(settings, kb)
for question in json.loads(sys.argv[1]):
    answerer.answer(question)
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS:"))
print(json.dumps({"rss_mb": rss / 1024, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "torch": "torch" in sys.modules}))
"""


def impact_command() -> list[str]:
    script = Path(sys.executable).parent / "impact"
    return [str(script)] if script.exists() else [sys.executable, "-m", "assistant.cli"]


@dataclass
class Spawned:
    label: str
    argv: list[str]
    env: dict[str, str]
    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)

    def run(self) -> None:
        with tempfile.TemporaryFile() as errors:
            start = time.perf_counter()
            proc = subprocess.Popen(
                self.argv, env=self.env, stdout=subprocess.DEVNULL, stderr=errors
            )
            _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak memory
            elapsed = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode != 0:
                errors.seek(0)
                raise SystemExit(f"{self.label} failed: {errors.read().decode()[-400:]}")
        self.seconds.append(elapsed)
        self.peak_mb.append(usage.ru_maxrss / 1024)

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
    impact = impact_command()
    torch_env = {**env, "IMPACT_EMBEDDING_BACKEND": "torch"}
    runs = {
        "floor": Spawned(
            "floor: import chromadb, onnxruntime, tokenizers",
            [sys.executable, "-c", "import chromadb, onnxruntime, tokenizers"],
            env,
        ),
        "help": Spawned("impact --help", [*impact, "--help"], env),
        "sources": Spawned("impact sources", [*impact, "sources"], env),
        "search": Spawned("impact search", [*impact, "search", SEARCH], env),
        "ask": Spawned("impact ask", [*impact, "ask", QUESTION], env),
        "ask_torch": Spawned("impact ask (torch embedder: today)", [*impact, "ask", QUESTION], torch_env),
    }  # fmt: skip
    for spawned in runs.values():  # untimed: warm the file cache for every command
        spawned.run()
        spawned.seconds.clear()
        spawned.peak_mb.clear()
    for n in range(rounds):
        order = list(runs.values())
        for spawned in order[n % len(order) :] + order[: n % len(order)]:
            spawned.run()
    return runs


def query_latency(embedders: dict[str, Embedder], queries: Sequence[str]) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in embedders}
    names = list(embedders)
    for n, query in enumerate(queries):
        for name in names[n % 2 :] + names[: n % 2]:
            start = time.perf_counter()
            embedders[name].embed_query(query)
            if n >= 10:
                times[name].append((time.perf_counter() - start) * 1000)
    return times


def ingest_rate(embedders: dict[str, Embedder], repeats: int) -> dict[str, tuple[int, float]]:
    """(chunks, best seconds) of indexing the bundled pack, per embedder."""
    best: dict[str, tuple[int, float]] = {}
    for _ in range(repeats):
        for name, embedder in embedders.items():
            with temp_kb(embedder, prefix=f"impact-bench-startup-{name}-") as kb:
                start = time.perf_counter()
                kb.ingest_bundled()
                seconds = time.perf_counter() - start
                chunks = kb.stats()["chunks"]
            if name not in best or seconds < best[name][1]:
                best[name] = (chunks, seconds)
    return best


def serving_memory(env: dict[str, str], questions: list[str]) -> dict[str, dict[str, float]]:
    found = {}
    for name, backend in (("onnx", "auto"), ("torch", "torch")):
        proc = subprocess.run(
            [sys.executable, "-c", _SERVE, json.dumps(questions)],
            env={**env, "IMPACT_EMBEDDING_BACKEND": backend},
            capture_output=True,
            text=True,
            check=True,
        )
        found[name] = json.loads(proc.stdout.strip().splitlines()[-1])
    return found


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed new processes per command")
    parser.add_argument("--queries", type=int, default=200, help="timed query embeddings each")
    parser.add_argument("--repeats", type=int, default=2, help="ingests of the pack each")
    args = parser.parse_args(argv)

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
        torch_embedder = Embedder(backend="torch", cache=False).load()
        embedders = {"onnx": Embedder(onnx_dir=settings.onnx_dir, cache=False).load(),
                     "torch": torch_embedder}  # fmt: skip
        questions = [item.question for item in load_gold()]
        times = query_latency(embedders, question_variants(questions, args.queries + 10))
        ingest = ingest_rate(embedders, args.repeats)
        memory = serving_memory(env, questions[:3])
    finally:
        shutil.rmtree(data, ignore_errors=True)

    floor = spawned["floor"]
    print_table(
        f"New processes ({args.rounds} rounds; ratio = median / floor median)",
        ["command", "best s", "median s", "ratio", "peak RSS MiB"],
        [(s.label, s.best, s.median, ratio(s.median, floor.median), s.peak) for s in spawned.values()],
    )  # fmt: skip
    p = {name: (percentile(t, 50), percentile(t, 95)) for name, t in times.items()}
    cps = {name: chunks / seconds for name, (chunks, seconds) in ingest.items()}
    print_table(
        "Embedders in this process (query cache off)",
        ["embedder", "query p50 ms", "query p95 ms", "ingest chunks/s", "chunks"],
        [(n, p[n][0], p[n][1], cps[n], ingest[n][0]) for n in embedders],
    )
    print_table(
        "Serving process after 3 answers (MiB)",
        ["embedder", "resident", "peak", "torch imported"],
        [(n, m["rss_mb"], m["peak_mb"], str(m["torch"])) for n, m in memory.items()],
    )
    ask_ratio = ratio(spawned["ask"].median, floor.median) or 0.0
    saving = memory["torch"]["rss_mb"] - memory["onnx"]["rss_mb"]
    checks = {
        "ask_vs_floor": ask_ratio <= TARGET_ASK_VS_FLOOR,
        "query_p95": p["onnx"][1] <= TARGET_QUERY_P95_MS,
        "ingest": cps["onnx"] >= cps["torch"],
        "serving_rss": saving >= TARGET_RSS_SAVING_MB,
    }
    print(
        f"\nimpact ask {ask_ratio:.2f} x floor (<= {TARGET_ASK_VS_FLOOR}): {verdict(checks['ask_vs_floor'])}"
        f"\nONNX query p95 {p['onnx'][1]:.1f} ms (<= {TARGET_QUERY_P95_MS:.0f}): {verdict(checks['query_p95'])}"
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
            "load_avg": load,
        }
    )  # fmt: skip


if __name__ == "__main__":
    main()
