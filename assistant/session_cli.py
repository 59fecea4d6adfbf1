"""`impact session ...` and `impact frameworks ...`: thin commands over SessionService.

Every command that shows something takes --json. A refused request (unknown id, a rating off
the scale, a closed session, a bad date, an invalid framework) prints one red line and exits 1;
nothing is changed.
"""

from __future__ import annotations

import functools
import getpass
import json
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from assistant.errors import AssistantError, FrameworkError, InvalidInput
from assistant.settings import Settings, load_settings

session_app = typer.Typer(
    help="Facilitated board sessions: questions, ratings, actions, the board paper.",
    no_args_is_help=True,
)
frameworks_app = typer.Typer(
    help="Facilitation frameworks: list, show, validate.", no_args_is_help=True
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
F = TypeVar("F", bound=Callable[..., Any])

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
SessionId = Annotated[str, typer.Argument(help="Session id (or its first 6+ characters).")]


class _State:
    actor: str | None = None


def _guarded(fn: F) -> F:
    """One red line and exit 1 for a refused request; nothing else reaches the user as a trace."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except FrameworkError as exc:
            err.print(f"[red]error:[/] {escape(str(exc))}")
            raise typer.Exit(1) from None
        except AssistantError as exc:
            err.print(f"[red]error:[/] {escape(str(exc))}")
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _settings() -> Settings:
    return load_settings()


def _service(settings: Settings | None = None, drafting: bool = False):  # type: ignore[no-untyped-def]
    from assistant.session_service import SessionService, make_drafter, open_session_store

    s = settings or _settings()
    return SessionService(
        open_session_store(s),
        s.tenant,
        drafter=make_drafter(s) if drafting else None,
        frameworks_dir=s.frameworks_dir,
        default_actor=_default_actor(),
    )


def _default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (some containers)
        return "unknown"


def parse_day(value: str | None, option: str) -> date | None:
    """YYYY-MM-DD, or InvalidInput naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(
            f"{option} {value!r} is not a date: write it as YYYY-MM-DD, e.g. 2025-03-31"
        ) from None


def _json(data: Any) -> None:
    print(json.dumps(data, indent=2, default=str))


@session_app.callback()
def _session_options(
    actor: Annotated[
        str | None,
        typer.Option(
            envvar="IMPACT_ACTOR", help="Who the audit trail names (default: the facilitator)."
        ),
    ] = None,
) -> None:
    _State.actor = actor


# -- sessions ---------------------------------------------------------------------------------
@session_app.command("new")
@_guarded
def session_new(
    board: Annotated[str, typer.Option(help="The board, e.g. 'Anytown NHS FT Board'.")],
    org: Annotated[str, typer.Option(help="The organisation.")],
    framework: Annotated[str, typer.Option(help="Framework name (impact frameworks list).")],
    date_: Annotated[str, typer.Option("--date", help="Meeting date, YYYY-MM-DD.")],
    facilitator: Annotated[str | None, typer.Option(help="Who runs the session.")] = None,
    participants: Annotated[
        str | None, typer.Option(help='Members, comma-separated: "A, B".')
    ] = None,
    sections: Annotated[
        str | None, typer.Option(help="Section ids, comma-separated (default: all).")
    ] = None,
    next_board: Annotated[
        str | None,
        typer.Option(help="Next board date, YYYY-MM-DD (resolves 'before the next board')."),
    ] = None,
    carry_from: Annotated[
        str | None,
        typer.Option(help="An earlier session of this board: bring its open actions across."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Create a session; prints its id."""
    state = _service().create(
        framework=framework,
        board=board,
        organisation=org,
        meeting_date=parse_day(date_, "--date"),  # type: ignore[arg-type]
        actor=_State.actor,
        facilitator=facilitator,
        participants=[p for p in (participants or "").split(",")],
        sections=[s for s in sections.split(",")] if sections else None,
        next_board=parse_day(next_board, "--next-board"),
        carry_from=carry_from,
    )
    if as_json:
        _json({"id": state.id})
    else:
        out.print(state.id)
        err.print(f"[dim]Next: impact session run {state.id[:8]}  (or respond / show)[/]")


@session_app.command("list")
@_guarded
def session_list(
    board: Annotated[str | None, typer.Option(help="Only this board.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List this tenant's sessions, most recent first."""
    from assistant.session_render import print_sessions

    sessions = _service().list_sessions(board)
    if as_json:
        _json([s.to_dict() for s in sessions])
    else:
        print_sessions(out, sessions)


@session_app.command("show")
@_guarded
def session_show(session_id: SessionId, as_json: JsonOption = False) -> None:
    """Show a session: questions, ratings (the spread, never individual ratings) and actions."""
    from assistant.session_render import print_overview
    from assistant.session_views import session_view

    state = _service().get(session_id)
    if as_json:
        _json(session_view(state))
    else:
        print_overview(out, state)


def _ratings(raw: list[str] | None) -> dict[str, int]:
    found: dict[str, int] = {}
    for item in raw or []:
        member, sep, value = item.rpartition("=")
        if not sep or not member.strip():
            raise InvalidInput(f"--rate {item!r} is not MEMBER=N, e.g. --rate 'Sarah Jones=3'")
        try:
            found[member.strip()] = int(value.strip())
        except ValueError:
            raise InvalidInput(f"--rate {item!r}: the rating must be a whole number") from None
    return found


@session_app.command("respond")
@_guarded
def session_respond(
    session_id: SessionId,
    question: Annotated[str, typer.Option(help="Question id, e.g. c1.2.")],
    notes: Annotated[
        str | None, typer.Option(help="Notes of the discussion (actions are drafted from them).")
    ] = None,
    rate: Annotated[
        list[str] | None, typer.Option(help="A private rating MEMBER=N (repeatable).")
    ] = None,
    show_spread: Annotated[
        bool, typer.Option(help="Show the spread of the private ratings.")
    ] = False,
    agreed: Annotated[
        int | None, typer.Option(help="The agreed rating (needs --rationale).")
    ] = None,
    rationale: Annotated[str | None, typer.Option(help="Why the board agreed that rating.")] = None,
    target: Annotated[int | None, typer.Option(help="Target level (needs --by).")] = None,
    by: Annotated[str | None, typer.Option(help="Target date, YYYY-MM-DD.")] = None,
    decision: Annotated[str | None, typer.Option(help="A decision taken on this question.")] = None,
    skip: Annotated[str | None, typer.Option(help="Skip the question, with a reason.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Record the board's response to one question."""
    from assistant.session_render import print_actions, print_spread
    from assistant.session_views import action_view, question_view

    service = _service(drafting=notes is not None)
    before = {a.ref for a in service.get(session_id).actions}
    result = service.respond(
        session_id,
        question,
        actor=_State.actor,
        notes=notes,
        ratings=_ratings(rate),
        show_spread=show_spread,
        agreed=agreed,
        rationale=rationale,
        target=target,
        by=parse_day(by, "--by"),
        decision=decision,
        skip=skip,
    )
    state = result.state
    record = state.question(question.strip())
    assert record is not None
    new = [a for a in state.actions if a.ref not in before]
    for notice in result.notices:
        err.print(f"[yellow]{escape(notice)}[/]")
    if as_json:
        _json(
            {
                "question": question_view(state, record),
                "new_actions": [action_view(a) for a in new],
                "notices": result.notices,
            }
        )
        return
    for change in result.changes:
        out.print(f"[green]✓[/] {escape(change.summary)}")
    if record.spread_shown_at is not None and any(c.kind == "show_spread" for c in result.changes):
        print_spread(out, state, record)
    if new:
        print_actions(
            out,
            new,
            title="Drafted actions (agree, edit or drop each: impact session action ID REF)",
        )


@session_app.command("evidence")
@_guarded
def session_evidence(
    session_id: SessionId,
    question: Annotated[str, typer.Option(help="Question id.")],
    refresh: Annotated[
        bool, typer.Option(help="Search again even if evidence was shown before.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """What good looks like, and passages from the knowledge base (ours included), for a question."""
    from assistant.deps import open_knowledge_base
    from assistant.session_render import print_question

    settings = _settings()
    service = _service(settings)
    state, items = service.evidence(
        session_id, question, open_knowledge_base(settings), actor=_State.actor, refresh=refresh
    )
    record = state.question(question.strip())
    assert record is not None
    if as_json:
        found = state.framework_model().find(record.id)
        assert found is not None
        _json(
            {
                "question": record.id,
                "text": found[1].text,
                "good_looks_like": found[1].good_looks_like,
                "evidence": [i.model_dump() for i in items],
            }
        )
    else:
        print_question(out, state, record, items)


@session_app.command("actions")
@_guarded
def session_actions(
    session_id: SessionId,
    status: Annotated[
        str | None, typer.Option(help="Only this status: draft, agreed, done, dropped.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List the session's actions with their source (the exact words, or the rating gap)."""
    from assistant.session_model import ACTION_STATUSES
    from assistant.session_render import print_actions
    from assistant.session_views import action_view

    if status is not None and status not in ACTION_STATUSES:
        raise InvalidInput(f"--status {status!r} is not one of {', '.join(ACTION_STATUSES)}")
    actions = [
        a for a in _service().get(session_id).actions if status is None or a.status == status
    ]
    if as_json:
        _json([action_view(a) for a in actions])
    else:
        print_actions(out, actions)


@session_app.command("action")
@_guarded
def session_action(
    session_id: SessionId,
    ref: Annotated[str, typer.Argument(help="Action reference, e.g. A3.")],
    status: Annotated[str | None, typer.Option(help="draft, agreed, done or dropped.")] = None,
    owner: Annotated[str | None, typer.Option(help="The owner (a person or role).")] = None,
    no_owner: Annotated[bool, typer.Option("--no-owner", help="Clear the owner.")] = False,
    due: Annotated[str | None, typer.Option(help="Due date, YYYY-MM-DD.")] = None,
    no_due: Annotated[bool, typer.Option("--no-due", help="Clear the due date.")] = False,
    text: Annotated[str | None, typer.Option(help="New wording of the action.")] = None,
    priority: Annotated[str | None, typer.Option(help="high, medium or low.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Agree, complete, drop or edit an action (every edit is audited)."""
    from assistant.session_views import action_view

    changes: dict[str, Any] = {}
    for key, value in (
        ("status", status),
        ("owner", owner),
        ("text", text),
        ("priority", priority),
    ):
        if value is not None:
            changes[key] = value
    if due is not None:
        changes["due"] = parse_day(due, "--due")
    if no_owner:
        changes["owner"] = None
    if no_due:
        changes["due"] = None
    if not changes:
        raise InvalidInput("nothing to change: give --status, --owner, --due, --text or --priority")
    result = _service().edit_action(session_id, ref, actor=_State.actor, **changes)
    action = result.state.action(ref)
    assert action is not None
    if as_json:
        _json(action_view(action))
    else:
        out.print(f"[green]✓[/] {escape(result.changes[-1].summary)}")


__all__ = ["frameworks_app", "parse_day", "session_app"]
