"""Terminal rendering of sessions (rich): the question card, the spread, actions and overviews."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from assistant.facilitation import phase
from assistant.facilitation_steps import positions
from assistant.paper import long_date
from assistant.session_model import Action, EvidenceItem, QuestionRecord, SessionState, spread
from assistant.sessions import SessionSummary

__all__ = [
    "print_actions",
    "print_overview",
    "print_question",
    "print_sessions",
    "print_spread",
    "spread_bars",
]

STAGE_WORDS = {
    "pending": "not started",
    "discussing": "discussing",
    "rating": "private ratings being collected",
    "spread_shown": "spread shown: agree a rating",
    "agreed": "rating agreed",
    "skipped": "skipped",
}


def header(state: SessionState) -> Panel:
    fw = state.framework_model()
    kind, target = positions(state)[state.cursor]
    where = ""
    if kind == "question":
        record = state.question(target)
        assert record is not None
        index = state.sections.index(record.section) + 1
        in_section = [q.id for q in state.questions if q.section == record.section]
        section = fw.section(record.section)
        where = (
            f"Section {index} of {len(state.sections)}: {section.title if section else record.section}"
            f"   ·   question {in_section.index(record.id) + 1} of {len(in_section)}"
        )
    elif kind == "summary":
        section = fw.section(target)
        where = f"Summary of: {section.title if section else target}"
    else:
        where = "Review the actions, then /close"
    title = f"{state.board} · {fw.title} · {long_date(state.meeting_date)}"
    status = " [red](closed)[/]" if state.status == "closed" else ""
    return Panel(
        escape(where), title=escape(title) + status, title_align="left", border_style="cyan"
    )


def spread_bars(state: SessionState, record: QuestionRecord) -> str:
    """One line per level with a bar of members, then the range: never an average."""
    scale = state.scale
    s = spread(record.ratings, scale)
    lines = []
    for level in scale.levels:
        n = s["counts"].get(level.value, 0)
        lines.append(f"  {escape(scale.label(level.value)):<18} {'█' * n}{' ' if n else ''}{n}")
    span = f"all at {s['min']}" if s["min"] == s["max"] else f"range {s['min']} to {s['max']}"
    plural = "s" if s["n"] != 1 else ""
    lines.append(f"  {span}, {s['n']} private rating{plural} (no average is shown, by design)")
    return "\n".join(lines)


def print_spread(console: Console, state: SessionState, record: QuestionRecord) -> None:
    console.print(f"[bold]Spread of private ratings on {record.id}[/]")
    console.print(spread_bars(state, record))


def _evidence_lines(items: Sequence[EvidenceItem]) -> Text:
    text = Text()
    for n, item in enumerate(items, start=1):
        where = ", ".join(
            part
            for part in (
                item.title,
                f"p. {item.page}" if item.page is not None else "",
                item.heading,
            )
            if part
        )
        text.append(f"[{n}] ", style="bold")
        text.append(where + ("  (our paper)" if item.own else ""), style="bold cyan")
        text.append("\n    " + (item.text[:320] + (" ..." if len(item.text) > 320 else "")) + "\n")
    return text


def print_question(
    console: Console,
    state: SessionState,
    record: QuestionRecord,
    evidence: Sequence[EvidenceItem] | None,
) -> None:
    """The card for the person in the room: the question, why, probes, what good looks like."""
    fw = state.framework_model()
    found = fw.find(record.id)
    assert found is not None
    _, question = found
    console.print(header(state))
    console.print(f"[bold]{escape(record.id)}  {escape(question.text)}[/]")
    console.print(f"[dim]Why we ask:[/] {escape(question.intent)}")
    if question.probes:
        console.print("[bold]Probes[/]")
        for probe in question.probes:
            console.print(f"  • {escape(probe)}")
    good = Group(*[Text(f"• {g}") for g in question.good_looks_like])
    console.print(
        Panel(good, title="What good looks like", title_align="left", border_style="green")
    )
    if evidence:
        console.print(
            Panel(
                _evidence_lines(evidence), title="Evidence", title_align="left", border_style="blue"
            )
        )
    elif evidence is not None:
        console.print(
            "[dim]No passages found for this question in the knowledge base "
            "(is the pack indexed? `impact ingest --bundled`).[/]"
        )
    if record.rated:
        scale = state.scale
        table = Table(show_header=False, box=None, padding=(0, 1))
        for level in scale.levels:
            table.add_row(f"[bold]{escape(scale.label(level.value))}[/]", escape(level.descriptor))
        console.print(
            Panel(table, title="Rating scale", title_align="left", border_style="magenta")
        )
        if scale.note:
            console.print(f"[dim]{escape(scale.note)}[/]")
    print_status(console, state, record)


def print_status(console: Console, state: SessionState, record: QuestionRecord) -> None:
    bits = [f"stage: {STAGE_WORDS[record.stage]}", f"{len(record.notes)} notes"]
    if record.rated:
        bits.append(f"{len(record.ratings)} private ratings")
        if record.agreed is not None:
            bits.append(f"agreed {state.scale.label(record.agreed)}")
        if record.target is not None and record.target_by:
            bits.append(
                f"target {state.scale.label(record.target)} by {long_date(record.target_by)}"
            )
    drafts = [a for a in state.actions if a.source.question == record.id and a.status == "draft"]
    if drafts:
        bits.append(f"{len(drafts)} draft actions")
    console.print("[dim]" + escape(" · ".join(bits)) + "[/]")


def print_actions(console: Console, actions: Sequence[Action], title: str = "Actions") -> None:
    if not actions:
        console.print("[dim]No actions yet.[/]")
        return
    table = Table(title=title, title_justify="left", show_lines=True)
    for column in ("ref", "action", "owner", "due", "status", "source"):
        table.add_column(column, overflow="fold")
    colours = {"draft": "yellow", "agreed": "green", "done": "blue", "dropped": "dim"}
    for a in actions:
        src = a.source
        if src.kind == "notes":
            source = f"{src.question}: “{src.quote}”"
        elif src.kind == "gap":
            source = f"gap on {src.question} ({src.gap})"
        else:
            source = src.kind + (f" {src.carried_from[:8]}" if src.carried_from else "")
        table.add_row(
            a.ref,
            escape(a.text),
            escape(a.owner or "—"),
            long_date(a.due)
            if a.due
            else (escape(a.due_text) + " (no date)" if a.due_text else "—"),
            f"[{colours[a.status]}]{a.status}[/]",
            escape(source),
        )
    console.print(table)


def print_overview(console: Console, state: SessionState) -> None:
    console.print(header(state))
    console.print(
        f"id {state.id} · status {state.status} · phase {phase(state)} · facilitator "
        f"{escape(state.facilitator or '-')} · participants {escape(', '.join(state.participants) or '-')}"
    )
    table = Table(show_lines=False)
    for column in ("question", "stage", "notes", "agreed", "target", "spread"):
        table.add_column(column)
    for q in state.questions:
        shown = q.spread_shown_at is not None
        s = spread(q.ratings, state.scale) if q.rated and shown and q.ratings else None
        table.add_row(
            q.id,
            STAGE_WORDS[q.stage],
            str(len(q.notes)),
            state.scale.label(q.agreed) if q.agreed is not None else "",
            f"{state.scale.label(q.target)} by {q.target_by}" if q.target is not None else "",
            (
                f"{s['min']}-{s['max']} ({s['n']})"
                if s
                else (f"{len(q.ratings)} rated" if q.ratings else "")
            ),
        )
    console.print(table)
    print_actions(console, state.actions)


def print_sessions(console: Console, sessions: Sequence[SessionSummary]) -> None:
    if not sessions:
        console.print(
            "No sessions yet: `impact session new --board ... --org ... --framework nhs-impact --date YYYY-MM-DD`."
        )
        return
    table = Table()
    for column in ("id", "date", "board", "framework", "status"):
        table.add_column(column, overflow="fold")
    for s in sessions:
        table.add_row(s.id, s.meeting_date.isoformat(), escape(s.board), s.framework, s.status)
    console.print(table)
