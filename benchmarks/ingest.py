"""Ingest throughput and memory: KnowledgeBase.ingest against bare SentenceTransformer.encode.

Builds a synthetic document set from the bundled corpus (Markdown files of shuffled paragraphs
under varied headings, plus a few PDFs made with fpdf2 and DOCX files made with python-docx),
then ingests it into a fresh temporary knowledge base with the model already loaded and warm.
The baseline, in the same run, is a bare `model.encode` of the very same chunk texts (read
back from the catalog) with the same batch size: the floor that embedding alone costs. Runs
alternate pipeline and baseline, best of --repeats each. A diagnostic row encodes the same
texts with one call per file, as the pipeline does. Also reported: where ingest time goes
(load+chunk, embed, store writes, BM25 build), a re-ingest of the unchanged set against hashing
the files, peak RSS, and tracemalloc peaks (measured in separate, untimed runs). Target:
pipeline chunks/s >= 0.85 x bare encode chunks/s.

Everything runs offline in temporary directories. Run it with:

    .venv/bin/python benchmarks/ingest.py [--markdown 60] [--pdfs 4] [--docx 4] [--repeats 3]

It prints tables and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import (
    add_threads_option,
    corpus_headings,
    corpus_paragraphs,
    emit_json,
    load_average,
    peak_rss_mb,
    print_load,
    print_table,
    ratio,
    temp_kb,
    timed,
    verdict,
    warm_embedder,
)

from knowledge import Embedder, IngestReport, KnowledgeBase
from knowledge.ingest import file_hash

TARGET_RATIO = 0.85
Outline = list[tuple[str, list[str]]]  # (heading, paragraphs) per section

# -- the synthetic document set -------------------------------------------------------------


class DocumentFactory:
    """Documents made of corpus paragraphs under corpus headings, shuffled with a fixed seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.paragraphs = corpus_paragraphs()
        self.headings = corpus_headings()

    def outline(self, sections: tuple[int, int], paragraphs: tuple[int, int]) -> Outline:
        return [
            (
                self.rng.choice(self.headings),
                self.rng.sample(self.paragraphs, self.rng.randint(*paragraphs)),
            )
            for _ in range(self.rng.randint(*sections))
        ]

    def markdown(self, path: Path, title: str) -> Path:
        components = sorted(self.rng.sample(range(1, 6), self.rng.randint(1, 2)))
        lines = ["---", f'title: "{title}"', f"components: {components}", "---", "", f"# {title}"]
        for heading, paras in self.outline((3, 6), (2, 5)):
            lines += ["", f"## {heading}", "", "\n\n".join(paras)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def pdf(self, path: Path, title: str, pages: int = 3) -> Path:
        from fpdf import FPDF

        pdf = FPDF()
        pdf.set_title(title)
        for page in range(pages):
            pdf.add_page()
            if page == 0:
                _pdf_block(pdf, 20, "B", title)
            for heading, paras in self.outline((1, 2), (3, 5)):
                _pdf_block(pdf, 15, "B", heading)
                for para in paras:
                    _pdf_block(pdf, 11, "", para)
        pdf.output(str(path))
        return path

    def docx(self, path: Path, title: str) -> Path:
        import docx

        document = docx.Document()
        document.core_properties.title = title
        document.add_heading(title, level=0)
        for heading, paras in self.outline((5, 8), (3, 6)):
            document.add_heading(heading, level=1)
            for para in paras:
                style = "List Bullet" if para.lstrip().startswith(("-", "*")) else None
                document.add_paragraph(para.lstrip("-* ").strip() if style else para, style=style)
        document.save(str(path))
        return path


def _pdf_block(pdf: Any, size: int, style: str, text: str) -> None:
    pdf.set_font("Helvetica", style, size)
    pdf.multi_cell(0, size * 0.6, _latin1(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _latin1(text: str) -> str:
    """The core PDF fonts only cover Latin-1: swap typographic dashes and quotes for plain ones."""
    for fancy, plain in (("—", "-"), ("–", "-"), ("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(fancy, plain)
    return text.encode("latin-1", "replace").decode("latin-1")


def build_documents(root: Path, markdown: int, pdfs: int, docx: int, seed: int) -> list[Path]:
    factory = DocumentFactory(seed)
    root.mkdir(parents=True, exist_ok=True)
    paths = [
        factory.markdown(root / f"paper-{i:03d}.md", f"Board paper {i}") for i in range(markdown)
    ]
    paths += [
        factory.pdf(root / f"report-{i:02d}.pdf", f"Quarterly report {i}") for i in range(pdfs)
    ]
    paths += [factory.docx(root / f"brief-{i:02d}.docx", f"Board brief {i}") for i in range(docx)]
    return paths


# -- measuring ingest ----------------------------------------------------------------------

PHASES = {
    ("embedder", "embed_documents"): "embed",
    ("vectors", "add"): "vector writes",
    ("catalog", "replace_document"): "catalog writes",
    ("kb", "_rebuild_lexical"): "BM25 build+save",
    ("kb", "repair"): "repair check",
}
REMAINDER = "load+chunk+other"


@contextmanager
def phase_clock(kb: KnowledgeBase) -> Iterator[dict[str, float]]:
    """Time the ingest phases by shadowing a few bound methods on this kb's objects."""
    totals: dict[str, float] = defaultdict(float)
    owners = {"embedder": kb.embedder, "vectors": kb.vectors, "catalog": kb.catalog, "kb": kb}
    patched: list[tuple[object, str]] = []
    for (owner, attr), label in PHASES.items():
        target = owners[owner]
        setattr(target, attr, _timed_method(getattr(target, attr), label, totals))
        patched.append((target, attr))
    try:
        yield totals
    finally:
        for target, attr in patched:
            delattr(target, attr)  # the instance attribute goes; the class method shows again


def _timed_method(
    method: Callable[..., Any], label: str, totals: dict[str, float]
) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            totals[label] += time.perf_counter() - start

    return wrapper


@dataclass
class IngestRun:
    seconds: float
    phases: dict[str, float]
    chunks: int
    groups: list[list[str]]  # chunk texts per file, as the catalog holds them
    reingest_seconds: float

    @property
    def texts(self) -> list[str]:
        return [text for group in self.groups for text in group]


def check(report: IngestReport, expect: str, files: int) -> None:
    counts = report.counts()
    if report.failed or counts[expect] != files:
        raise SystemExit(f"ingest went wrong (expected {files} {expect}): {report.summary()}")


def pipeline_run(embedder: Embedder, docs: Path, files: int) -> IngestRun:
    """One timed ingest into a fresh temp dir (stores opened first), then a timed re-ingest."""
    with temp_kb(embedder) as kb:
        _ = kb.vectors  # open Chroma outside the timing: a one-off cost, not throughput
        with phase_clock(kb) as phases:
            seconds, report = timed(lambda: kb.ingest([docs]))
        check(report, "added", files)
        phases = dict(phases)
        phases[REMAINDER] = seconds - sum(phases.values())
        groups: dict[str, list[str]] = defaultdict(list)
        for _, text, source, _ in kb.catalog.iter_index_rows():
            groups[source].append(text)
        reingest_seconds, again = timed(lambda: kb.ingest([docs]))
        check(again, "unchanged", files)
        return IngestRun(
            seconds, phases, report.chunks_written, list(groups.values()), reingest_seconds
        )


def bare_encode(embedder: Embedder, texts: Sequence[str]) -> Any:
    """The embedder's own batched encode (model.encode for torch, the ONNX session for onnx)."""
    return embedder.embed_documents(list(texts))


def bare_encode_per_file(embedder: Embedder, groups: Sequence[Sequence[str]]) -> None:
    """Diagnostic: the same encode called once per file, as the pipeline batches it."""
    for texts in groups:
        bare_encode(embedder, texts)


def traced_peak_mb(fn: Callable[[], Any]) -> float:
    """tracemalloc's peak (Python allocations only) while fn runs, in MiB."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1_048_576
    finally:
        tracemalloc.stop()


def traced_ingest_run(embedder: Embedder, docs: Path) -> None:
    with temp_kb(embedder, prefix="impact-bench-traced-") as kb:
        kb.ingest([docs])


@dataclass
class Results:
    files: int
    size_mb: float
    runs: list[IngestRun]
    bare_s: list[float]
    per_file_s: list[float]
    hash_s: float
    rss_model_mb: float
    rss_peak_mb: float
    traced_ingest_mb: float | None
    traced_bare_mb: float | None

    @property
    def best(self) -> IngestRun:
        return min(self.runs, key=lambda r: r.seconds)

    @property
    def pipeline_cps(self) -> float:
        return self.best.chunks / self.best.seconds

    @property
    def bare_cps(self) -> float:
        return self.best.chunks / min(self.bare_s)

    @property
    def throughput_ratio(self) -> float:
        return ratio(self.pipeline_cps, self.bare_cps) or 0.0

    @property
    def reingest_s(self) -> float:
        return min(r.reingest_seconds for r in self.runs)

    @property
    def passed(self) -> bool:
        return self.throughput_ratio >= TARGET_RATIO


def measure(embedder: Embedder, args: argparse.Namespace) -> Results:
    """Alternate timed pipeline ingests and bare encodes, then the untimed traced runs."""
    rss_model_mb = peak_rss_mb()
    with tempfile.TemporaryDirectory(prefix="impact-bench-docs-") as tmp:
        docs = Path(tmp) / "docs"
        paths = build_documents(docs, args.markdown, args.pdfs, args.docx, args.seed)
        size_mb = sum(p.stat().st_size for p in paths) / 1_048_576
        print(f"{len(paths)} files ({args.markdown} md, {args.pdfs} pdf, {args.docx} docx)")
        runs: list[IngestRun] = []
        bare: list[float] = []
        per_file: list[float] = []
        for repeat in range(max(1, args.repeats)):
            runs.append(pipeline_run(embedder, docs, len(paths)))
            bare.append(timed(lambda: bare_encode(embedder, runs[0].texts))[0])
            per_file.append(timed(lambda: bare_encode_per_file(embedder, runs[0].groups))[0])
            print(
                f"  run {repeat + 1}: ingest {runs[-1].seconds:.2f} s, bare {bare[-1]:.2f} s, "
                f"bare per file {per_file[-1]:.2f} s"
            )
        hash_s = min(timed(lambda: [file_hash(p) for p in paths])[0] for _ in range(3))
        rss_peak_mb = peak_rss_mb()
        traced_ingest = traced_bare = None
        if not args.no_tracemalloc:
            traced_ingest = traced_peak_mb(lambda: traced_ingest_run(embedder, docs))
            traced_bare = traced_peak_mb(lambda: bare_encode(embedder, runs[0].texts))
    return Results(
        len(paths),
        size_mb,
        runs,
        bare,
        per_file,
        hash_s,
        rss_model_mb,
        rss_peak_mb,
        traced_ingest,
        traced_bare,
    )


def print_report(res: Results) -> None:
    best = res.best
    chunks, per_file_s = best.chunks, min(res.per_file_s)
    per_file_ratio = ratio(chunks / per_file_s, res.bare_cps)
    print_table(
        f"Ingest of {res.files} files ({res.size_mb:.1f} MB), {best.chunks} chunks, "
        f"best of {len(res.runs)} (ratio = value / bare encode)",
        ["measure", "seconds", "chunks/s", "ratio"],
        [
            ("KnowledgeBase.ingest", best.seconds, res.pipeline_cps, res.throughput_ratio),
            ("bare model.encode (baseline)", min(res.bare_s), res.bare_cps, 1.0),
            ("bare encode, one call per file", per_file_s, chunks / per_file_s, per_file_ratio),
        ],
    )
    phases = sorted(best.phases.items(), key=lambda kv: -kv[1])
    print_table(
        "Where the best ingest's time goes",
        ["phase", "seconds", "share"],
        [(name, s, f"{100 * s / best.seconds:.1f}%") for name, s in phases],
    )
    print_table(
        "Re-ingest of the unchanged set (ratio = value / hashing the files)",
        ["measure", "seconds", "ratio"],
        [
            ("re-ingest (all unchanged)", res.reingest_s, ratio(res.reingest_s, res.hash_s)),
            ("sha256 of every file (baseline)", res.hash_s, 1.0),
        ],
    )
    traced_ratio = None
    if res.traced_ingest_mb is not None and res.traced_bare_mb:
        traced_ratio = ratio(res.traced_ingest_mb, res.traced_bare_mb)
    print_table(
        "Memory (tracemalloc runs are separate and untimed; ratio = value / baseline)",
        ["measure", "MiB", "ratio"],
        [
            (
                "peak RSS after the timed runs",
                res.rss_peak_mb,
                ratio(res.rss_peak_mb, res.rss_model_mb),
            ),
            ("peak RSS with the model loaded (baseline)", res.rss_model_mb, 1.0),
            ("tracemalloc peak, ingest", res.traced_ingest_mb, traced_ratio),
            ("tracemalloc peak, bare encode (baseline)", res.traced_bare_mb, None),
        ],
    )
    print(
        f"\npipeline/bare throughput {res.throughput_ratio:.3f} >= {TARGET_RATIO}: "
        f"{verdict(res.passed)}"
    )


def figures(res: Results) -> dict[str, object]:
    best = res.best
    return {
        "benchmark": "ingest",
        "files": res.files,
        "chunks": best.chunks,
        "repeats": len(res.runs),
        "ingest_s": round(best.seconds, 3),
        "bare_encode_s": round(min(res.bare_s), 3),
        "pipeline_chunks_per_s": round(res.pipeline_cps, 2),
        "bare_chunks_per_s": round(res.bare_cps, 2),
        "bare_per_file_chunks_per_s": round(best.chunks / min(res.per_file_s), 2),
        "ratio": res.throughput_ratio,
        "phases_s": {name: round(s, 3) for name, s in best.phases.items()},
        "reingest_s": round(res.reingest_s, 3),
        "hash_s": round(res.hash_s, 4),
        "reingest_vs_hash": ratio(res.reingest_s, res.hash_s),
        "peak_rss_mb": round(res.rss_peak_mb, 1),
        "model_rss_mb": round(res.rss_model_mb, 1),
        "tracemalloc_ingest_mb": _round(res.traced_ingest_mb),
        "tracemalloc_bare_mb": _round(res.traced_bare_mb),
        "target_ratio": TARGET_RATIO,
        "pass": res.passed,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--markdown", type=int, default=60, help="synthetic Markdown files")
    parser.add_argument("--pdfs", type=int, default=4, help="synthetic PDFs (3 pages each)")
    parser.add_argument("--docx", type=int, default=4, help="synthetic DOCX files")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each; best is kept")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the traced runs")
    add_threads_option(parser)
    args = parser.parse_args(argv)

    embedder = warm_embedder(threads=args.threads, backend=args.backend)
    load_start = load_average()
    results = measure(embedder, args)
    print_report(results)
    load = [load_start, load_average()]
    print_load(*load)
    emit_json({**figures(results), "load_avg": load})


if __name__ == "__main__":
    main()
