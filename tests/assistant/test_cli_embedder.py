"""`impact export-model` and `impact info` as a user sees them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant import cli
from knowledge import Embedder

runner = CliRunner()


@pytest.fixture(autouse=True)
def _fresh_settings() -> None:
    cli._State.settings = None


def test_export_model_reports_the_ready_file(embedder: Embedder, onnx_dir: Path) -> None:
    result = runner.invoke(cli.app, ["export-model"])
    assert result.exit_code == 0
    assert "ONNX model ready" in result.stdout and str(onnx_dir) in result.stdout
    assert "same vectors" in result.stdout


def test_export_model_has_nothing_to_do_on_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMPACT_EMBEDDING_BACKEND", "torch")
    result = runner.invoke(cli.app, ["export-model"])
    assert result.exit_code == 0 and "nothing to export" in result.stdout


def test_info_names_the_backend_and_where_exports_live(onnx_dir: Path) -> None:
    result = runner.invoke(cli.app, ["info"])
    assert result.exit_code == 0
    assert "embedder     onnx" in result.stdout and str(onnx_dir) in result.stdout


def test_an_unknown_backend_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMPACT_EMBEDDING_BACKEND", "gpu")
    proc = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "info"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "IMPACT_EMBEDDING_BACKEND" in lines[0] and "onnx" in lines[0]
