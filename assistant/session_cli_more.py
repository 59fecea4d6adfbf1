"""More `impact session` commands: add-action, summary, set, run, close, export, compare, audit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from assistant.errors import InvalidInput
from assistant.session_cli import (
    JsonOption,
    SessionId,
    _guarded,
    _json,
    _service,
    _settings,
    _State,
    err,
    out,
    parse_day,
    session_app,
)

__all__: list[str] = []


@session_app.command("add-action")
@_guarded
def session_add_action(
    session_id: SessionId,
    text: Annotated[str, typer.Option(help="What is to be done.")],
    owner: Annotated[str | None, typer.Option(help="Who owns it.")] = None,
    due: Annotated[str | None, typer.Option(help="Due date, YYYY-MM-DD.")] = None,
    question: Annotated[str | None, typer.Option(help="The question it belongs to.")] = None,
    priority: Annotated[str, typer.Option(help="high, medium or low.")] = "medium",
    agreed: Annotated[bool, typer.Option(help="Record it as agreed (needs --owner).")] = False,
    as_json: JsonOption = False,
) -> None:
    """Add an action the board agreed that was not in the notes."""
    from assistant.session_views import action_view

    if priority not in ("high", "medium", "low"):
        raise InvalidInput(f"--priority {priority!r} is not one of high, medium, low")
    result = _service().add_action(
        session_id,
        actor=_State.actor,
        text=text,
        owner=owner,
        due=parse_day(due, "--due"),
        question=question,
        priority=priority,
        status="agreed" if agreed else "draft",
    )
    action = result.state.actions[-1]
    if as_json:
        _json(action_view(action))
    else:
        out.print(f"[green]✓[/] {escape(result.changes[-1].summary)}")


@session_app.command("summary")
@_guarded
def session_summary(
    session_id: SessionId,
    section: Annotated[str, typer.Option(help="Section id, e.g. c1.")],
    text: Annotated[str, typer.Option(help="A short summary of the section's discussion.")],
) -> None:
    """Record the short summary of a section."""
    from assistant.facilitation import Summarise

    result = _service().step(
        session_id, [Summarise(section=section, text=text)], actor=_State.actor
    )
    out.print(f"[green]✓[/] {escape(result.changes[-1].summary)}")


@session_app.command("set")
@_guarded
def session_set(
    session_id: SessionId,
    meeting: Annotated[
        str | None, typer.Option(help="Cover sheet: meeting (default: the board).")
    ] = None,
    agenda_item: Annotated[
        str | None, typer.Option(help="Cover sheet: agenda item, e.g. 'Item 7'.")
    ] = None,
    report_title: Annotated[str | None, typer.Option(help="Cover sheet: report title.")] = None,
    author: Annotated[
        str | None, typer.Option(help="Cover sheet: author (default: facilitator).")
    ] = None,
    lead_director: Annotated[str | None, typer.Option(help="Cover sheet: lead director.")] = None,
    purpose: Annotated[
        str | None,
        typer.Option(help="Cover sheet: purpose (discussion, approval, assurance, information)."),
    ] = None,
    summary: Annotated[
        str | None,
        typer.Option(help="Cover sheet: executive summary (default: written from the session)."),
    ] = None,
    recommendation: Annotated[str | None, typer.Option(help="Cover sheet: recommendation.")] = None,
    objectives: Annotated[
        str | None, typer.Option(help="Cover sheet: links to strategic objectives.")
    ] = None,
    risks: Annotated[
        str | None, typer.Option(help="Cover sheet: links to risks (e.g. BAF references).")
    ] = None,
    next_board: Annotated[str | None, typer.Option(help="Next board date, YYYY-MM-DD.")] = None,
    facilitator: Annotated[str | None, typer.Option(help="Who runs the session.")] = None,
    participants: Annotated[
        str | None, typer.Option(help='Members, comma-separated: "A, B".')
    ] = None,
) -> None:
    """Set the board paper's cover-sheet fields and other session details."""
    changes: dict[str, Any] = {
        key: value
        for key, value in (
            ("meeting", meeting),
            ("agenda_item", agenda_item),
            ("report_title", report_title),
            ("author", author),
            ("lead_director", lead_director),
            ("purpose", purpose),
            ("executive_summary", summary),
            ("recommendation", recommendation),
            ("strategic_objectives", objectives),
            ("risks", risks),
            ("facilitator", facilitator),
        )
        if value is not None
    }
    if next_board is not None:
        changes["next_board"] = parse_day(next_board, "--next-board")
    if participants is not None:
        changes["participants"] = participants.split(",")
    if not changes:
        raise InvalidInput("nothing to set: see `impact session set --help` for the fields")
    result = _service().update_details(session_id, actor=_State.actor, **changes)
    out.print(f"[green]✓[/] {escape(result.changes[-1].summary)}")


