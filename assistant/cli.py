"""The `impact` command line: ingest, forget, sources, search, ask, chat, start, info."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

# frameworks_cli and session_cli_more add their commands to these two apps when imported.
from assistant import frameworks_cli, session_cli_more  # noqa: F401
from assistant.errors import AssistantError
from assistant.session_cli import frameworks_app, session_app
from assistant.settings import Settings, apply_offline_environment, load_settings
from knowledge.errors import KnowledgeError

if TYPE_CHECKING:
    from assistant.answering import Answerer
    from knowledge import KnowledgeBase

# Each command imports what it needs when it runs: `impact --help`, `sources` and `info` load
# neither the embedding model nor the vector store, and the LLM client only when one is set.

app = typer.Typer(
    help="impact-assistant: evidence from NHS IMPACT guidance and your own papers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(session_app, name="session")
app.add_typer(frameworks_app, name="frameworks")
# soft_wrap: one message stays one line in logs and pipes, whatever the width.
out = Console(highlight=False, soft_wrap=True)
# Conversation output wraps between words for people reading it.
talk = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

TagOption = Annotated[
    list[str] | None,
    typer.Option("--tag", "-t", help="Tag as key=value (repeatable), e.g. component=3."),
]


class _State:
    settings: Settings | None = None


def settings() -> Settings:
    if _State.settings is None:
        _State.settings = load_settings()
    return _State.settings


def parse_tags(raw: list[str] | None) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for item in raw or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise typer.BadParameter(
                f"{item!r} is not key=value (e.g. component=3)", param_hint="--tag"
            )
        bucket = tags.setdefault(key.strip(), [])
        if value.strip() not in bucket:
            bucket.append(value.strip())
    return tags


def _notice(message: str) -> None:
    err.print(f"[dim]{escape(message)}…[/]")


def _kb(*, embeds: bool = True) -> KnowledgeBase:
    """The knowledge base; for commands that embed, the model starts loading in the background."""
    from assistant.deps import make_embedder, open_knowledge_base

    s = settings()
    embedder = make_embedder(s, notify=_notice)
    if embeds:
        embedder.preload()
    return open_knowledge_base(s, embedder)


def _answerer(kb: KnowledgeBase) -> Answerer:
    from assistant.deps import make_answerer

    return make_answerer(settings(), kb)


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (recursive).")
    ] = None,
    tag: TagOption = None,
    bundled: Annotated[
        bool, typer.Option(help="Index the bundled NHS IMPACT knowledge pack.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Index documents (PDF, DOCX, HTML, Markdown, text); unchanged files are skipped."""
    from assistant.render import ingest_progress, print_report
    from knowledge.ingest import discover

    if not paths and not bundled:
        raise typer.BadParameter("give at least one PATH, or --bundled", param_hint="PATHS")
    tags = parse_tags(tag)
    kb = _kb()
    reports = []
    if bundled:
        files = kb.bundled_files()
        with ingest_progress(err, len(files)) as advance:
            reports.append(kb.ingest_bundled(progress=advance))
    if paths:
        targets, _, _ = discover(paths)
        with ingest_progress(err, len(targets)) as advance:
            reports.append(kb.ingest(paths, tags=tags, progress=advance))
    report = reports[0]
    for extra in reports[1:]:
        for name in ("added", "updated", "unchanged", "removed", "failed", "skipped"):
            getattr(report, name).extend(getattr(extra, name))
    if as_json:
        print(
            json.dumps(
                {
                    **report.counts(),
                    "errors": [{"source": s, "reason": r} for s, r in report.failed],
                }
            )
        )
        for source, reason in report.failed:
            err.print(f"[red]✗ {escape(source)}: {escape(reason)}[/]")
    else:
        print_report(out, err, report)
    if report.failed:
        raise typer.Exit(1)


@app.command()
def forget(
    source: Annotated[str, typer.Argument(help="Source as listed by `impact sources`.")],
) -> None:
    """Remove one source and all its passages from the index."""
    kb = _kb(embeds=False)
    try:
        removed = kb.forget(source)
    except KeyError:
        err.print(
            f"[red]No source {escape(source)!r} in the index; `impact sources` lists them.[/]"
        )
        raise typer.Exit(1) from None
    out.print(f"Forgot {escape(source)} ({removed} chunks).")


@app.command()
def sources(
    as_json: Annotated[bool, typer.Option("--json", help="Print as a JSON list.")] = False,
) -> None:
    """List indexed sources with chunk counts and content hashes."""
    from assistant.render import print_sources

    listing = _kb(embeds=False).sources()
    if as_json:
        print(json.dumps([s.to_dict() for s in listing], indent=2))
    else:
        print_sources(out, listing)


