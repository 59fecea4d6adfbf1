"""Terminal rendering for the CLI: search results, source listings, ingest progress."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from knowledge.sentences import readable

if TYPE_CHECKING:
    from assistant.answering import Answer
    from knowledge import Evidence, IngestReport, ProgressEvent, SourceInfo


def snippet(text: str, width: int = 240) -> str:
    """The passage on one line, tables read as rows, cut at a word near the width."""
    flat = " ".join(readable(text).split())
    return flat if len(flat) <= width else textwrap.shorten(flat, width, placeholder=" …")


def print_results(console: Console, query: str, results: list[Evidence]) -> None:
    if not results:
        console.print(f"[yellow]No passages found for[/] {escape(query)!r}.")
        return
    for rank, ev in enumerate(results, start=1):
        where = []
        if ev.page is not None:
            where.append(f"p. {ev.page}")
        if ev.heading:
            where.append(ev.heading)
        console.print(
            f"[bold]{rank}.[/] [bold cyan]{escape(ev.title)}[/]"
            + (f" [dim]({escape(' · '.join(where))})[/]" if where else "")
        )
        console.print(f"   {escape(snippet(ev.text))}", highlight=False)
        console.print(f"   [dim]{escape(ev.source)}  score {ev.score:.4f}[/]", highlight=False)


def print_sources(console: Console, sources: list[SourceInfo]) -> None:
    if not sources:
        console.print("The knowledge base is empty. Add documents with `impact ingest PATH`.")
        return
    table = Table(show_lines=False)
    table.add_column("source", overflow="fold")
    table.add_column("title", overflow="fold")
    table.add_column("tenant", no_wrap=True)
    table.add_column("chunks", justify="right")
    table.add_column("sha256", no_wrap=True)
    for s in sources:
        table.add_row(s.source, s.title, s.tenant, str(s.chunks), s.content_hash[:12])
    console.print(table)
    console.print(f"{len(sources)} sources, {sum(s.chunks for s in sources)} chunks")


def print_report(console: Console, err: Console, report: IngestReport) -> None:
    for source, reason in report.failed:
        err.print(f"[red]✗ {escape(source)}: {escape(reason)}[/]", highlight=False)
    colour = "red" if report.failed else "green"
    console.print(f"[{colour}]Ingest finished:[/] {report.summary()}")


@contextmanager
def ingest_progress(console: Console, total: int) -> Iterator[callable]:  # type: ignore[valid-type]
    """Progress over files and over passages embedded (a single large file shows movement too).

    Yields the callback the knowledge base calls with each ProgressEvent.
    """
    progress = Progress(
        TextColumn("[bold]{task.fields[stage]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[unit]}"),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=False,
    )
    files = progress.add_task("", total=total, stage="Indexing", unit="files", visible=total > 0)
    passages = progress.add_task("", total=None, stage="Indexing", unit="passages", visible=False)

    # Shown from the start when there are files, else from the first passage (a re-index); a
    # run with nothing to show (a path that does not exist) prints no empty line before its error.
    shown = False

    def show() -> None:
        nonlocal shown
        if not shown:
            progress.start()
            shown = True

    def advance(event: ProgressEvent) -> None:
        if total or event.passages_total:
            show()
        if event.outcome is not None:
            name = event.source.replace("\\", "/").rsplit("/", 1)[-1]
            progress.update(
                files, advance=1, description=f"[dim]{event.outcome}: {escape(name)}[/]"
            )
        if event.passages_total:
            stage = "Indexing" if event.stage == "indexing" else event.stage.capitalize()
            progress.update(
                passages,
                completed=event.passages_done,
                total=event.passages_total,
                stage=stage,
                visible=True,
            )

    if total:
        show()
    try:
        yield advance
    finally:
        if shown:
            progress.stop()


def print_answer_sources(console: Console, answer: Answer) -> None:
    if not answer.citations:
        return
    console.print("[bold]Sources[/]")
    for c in answer.citations:
        link = f"  {c.url}" if c.url else ""
        console.print(
            f"  {escape(f'[{c.n}]')} {escape(c.label())}  [dim]{escape(c.source + link)}[/]"
        )


def print_evidence_in_full(console: Console, answer: Answer) -> None:
    if not answer.citations:
        console.print("[dim]The last answer cited nothing.[/]")
        return
    for c in answer.citations:
        title = f"[{c.n}] {c.label()}"
        if console.is_terminal:
            console.rule(escape(title))
        else:  # piped: a rule would be as wide as the unwrapped output
            console.print(f"== {escape(title)}")
        console.print(escape(readable(c.text)))
        console.print(f"[dim]{escape(c.source)}[/]")