@session_app.command("run")
@_guarded
def session_run(
    session_id: SessionId,
    evidence: Annotated[
        bool, typer.Option(help="Search the knowledge base for each question.")
    ] = True,
) -> None:
    """Run the session in the room: question by question, with evidence, notes and ratings."""
    from assistant.session_run import run_session

    settings = _settings()
    service = _service(settings, drafting=True)
    kb_factory = None
    if evidence:
        from assistant.deps import open_knowledge_base

        def kb_factory():  # type: ignore[no-untyped-def]
            return open_knowledge_base(settings)

    from rich.console import Console

    # A console that wraps (the panels hold long text), unlike the one-line-per-message `out`.
    run_session(
        Console(highlight=False), service, session_id, actor=_State.actor, kb_factory=kb_factory
    )


@session_app.command("close")
@_guarded
def session_close(session_id: SessionId, as_json: JsonOption = False) -> None:
    """Close the session (its actions can still be agreed, completed or dropped)."""
    result = _service().close(session_id, actor=_State.actor)
    if as_json:
        _json({"id": result.state.id, "status": result.state.status})
    else:
        out.print(f"[green]✓[/] {escape(result.changes[-1].summary)}")


@session_app.command("export")
@_guarded
def session_export(
    session_id: SessionId,
    format_: Annotated[str, typer.Option("--format", help="docx, md, csv or png.")],
    out_file: Annotated[Path, typer.Option("--out", help="The file to write.")],
    as_json: JsonOption = False,
) -> None:
    """Write the board paper (docx, md), the CSV action log or the maturity chart (png)."""
    service = _service()
    state = service.get(session_id)
    written = service.export(state.id, format_, out_file)
    drafts = sum(a.status == "draft" for a in state.actions)
    if as_json:
        _json(
            {
                "written": [str(p) for p in written],
                "drafts_not_in_log": drafts,
                "draft_paper": state.status != "closed",
            }
        )
    for path in [] if as_json else written:
        out.print(f"[green]✓[/] wrote {escape(str(path))}")
    if drafts:
        err.print(
            f"[yellow]{drafts} draft action{'s are' if drafts != 1 else ' is'} not in the action log: "
            f"agree {'them' if drafts != 1 else 'it'} with `impact session action {state.id[:8]} REF --status agreed`.[/]"
        )
    if state.status != "closed" and format_.lower() in ("docx", "md"):
        err.print("[yellow]The session is still open: the paper is marked as a draft.[/]")


@session_app.command("compare")
@_guarded
def session_compare(first: SessionId, second: SessionId, as_json: JsonOption = False) -> None:
    """Progress between two sessions of the same board: ratings and carried-over actions."""
    from rich.table import Table

    result = _service().compare(first, second)
    if as_json:
        _json(result)
        return
    out.print(
        f"[bold]{escape(result['board'])}[/]: {result['earlier']['date']} → {result['later']['date']}"
    )
    table = Table(title="Ratings", title_justify="left")
    for column in ("area", "earlier (target)", "later (target)", "change"):
        table.add_column(column)
    for row in result["ratings"]:

        def cell(side: dict[str, Any] | None) -> str:
            if not side or side["agreed"] is None:
                return "-"
            return f"{side['agreed']}" + (
                f" ({side['target']})" if side["target"] is not None else ""
            )

        change = row["change"]
        table.add_row(
            escape(row["title"]),
            cell(row["earlier"]),
            cell(row["later"]),
            "-"
            if change is None
            else (
                f"[green]+{change}[/]" if change > 0 else f"[red]{change}[/]" if change < 0 else "0"
            ),
        )
    out.print(table)
    actions = Table(title="Actions from the earlier session", title_justify="left")
    for column in ("ref", "action", "owner", "then", "carried over", "now"):
        actions.add_column(column, overflow="fold")
    for a in result["actions"]:
        actions.add_row(
            a["ref"], escape(a["action"]), escape(a["owner"] or "-"), a["status_earlier"],
            f"yes ({a['later_ref']})" if a["carried_over"] else "no", a["status_now"],
        )  # fmt: skip
    out.print(actions)


@session_app.command("audit")
@_guarded
def session_audit(session_id: SessionId, as_json: JsonOption = False) -> None:
    """Every change to the session: when, by whom, what."""
    entries = _service().audit(session_id)
    if as_json:
        _json([e.to_dict() for e in entries])
        return
    for e in entries:
        out.print(f"{e.at:%Y-%m-%d %H:%M:%S}  [bold]{escape(e.actor)}[/]  {escape(e.summary)}")


@session_app.command("diagram")
def session_diagram() -> None:
    """Print the session state machine as a Mermaid diagram."""
    from assistant.facilitation import mermaid

    print(mermaid(), end="")
