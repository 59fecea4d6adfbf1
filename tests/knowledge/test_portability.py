"""Nothing POSIX-only on any import path: the knowledge package works without fcntl (Windows)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WITHOUT_FCNTL = r"""
import sys
sys.modules["fcntl"] = None  # as on Windows: `import fcntl` raises ImportError
import pkgutil, importlib
import knowledge, knowledge.migrations.versions
for info in pkgutil.walk_packages(knowledge.__path__, "knowledge."):
    if not info.name.startswith("knowledge.migrations.env"):
        importlib.import_module(info.name)
from pathlib import Path
from knowledge import KnowledgeBase, Embedder
data = Path(sys.argv[1])
doc = data.parent / "plan.md"
doc.write_text("# Plan\n\nWe will train 450 staff in QI.\n", encoding="utf-8")
kb = KnowledgeBase(data, Embedder())
assert kb.ingest([doc]).added
assert "450" in kb.search("how many staff", 1)[0].text
print("ok")
"""


def test_the_knowledge_package_imports_and_works_without_fcntl(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_FCNTL, str(tmp_path / "data")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")


def test_no_knowledge_module_imports_posix_only_modules() -> None:
    posix_only = {"fcntl", "pwd", "grp", "termios", "resource", "posix"}
    for path in (ROOT / "knowledge").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module.split(".")[0]]
            assert not set(names) & posix_only, f"{path.name} imports {names}"
