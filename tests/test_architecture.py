"""Imports flow one way: api → assistant → knowledge, prompts."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "knowledge": {"assistant", "api", "prompts"},
    "prompts": {"assistant", "api", "knowledge"},
    "assistant": {"api"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_upward(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
        if _imports(path) & FORBIDDEN[package]
    }
    assert offenders == {}


def test_only_the_adapters_import_their_sdks() -> None:
    owners = {
        "chromadb": {"vectors.py"},
        "tantivy": {"lexical.py"},
        "sentence_transformers": {"torch_embedder.py"},
        "torch": {"torch_embedder.py", "onnx_export.py"},  # to run any model, and to export
        "onnxruntime": {"onnx_embedder.py"},
        "tokenizers": {"onnx_embedder.py"},
    }
    for path in (ROOT / "knowledge").rglob("*.py"):
        for sdk, allowed in owners.items():
            if sdk in _imports(path):
                assert path.name in allowed, f"{path.name} imports {sdk}; only {allowed} may"


def test_library_code_does_not_read_the_environment() -> None:
    for package in ("knowledge", "prompts"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "os.environ[" not in text and "os.getenv" not in text, path.name
