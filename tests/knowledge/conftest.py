"""Fixtures for the knowledge tests: a real Chroma server on loopback, a second real model."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge import Embedder
from tests.knowledge.other_model import projected_model


@pytest.fixture(scope="session")
def model_128(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    """A second real model, of another dimension (384 -> 128)."""
    model = Embedder(str(projected_model(tmp_path_factory.mktemp("model") / "minilm-128")))
    model.embed_query("load once")
    return model


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
