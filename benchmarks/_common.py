"""Helpers shared by the benchmark scripts: the gold set, corpus text, temp stores, timing, output.

Importing this module first sets the offline environment, before any model or store loads.
"""

# ruff: noqa: E402 - the offline environment must be set before any model or store is imported
from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import argparse
import json
import random
import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from knowledge import BUNDLED_PREFIX, Embedder, KnowledgeBase, bundled_corpus_dir
from knowledge.loaders import sections_from_markdown, split_front_matter
from knowledge.sentences import split_sentences

BENCH_DIR = Path(__file__).resolve().parent
GOLD_PATH = BENCH_DIR / "data" / "gold.jsonl"
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


# -- gold set and corpus -------------------------------------------------------------------


@dataclass(frozen=True)
class GoldItem:
    question: str
    doc: str
    fact: str

    @property
    def source(self) -> str:
        """The source name the knowledge base gives the expected bundled file."""
        return f"{BUNDLED_PREFIX}{self.doc}"


def load_gold(path: Path = GOLD_PATH) -> list[GoldItem]:
    """Questions with the corpus file that answers them; fails loudly on an unknown file."""
    known = {p.name for p in corpus_files()}
    items: list[GoldItem] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["doc"] not in known:
            raise SystemExit(f"{path}:{number}: {row['doc']!r} is not a bundled corpus file")
        items.append(GoldItem(row["question"], row["doc"], row.get("fact", "")))
    if not items:
        raise SystemExit(f"{path} holds no questions")
    return items


def corpus_files() -> list[Path]:
    return sorted(bundled_corpus_dir().glob("*.md"))


def corpus_body(path: Path) -> str:
    """A bundled Markdown file without its YAML front matter."""
    _, body = split_front_matter(path, path.read_text(encoding="utf-8"))
    return body.strip()


def corpus_paragraphs() -> list[str]:
    """Every paragraph or list item of the bundled corpus (headings left out), in file order."""
    paragraphs: list[str] = []
    for path in corpus_files():
        sections, _ = sections_from_markdown(corpus_body(path))
        for section in sections:
            for block in re.split(r"\n\s*\n", section.text):
                lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
                if any(_BULLET.match(ln) for ln in lines):
                    paragraphs.extend(lines)
                elif lines:
                    paragraphs.append(" ".join(lines))
    return paragraphs


def corpus_headings() -> list[str]:
    """Distinct section headings of the bundled corpus, for synthetic documents."""
    seen: dict[str, None] = {}
    for path in corpus_files():
        sections, _ = sections_from_markdown(corpus_body(path))
        for section in sections:
            if section.heading:
                seen.setdefault(section.heading[-1], None)
    return list(seen)


def corpus_sentences() -> list[str]:
    """Sentences (and list items, bullet marks dropped) of the bundled corpus, deduplicated."""
    seen: dict[str, None] = {}
    for paragraph in corpus_paragraphs():
        for sentence in split_sentences(_BULLET.sub("", paragraph)):
            if len(sentence.text.split()) >= 4:
                seen.setdefault(sentence.text, None)
    return list(seen)


def question_variants(questions: Sequence[str], n: int, seed: int = 7) -> list[str]:
    """n queries: the questions as written, then reworded copies so no two are identical."""
    prefixes = ["", "Tell me: ", "Briefly, ", "For our board, ", "In plain terms, ", "Quick one: "]
    rng = random.Random(seed)
    out: list[str] = []
    round_ = 0
    while len(out) < n:
        for question in questions:
            if len(out) == n:
                break
            if round_ == 0:
                out.append(question)
            else:
                out.append(f"{rng.choice(prefixes[1:])}{question[:1].lower()}{question[1:]}")
        round_ += 1
    return out


# -- knowledge bases -----------------------------------------------------------------------


def add_threads_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--threads", type=int, default=0, help="CPU threads (default: leave the runtime's choice)"
    )
    parser.add_argument(
        "--backend", default="auto", choices=("auto", "onnx", "torch"), help="embedding backend"
    )


def warm_embedder(
    embedder: Embedder | None = None, threads: int = 0, backend: str = "auto"
) -> Embedder:
    """The model (bundled by default), loaded and run once: later timings exclude loading.

    threads > 0 sets the CPU thread count of the backend (torch or ONNX Runtime).
    """
    embedder = embedder or Embedder(backend=backend, threads=threads)
    if embedder.backend == "torch":
        import torch

        if threads > 0:
            torch.set_num_threads(threads)
        print(f"embedder: torch, {torch.get_num_threads()} CPU threads")
    else:
        print(f"embedder: ONNX Runtime, {threads or 'default'} CPU threads")
    embedder.embed_documents(["warm-up passage about board improvement"] * 4)
    embedder.embed_query("warm-up query")
    return embedder


@contextmanager
def temp_kb(embedder: Embedder, prefix: str = "impact-bench-") -> Iterator[KnowledgeBase]:
    """A knowledge base in a fresh temporary directory, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        kb = KnowledgeBase(Path(tmp) / "data", embedder)
        try:
            yield kb
        finally:
            kb.close()


# -- measuring -----------------------------------------------------------------------------


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def load_average() -> float:
    """The 1-minute load average: how busy the machine was (the timings are only as calm)."""
    return round(os.getloadavg()[0], 2)


def print_load(start: float, end: float) -> None:
    cores = os.cpu_count() or 1
    print(
        f"\n1-minute load average at start and end: {start}, {end} ({cores} CPUs; noisy when"
        " other work runs)"
    )


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=np.float64), q)) if values else 0.0


def ratio(value: float, baseline: float) -> float | None:
    return round(value / baseline, 3) if baseline else None


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1_048_576 if sys.platform == "darwin" else peak / 1024


# -- output --------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 1000 else f"{value:.0f}"
    return str(value)


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A plain fixed-width table: numbers right-aligned, text left-aligned."""
    cells = [[_cell(v) for v in row] for row in rows]
    numeric = [
        all(isinstance(row[i], int | float) or row[i] is None for row in rows)
        for i in range(len(headers))
    ]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    print(f"\n{title}")
    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print(line(row))


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def emit_json(figures: dict[str, Any]) -> None:
    """The script's last line: every figure as one JSON object."""
    print(json.dumps(figures, separators=(", ", ": ")), flush=True)
