"""The HTTP API's cost over answering in-process, its behaviour under concurrent clients, and SSE.

A fresh index of the bundled pack in a temporary directory; `uvicorn api.app:app_factory` on a
free loopback port in its own process (offline mode, no LLM, rate limit out of the way); one
reader key. Then, in the same run:

1. Overhead at 1 client: for each gold question, `Answerer(kb).answer(q)` in this process and
   `POST /v1/ask` over HTTP (a new conversation each, so the server also stores it), alternating
   which goes first. Each process sees each question for the first time, so both embed it.
   Target: mean HTTP latency <= 1.10 x in-process.
2. Concurrency: 1, 8 and 32 clients (threads, one HTTP connection each) asking in a loop for a
   bounded time and count: throughput, p50/p95 latency, errors. Target: no errors at 32.
3. Server-sent events: time to the first event (`meta`), to the first `token` and to `done`
   with Accept: text/event-stream, against the in-process answer time. Target: first event
   <= 300 ms (p95).

    .venv/bin/python benchmarks/api.py [--questions 30] [--seconds 20] [--max-requests 400]

Prints tables and ends with one JSON line. Timings are noisy when other work loads the machine.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from _common import (
    emit_json,
    load_average,
    load_gold,
    percentile,
    print_load,
    print_table,
    ratio,
    verdict,
    warm_embedder,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.database import open_engine  # noqa: E402
from api.keys import KeyStore  # noqa: E402
from assistant.answering import Answerer  # noqa: E402
from assistant.settings import load_settings  # noqa: E402
from knowledge import KnowledgeBase  # noqa: E402

TARGET_OVERHEAD = 0.10
TARGET_FIRST_EVENT_MS = 300.0
CLIENTS = (1, 8, 32)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(data_dir: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMPACT_")} | {
        "IMPACT_DATA_DIR": str(data_dir),
        "IMPACT_API_RATE_LIMIT": "1000000/minute",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "api.app:app_factory", "--factory", "--host",
         "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited: {log.read_text()[-1500:]}")
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start in 180 s")


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def overhead(
    answerer: Answerer, client: httpx.Client, key: str, questions: list[str]
) -> dict[str, float]:
    local, remote = [], []
    for i, question in enumerate(questions):

        def in_process(q: str = question) -> None:
            started = time.perf_counter()
            answerer.answer(q)
            local.append(time.perf_counter() - started)

        def over_http(q: str = question) -> None:
            started = time.perf_counter()
            response = client.post("/v1/ask", json={"question": q}, headers=auth(key))
            response.raise_for_status()
            remote.append(time.perf_counter() - started)

        for step in (in_process, over_http) if i % 2 == 0 else (over_http, in_process):
            step()
    mean_local, mean_remote = sum(local) / len(local), sum(remote) / len(remote)
    return {
        "in_process_mean_ms": ms(mean_local),
        "in_process_p50_ms": ms(percentile(local, 50)),
        "in_process_p95_ms": ms(percentile(local, 95)),
        "http_mean_ms": ms(mean_remote),
        "http_p50_ms": ms(percentile(remote, 50)),
        "http_p95_ms": ms(percentile(remote, 95)),
        "overhead": round(mean_remote / mean_local - 1, 3),
    }


def concurrency(
    url: str, key: str, questions: list[str], clients: int, seconds: float, max_requests: int
) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    counter = iter(range(max_requests))

    def worker(offset: int) -> None:
        with httpx.Client(base_url=url, timeout=120) as http:
            for n in counter:
                if time.monotonic() > deadline:
                    return
                question = questions[(offset + n) % len(questions)]
                started = time.perf_counter()
                try:
                    response = http.post("/v1/ask", json={"question": question}, headers=auth(key))
                    ok = response.status_code == 200
                    detail = f"HTTP {response.status_code}"
                except httpx.HTTPError as exc:
                    ok, detail = False, type(exc).__name__
                with lock:
                    if ok:
                        latencies.append(time.perf_counter() - started)
                    else:
                        errors.append(detail)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "requests": len(latencies) + len(errors),
        "errors": len(errors),
        "error_kinds": {kind: errors.count(kind) for kind in sorted(set(errors))},
        "throughput_rps": round(len(latencies) / elapsed, 2),
        "p50_ms": ms(percentile(latencies, 50)),
        "p95_ms": ms(percentile(latencies, 95)),
    }


def sse_timings(client: httpx.Client, key: str, questions: list[str]) -> dict[str, float]:
    first_event, first_token, done = [], [], []
    headers = {**auth(key), "Accept": "text/event-stream"}
    for question in questions:
        started = time.perf_counter()
        marks: dict[str, float] = {}
        with client.stream("POST", "/v1/ask", json={"question": question}, headers=headers) as r:
            r.raise_for_status()
            for line in r.iter_lines():
                if line.startswith("event: "):
                    name = line[7:]
                    marks.setdefault("first", time.perf_counter() - started)
                    if name == "token":
                        marks.setdefault("token", time.perf_counter() - started)
                    if name == "done":
                        marks["done"] = time.perf_counter() - started
        first_event.append(marks["first"])
        first_token.append(marks.get("token", marks["done"]))
        done.append(marks["done"])
    return {
        "first_event_p50_ms": ms(percentile(first_event, 50)),
        "first_event_p95_ms": ms(percentile(first_event, 95)),
        "first_token_p50_ms": ms(percentile(first_token, 50)),
        "first_token_p95_ms": ms(percentile(first_token, 95)),
        "done_p50_ms": ms(percentile(done, 50)),
    }


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=30, help="gold questions per pass")
    parser.add_argument("--seconds", type=float, default=20.0, help="time per concurrency level")
    parser.add_argument("--max-requests", type=int, default=400, help="requests per level, at most")
    args = parser.parse_args()
    load_start = load_average()
    questions = [item.question for item in load_gold()]
    timed_questions = questions[: args.questions]
    embedder = warm_embedder()
    with tempfile.TemporaryDirectory(prefix="impact-bench-api-") as tmp:
        data_dir = Path(tmp) / "data"
        kb = KnowledgeBase(data_dir, embedder)
        kb.ingest_bundled()
        answerer = Answerer(kb)
        answerer.answer("What is NHS IMPACT?")  # warm this process as the server warms itself
        _, key = KeyStore(open_engine(load_settings(data_dir=data_dir))).create("bench", "reader")
        process, url = start_server(data_dir, Path(tmp) / "server.log")
        try:
            with httpx.Client(base_url=url, timeout=120) as client:
                client.post("/v1/ask", json={"question": "What is NHS IMPACT?"}, headers=auth(key))
                over = overhead(answerer, client, key, timed_questions)
                levels = [
                    concurrency(url, key, questions, n, args.seconds, args.max_requests)
                    for n in CLIENTS
                ]
                sse = sse_timings(client, key, questions[-args.questions :])
        finally:
            process.terminate()
            process.wait(timeout=20)
            kb.close()
            server_errors = [
                line
                for line in (Path(tmp) / "server.log").read_text(errors="replace").splitlines()
                if '"status": 5' in line or "Traceback" in line or "Error" in line
            ]

    print_table(
        f"1 client, {len(timed_questions)} questions, alternating (ms)",
        ["path", "mean", "p50", "p95"],
        [
            ["in-process answer()", over["in_process_mean_ms"], over["in_process_p50_ms"],
             over["in_process_p95_ms"]],
            ["POST /v1/ask over HTTP", over["http_mean_ms"], over["http_p50_ms"],
             over["http_p95_ms"]],
        ],
    )  # fmt: skip
    for r in levels:
        if r["errors"]:
            print(f"errors at {r['clients']} clients: {r['error_kinds']}")
    for line in server_errors[:10]:
        print("server:", line[:300])
    print_table(
        f"concurrent clients ({args.seconds:g} s or {args.max_requests} requests per level)",
        ["clients", "requests", "errors", "req/s", "p50 ms", "p95 ms"],
        [[r["clients"], r["requests"], r["errors"], r["throughput_rps"], r["p50_ms"], r["p95_ms"]]
         for r in levels],
    )  # fmt: skip
    print_table(
        "server-sent events, 1 client (ms from the request)",
        ["measure", "p50", "p95"],
        [
            ["first event (meta)", sse["first_event_p50_ms"], sse["first_event_p95_ms"]],
            ["first token event", sse["first_token_p50_ms"], sse["first_token_p95_ms"]],
            ["done (with citations)", sse["done_p50_ms"], None],
        ],
    )
    ok_overhead = over["overhead"] <= TARGET_OVERHEAD
    ok_errors = levels[-1]["errors"] == 0
    ok_sse = sse["first_event_p95_ms"] <= TARGET_FIRST_EVENT_MS
    print(
        f"\nAPI overhead at 1 client {over['overhead']:+.1%} <= {TARGET_OVERHEAD:.0%}: "
        f"{verdict(ok_overhead)}\nerrors at 32 clients {levels[-1]['errors']} == 0: "
        f"{verdict(ok_errors)}\nfirst SSE event p95 {sse['first_event_p95_ms']:.0f} ms <= "
        f"{TARGET_FIRST_EVENT_MS:.0f} ms: {verdict(ok_sse)}"
    )
    load = [load_start, load_average()]
    print_load(*load)
    emit_json(
        {
            "benchmark": "api",
            "overhead_1_client": over,
            "concurrency": {str(r["clients"]): r for r in levels},
            "sse": sse,
            "throughput_vs_1_client": {
                str(r["clients"]): ratio(r["throughput_rps"], levels[0]["throughput_rps"])
                for r in levels
            },
            "targets": {
                "overhead": TARGET_OVERHEAD,
                "errors_at_32": 0,
                "first_event_ms": TARGET_FIRST_EVENT_MS,
            },
            "pass": ok_overhead and ok_errors and ok_sse,
            "load_avg": load,
            "note": "offline mode; server and clients share this machine's CPUs",
        }
    )


if __name__ == "__main__":
    main()