@app.command()
def search(
    query: Annotated[
        str | None, typer.Argument(help="Question or keywords; omit for a prompt.")
    ] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="How many passages.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    tag: TagOption = None,
    source: Annotated[list[str] | None, typer.Option(help="Only this source (repeatable).")] = None,
    batch: Annotated[Path | None, typer.Option(help="File with one query per line.")] = None,
    mode: Annotated[str, typer.Option(help="hybrid, dense or bm25.")] = "hybrid",
) -> None:
    """Search the knowledge base (hybrid dense + BM25) and show cited passages."""
    from assistant.render import print_results
    from knowledge.retrieval import MODES

    if mode not in MODES:
        raise typer.BadParameter(f"choose one of {', '.join(MODES)}", param_hint="--mode")
    tags = parse_tags(tag)
    kb = _kb()

    def run(q: str) -> list:
        return kb.search(q, k, tags=tags or None, sources=source or None, mode=mode)  # type: ignore[arg-type]

    if batch is not None:
        for q in _read_lines(batch):
            results = run(q)
            if as_json:
                print(
                    json.dumps({"query": q, "results": [e.to_dict() for e in results]}), flush=True
                )
            else:
                out.rule(escape(q))
                print_results(out, q, results)
        return
    if query is None:
        interactive_search(kb, run)
        return
    results = run(query)
    if as_json:
        print(json.dumps([e.to_dict() for e in results], indent=2))
    else:
        print_results(out, query, results)


def interactive_search(kb: KnowledgeBase, run) -> None:  # type: ignore[no-untyped-def]
    from assistant.render import print_results

    stats = kb.stats()
    out.print(
        f"[bold]impact search[/] over {stats['sources']} sources ({stats['chunks']} passages). "
        "Type a question; an empty line or Ctrl-D quits."
    )
    with out.status("Loading the embedding model…"):
        kb.embedder.load()  # once, before the first question
    while True:
        try:
            query = input("search> ").strip()
        except (EOFError, KeyboardInterrupt):
            out.print()
            return
        if query in ("", "quit", "exit", "/quit"):
            return
        print_results(out, query, run(query))


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument(help="Your question, in plain English.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
    tag: TagOption = None,
    batch: Annotated[Path | None, typer.Option(help="File with one question per line.")] = None,
) -> None:
    """Answer a question from the knowledge base, with numbered citations."""
    from assistant.chat import stream_answer

    if question is None and batch is None:
        raise typer.BadParameter("give a QUESTION, or --batch FILE", param_hint="QUESTION")
    tags = parse_tags(tag) or None
    answerer = _answerer(_kb())
    questions = [question] if question is not None else _read_lines(batch)
    for q in questions:
        if as_json:
            print(json.dumps(answerer.answer(q, tags=tags).to_dict()), flush=True)
        else:
            if batch is not None:
                talk.rule(escape(q))
            stream_answer(talk, answerer, q, [], tags)


def _read_lines(path: Path | None) -> list[str]:
    assert path is not None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise typer.BadParameter(f"cannot read {path}: {exc}", param_hint="--batch") from exc
    return [line.strip() for line in lines if line.strip()]


@app.command()
def chat(tag: TagOption = None) -> None:
    """Talk to the assistant in the terminal (/sources, /reset, /quit)."""
    from assistant.chat import run_chat

    answerer = _answerer(_kb())
    with out.status("Loading the embedding model…"):
        answerer.kb.embedder.load()  # before the first question
    run_chat(talk, answerer, tags=parse_tags(tag) or None)


@app.command()
def start() -> None:
    """Index the bundled pack if needed, then open the assistant in the terminal."""
    from assistant.chat import run_chat
    from assistant.render import ingest_progress, print_report

    kb = _kb()
    files = kb.bundled_files()
    with ingest_progress(err, len(files)) as advance:
        report = kb.ingest_bundled(progress=advance)
    if report.added or report.updated or report.removed or report.failed:
        print_report(out, err, report)
    answerer = _answerer(kb)
    with out.status("Loading the embedding model…"):
        kb.embedder.load()  # before the first question
    run_chat(talk, answerer)


@app.command("export-model")
def export_model(
    force: Annotated[
        bool, typer.Option(help="Export again even if the export is current.")
    ] = False,
) -> None:
    """Export the embedding model to ONNX now (done once; `make install` runs this)."""
    from assistant.deps import make_embedder

    embedder = make_embedder(settings(), notify=_notice)
    if embedder.backend != "onnx":
        out.print(
            f"{escape(embedder.model_name)} runs on torch (IMPACT_EMBEDDING_BACKEND="
            f"{settings().embedding_backend}): nothing to export."
        )
        return
    export = embedder.export(force=force)
    verdict = "same vectors" if export.equivalent else "DIFFERENT vectors: indexes re-embed"
    out.print(
        f"ONNX model ready: {escape(str(export.path))} (largest difference from "
        f"sentence-transformers {export.max_abs_diff:.1e}: {verdict})"
    )
    if export.int8_path is not None and embedder.quantized:
        out.print(f"int8 model ready: {escape(str(export.int8_path))} (in use)")


@app.command()
def info() -> None:
    """Show where data lives and what is indexed."""
    from knowledge.embeddings import resolve_backend

    s = settings()
    kb = _kb(embeds=False)
    stats = kb.stats()
    out.print(f"data dir     {s.data_dir}")
    out.print(f"model        {s.embedding_model}")
    backend = resolve_backend(s.embedding_model, s.embedding_backend)
    out.print(
        f"embedder     {backend}"
        + (f" (ONNX exports in {s.onnx_dir})" if backend == "onnx" else "")
    )
    out.print(f"chroma       {s.chroma_url or 'embedded (' + str(s.data_dir / 'chroma') + ')'}")
    out.print(f"sources      {stats['sources']}")
    out.print(f"passages     {stats['chunks']}")


def main() -> None:
    apply_offline_environment()
    try:
        app()
    except (KnowledgeError, AssistantError) as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        sys.exit(2 if isinstance(exc, AssistantError) else 1)


if __name__ == "__main__":
    main()
