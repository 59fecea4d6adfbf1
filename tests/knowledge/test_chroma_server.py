"""With IMPACT_CHROMA_URL set, vectors live in a real Chroma server (started here on loopback)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge import KnowledgeBase
from tests.docgen import make_markdown


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    exe = Path(sys.executable).with_name("chroma")
    if not exe.exists() and shutil.which("chroma") is None:
        pytest.skip("the chroma server command is not installed")
    port = _free_port()
    proc = subprocess.Popen(
        [
            str(exe if exe.exists() else "chroma"),
            "run",
            "--path",
            str(tmp_path / "server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"ANONYMIZED_TELEMETRY": "False", "PATH": "/usr/bin:/bin"},
    )
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("chroma server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_ingest_and_search_through_a_chroma_server(
    tmp_path: Path, embedder, chroma_url: str
) -> None:
    doc = make_markdown(
        tmp_path / "plan.md", "title: Plan", "# Plan\n\nWe will train 450 staff in QI."
    )
    kb = KnowledgeBase(tmp_path / "kb", embedder, chroma_url=chroma_url)

    assert kb.ingest([doc]).added == [str(doc.resolve())]
    assert not (tmp_path / "kb" / "chroma").exists()
    assert kb.vectors.count() == kb.stats()["chunks"]
    assert "450 staff" in kb.search("how many staff will be trained", 1)[0].text
    kb.close()
