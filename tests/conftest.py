"""Shared fixtures: real model, real Chroma in tmp_path, and a guard against outbound network."""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from knowledge import Embedder, KnowledgeBase  # noqa: E402
from tests.postgres import postgres_server, postgres_url  # noqa: E402, F401

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address, *args, **kwargs):  # type: ignore[no-untyped-def]
    if isinstance(address, tuple) and address:
        host = address[0]
        try:
            allowed = ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = host in ("localhost",)
        if not allowed:
            raise RuntimeError(f"test tried to reach {host}: tests must stay offline")
    return _real_connect(self, address, *args, **kwargs)


@pytest.fixture(scope="session")
def onnx_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's ONNX exports (made once per run, never in the user's cache)."""
    return tmp_path_factory.mktemp("onnx")


@pytest.fixture(autouse=True)
def _offline_and_isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, onnx_dir: Path) -> None:
    """No test reaches the network or the user's real data directory or cache."""
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)
    monkeypatch.setenv("IMPACT_DATA_DIR", str(tmp_path / "impact-data"))
    for name in list(os.environ):
        if name.startswith("IMPACT_") and name != "IMPACT_DATA_DIR":
            monkeypatch.delenv(name)
    monkeypatch.setenv("IMPACT_ONNX_DIR", str(onnx_dir))


@pytest.fixture(scope="session")
def embedder(onnx_dir: Path) -> Embedder:
    """The bundled model on its default backend (ONNX Runtime), loaded once for the session."""
    return Embedder(onnx_dir=onnx_dir).load()


@pytest.fixture
def kb(tmp_path: Path, embedder: Embedder) -> KnowledgeBase:
    base = KnowledgeBase(tmp_path / "kb", embedder)
    yield base
    base.close()
