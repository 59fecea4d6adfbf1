"""Many processes at once: readers searching while a writer ingests, and writers queueing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from knowledge import KnowledgeBase
from knowledge.locks import write_lock

ROOT = Path(__file__).resolve().parents[2]

# A reader process: search until told to stop; every result must belong to a committed document
# that is whole (all its passages present, all of one version); print what it saw as JSON.
READER = r"""
import json, sys, time
from pathlib import Path
from knowledge import KnowledgeBase, Embedder

data, stop = Path(sys.argv[1]), Path(sys.argv[2])
kb = KnowledgeBase(data, Embedder())
searches, after, seen, problems = 0, 0, set(), []
while after < 2:  # go on until two rounds have run after the writer finished
    finished = stop.exists()
    # Once the writer has finished, also ask for what only the new documents say: the wards'
    # passages are near-duplicates of each other, so a general query shows one ward's passages.
    queries = ("ward rota version", "newly opened ward") if finished else ("ward rota version",)
    for mode, query in [(m, q) for m in ("hybrid", "bm25", "dense") for q in queries]:
        for ev in kb.search(query, 20, mode=mode):
            listed = {s.source: s for s in kb.sources()}
            info = listed.get(ev.source)
            rows = kb.catalog.chunks_by_position(ev.doc_id, range(200))
            versions = {r.text.split("version ")[1][:1] for r in rows.values() if "version " in r.text}
            if info is None or len(rows) != info.chunks or len(versions) > 1:
                problems.append([ev.source, info.chunks if info else None, len(rows), sorted(versions)])
            if finished:
                seen.add(Path(ev.source).name)
        searches += 1
    after += finished
print(json.dumps({"searches": searches, "seen": sorted(seen), "problems": problems[:5]}))
"""


def _ward_doc(folder: Path, n: int, version: int, new: bool = False) -> Path:
    opened = " (newly opened)" if new else ""
    paragraphs = "\n\n".join(
        f"Ward {n}{opened} rota version {version}: paragraph {p} describes the staffing of ward {n} "
        f"on shift {p}, with the nurse in charge and the huddle at {p} o'clock."
        for p in range(12)
    )
    path = folder / f"ward-{n:02d}.md"
    path.write_text(f"# Ward {n}\n\n{paragraphs}\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_readers_in_other_processes_never_fail_nor_see_half_a_document(
    tmp_path: Path, embedder
) -> None:
    folder = tmp_path / "wards"
    folder.mkdir()
    for n in range(4):
        _ward_doc(folder, n, 1)
    data = tmp_path / "data"
    kb = KnowledgeBase(data, embedder)
    kb.ingest([folder])

    stop = tmp_path / "stop"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(data), str(stop)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    time.sleep(8)  # let the readers load the model and start searching
    for n in range(4):
        _ward_doc(folder, n, 2)  # every existing document changes
    for n in range(4, 16):
        _ward_doc(folder, n, 2, new=True)  # and new ones arrive
    report = kb.ingest([folder])
    assert not report.failed and len(report.added) == 12 and len(report.updated) == 4
    stop.touch()

    outputs = []
    for proc in readers:
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr[-2000:]
        outputs.append(json.loads(stdout.strip().splitlines()[-1]))
    for out in outputs:
        assert out["problems"] == [], out
        assert out["searches"] >= 3
    # After the ingest every reader sees the new documents too.
    assert all(any(name >= "ward-04.md" for name in out["seen"]) for out in outputs), outputs


@pytest.mark.slow
def test_a_second_writer_says_what_it_waits_for(tmp_path: Path, embedder) -> None:
    doc = tmp_path / "plan.md"
    doc.write_text("# Plan\n\nWe will train 450 staff in QI.\n", encoding="utf-8")
    data = tmp_path / "data"
    kb = KnowledgeBase(data, embedder)
    kb.ingest([doc])

    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with write_lock(kb.catalog, data, "impact ingest board-papers/"):
            held.set()
            release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    env = {**os.environ, "IMPACT_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "ingest", str(doc)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(12)
    assert proc.poll() is None, "the second ingest must wait for the first"
    release.set()
    holder.join()
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    waiting = [line for line in stderr.splitlines() if line.startswith("Waiting")]
    assert len(waiting) == 1, stderr
    assert "impact ingest board-papers/" in waiting[0] and f"process {os.getpid()}" in waiting[0]
    assert "1 unchanged" in stdout


def test_threads_share_one_knowledge_base_while_it_ingests(tmp_path: Path, embedder) -> None:
    folder = tmp_path / "wards"
    folder.mkdir()
    for n in range(3):
        _ward_doc(folder, n, 1)
    kb = KnowledgeBase(tmp_path / "data", embedder)
    kb.ingest([folder])
    expected = [e.id for e in kb.search("ward 1 rota", 5)]
    for n in range(3, 6):
        _ward_doc(folder, n, 1)

    def search(_: int) -> list[str]:
        return [e.id for e in kb.search("ward 1 rota", 5, mode="bm25")]

    with ThreadPoolExecutor(4) as pool:
        writer = pool.submit(kb.ingest, [folder])
        results = list(pool.map(search, range(24)))
        assert writer.result().added
    assert all(results) and kb.search("ward 1 rota", 5)[0].id in expected
