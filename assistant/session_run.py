"""`impact session run`: the session in the room, one question at a time, saved after every line.

Anything typed that is not a command is a note on the current question (actions are drafted
from it at once). Private ratings can be typed by the facilitator (/rate Helen=2 Tom=3) or
entered by each member in turn without being shown on screen (/rate on its own). Input is read
through `read` and `read_secret`, so tests drive it like a person would.
"""

from __future__ import annotations

import getpass
import re
import shlex
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.markup import escape

from assistant.errors import AssistantError, InvalidInput
from assistant.facilitation import Move, Revisit, Summarise
from assistant.facilitation_steps import positions
from assistant.session_model import EvidenceItem, SessionState
from assistant.session_render import (
    header,
    print_actions,
    print_question,
    print_spread,
    print_status,
)
from assistant.session_service import SessionService, StepResult

__all__ = ["HELP", "run_session"]

HELP = """\
Type notes on the question as the board talks (one line at a time); actions are drafted from them.
  /rate                 each member types a private rating in turn (hidden)
  /rate NAME=N ...      record private ratings given to you (e.g. /rate "Sarah Jones=3" Tom=2)
  /spread               show the spread of the private ratings (never an average)
  /agree N REASON       the agreed rating and why      /target N YYYY-MM-DD   target and by when
  /decision TEXT        record a decision              /skip [REASON]         skip this question
  /next  /back  /goto QID  /rerate (reopen the ratings of this question)
  /actions              the actions so far             /summary TEXT          summary of this section
  /agree-action REF [owner=NAME] [due=YYYY-MM-DD]   /done REF   /drop REF   /owner REF NAME
  /evidence             search the knowledge base again
  /show  /help  /close (close the session)  /quit (leave; everything is saved)"""


class _Room:
    def __init__(
        self,
        console: Console,
        service: SessionService,
        session_id: str,
        actor: str | None,
        kb_factory: Callable[[], Any] | None,
        read: Callable[[str], str],
        read_secret: Callable[[str], str],
    ) -> None:
        self.console = console
        self.service = service
        self.state = service.get(session_id)
        self.actor = actor
        self.kb_factory = kb_factory
        self.kb: Any = None
        self.read = read
        self.read_secret = read_secret

    # -- display ----------------------------------------------------------------------------
    def position(self) -> tuple[str, str]:
        return positions(self.state)[self.state.cursor]

    def evidence(self, question: str, refresh: bool = False) -> list[EvidenceItem] | None:
        record = self.state.question(question)
        if record is not None and record.evidence and not refresh:
            return record.evidence
        if self.kb_factory is None:
            return None
        try:
            if self.kb is None:
                with self.console.status("Loading the knowledge base…"):
                    self.kb = self.kb_factory()
            with self.console.status("Finding evidence…"):
                self.state, items = self.service.evidence(
                    self.state.id, question, self.kb, actor=self.actor, refresh=refresh
                )
            return items
        except AssistantError:
            raise
        except Exception as exc:  # the knowledge base is optional in the room
            self.console.print(f"[yellow]No evidence: {escape(str(exc))}[/]")
            self.kb_factory = None
            return None

    def show(self) -> None:
        kind, target = self.position()
        if kind == "question":
            record = self.state.question(target)
            assert record is not None
            print_question(self.console, self.state, record, self.evidence(target))
        elif kind == "summary":
            self.console.print(header(self.state))
            self.console.print(
                "Type a short summary of this section's discussion, or /next to move on."
            )
        else:
            self.console.print(header(self.state))
            print_actions(self.console, self.state.actions)
            self.console.print(
                "Agree or drop each draft (/agree-action REF, /drop REF), then /close."
            )

    def done(self, result: StepResult) -> None:
        before = {a.ref for a in self.state.actions}
        self.state = result.state
        for notice in result.notices:
            self.console.print(f"[yellow]{escape(notice)}[/]")
        for change in result.changes:
            if change.kind != "move":
                self.console.print(f"[green]✓[/] {escape(change.summary)}")
        new = [a for a in self.state.actions if a.ref not in before]
        if new:
            print_actions(self.console, new, title="Drafted (agree with /agree-action REF)")

    # -- steps ------------------------------------------------------------------------------
    def question_here(self) -> str:
        kind, target = self.position()
        if kind != "question":
            raise InvalidInput("move to a question first (/goto QID or /back)")
        return target

    def respond(self, **kwargs: Any) -> None:
        self.done(
            self.service.respond(self.state.id, self.question_here(), actor=self.actor, **kwargs)
        )

    def step(self, *events: Any) -> None:
        self.done(self.service.step(self.state.id, list(events), actor=self.actor))

    def move(self, to: str) -> None:
        self.step(Move(to=to))
        self.show()

    def private_round(self) -> None:
        self.question_here()  # only at a question
        scale = self.state.scale
        members = self.state.participants or []
        if not members:
            names = self.read("Who is rating? (names, comma-separated): ")
            members = [n.strip() for n in names.split(",") if n.strip()]
        ratings: dict[str, int] = {}
        for member in members:
            while True:
                raw = self.read_secret(
                    f"{member}, your rating ({scale.min}-{scale.max}, Enter to pass): "
                ).strip()
                if not raw:
                    break
                if raw.isdigit() and scale.level(int(raw)) is not None:
                    ratings[member] = int(raw)
                    break
                self.console.print(
                    f"[yellow]A whole number from {scale.min} to {scale.max}, please.[/]"
                )
        if ratings:
            self.respond(ratings=ratings)
            self.console.print(
                f"{len(ratings)} private ratings recorded; /spread shows the spread."
            )

    def command(self, line: str) -> bool:
        """Run one line; False when the person leaves."""
        words = shlex.split(line) if line.startswith("/") else []
        name = words[0].lower() if words else ""
        args = words[1:]
        rest = line.split(None, 1)[1] if len(line.split(None, 1)) > 1 else ""
        if not line.startswith("/"):
            kind, target = self.position()
            if kind == "summary":
                self.step(Summarise(section=target, text=line))
                self.show()
            elif kind == "question":
                self.respond(notes=line)
            else:
                self.console.print(
                    "[yellow]The questions are done: /agree-action, /drop, /close.[/]"
                )
            return True
        if name in ("/quit", "/exit", "/q"):
            return False
        if name == "/help":
            self.console.print(HELP)
        elif name == "/show":
            self.show()
        elif name in ("/next", "/back"):
            self.move(name[1:])
        elif name == "/goto":
            self.move(_one(args, "/goto QID"))
        elif name == "/rerate":
            self.step(Revisit(question=self.question_here(), reopen_rating=True))
        elif name == "/rate":
            if args:
                self.respond(ratings=_ratings(rest))
            else:
                self.private_round()
        elif name == "/spread":
            self.respond(show_spread=True)
            record = self.state.question(self.question_here())
            assert record is not None
            print_spread(self.console, self.state, record)
        elif name == "/agree":
            if len(args) < 2 or not args[0].isdigit():
                raise InvalidInput("/agree N REASON, e.g. /agree 2 pockets of good practice only")
            self.respond(agreed=int(args[0]), rationale=" ".join(args[1:]))
        elif name == "/target":
            if len(args) != 2 or not args[0].isdigit():
                raise InvalidInput("/target N YYYY-MM-DD, e.g. /target 3 2026-03-31")
            from assistant.session_cli import parse_day

            self.respond(target=int(args[0]), by=parse_day(args[1], "/target"))
        elif name == "/decision":
            self.respond(decision=" ".join(args))
        elif name == "/skip":
            self.respond(skip=" ".join(args))
            self.show()
        elif name == "/summary":
            kind, target = self.position()
            record = self.state.question(target) if kind == "question" else None
            section = record.section if record is not None else target
            self.step(Summarise(section=section, text=" ".join(args)))
        elif name == "/actions":
            print_actions(self.console, self.state.actions)
        elif name in ("/agree-action", "/done", "/drop"):
            status = {"/agree-action": "agreed", "/done": "done", "/drop": "dropped"}[name]
            ref, extra = _one(args[:1], f"{name} REF"), _options(rest.split(None, 1)[1:])
            changes: dict[str, Any] = {"status": status}
            if "owner" in extra:
                changes["owner"] = extra["owner"]
            if "due" in extra:
                from assistant.session_cli import parse_day

                changes["due"] = parse_day(str(extra["due"]), "due=")
            self.done(self.service.edit_action(self.state.id, ref, actor=self.actor, **changes))
        elif name == "/owner":
            if len(args) < 2:
                raise InvalidInput("/owner REF NAME")
            self.done(
                self.service.edit_action(
                    self.state.id, args[0], actor=self.actor, owner=" ".join(args[1:])
                )
            )
        elif name == "/evidence":
            question = self.question_here()
            record = self.state.question(question)
            assert record is not None
            print_question(self.console, self.state, record, self.evidence(question, refresh=True))
        elif name == "/close":
            self.done(self.service.close(self.state.id, actor=self.actor))
            return False
        else:
            self.console.print(f"[yellow]Unknown command {escape(name)}.[/] /help lists them.")
        return True


def _one(args: list[str], usage: str) -> str:
    if len(args) != 1:
        raise InvalidInput(f"usage: {usage}")
    return args[0]


_RATING = re.compile(r"\s*(?P<name>[^=,]+?)\s*=\s*(?P<value>\S+)\s*,?")
_OPTION = re.compile(r"\b(?P<key>owner|due)=(?P<value>.*?)(?=\s+(?:owner|due)=|$)", re.I)


def _ratings(text: str) -> dict[str, int]:
    """'Helen Ward=2 Tom Patel=3' (quotes and commas allowed) as {member: level}."""
    found: dict[str, int] = {}
    cleaned = text.replace('"', " ").replace("'", " ")
    matches = list(_RATING.finditer(cleaned))
    if not matches or "".join(m.group(0) for m in matches).strip() != cleaned.strip():
        raise InvalidInput(f"{text!r} is not NAME=N ..., e.g. /rate Helen Ward=2 Tom Patel=3")
    for match in matches:
        value = match["value"]
        if not value.lstrip("-").isdigit():
            raise InvalidInput(f"{match.group(0).strip()!r}: the rating must be a whole number")
        found[match["name"].strip()] = int(value)
    return found


def _options(rest: list[str]) -> dict[str, str]:
    """'owner=Helen Ward due=2025-06-30' as {"owner": ..., "due": ...}."""
    text = rest[0] if rest else ""
    found = {m["key"].lower(): m["value"].strip() for m in _OPTION.finditer(text)}
    if text.strip() and not found:
        raise InvalidInput(f"{text!r}: use owner=NAME and/or due=YYYY-MM-DD")
    return found


def run_session(
    console: Console,
    service: SessionService,
    session_id: str,
    *,
    actor: str | None = None,
    kb_factory: Callable[[], Any] | None = None,
    read: Callable[[str], str] = input,
    read_secret: Callable[[str], str] = getpass.getpass,
) -> SessionState:
    """Run the session until /quit, /close or end of input; returns the last saved state."""
    room = _Room(console, service, session_id, actor, kb_factory, read, read_secret)
    if room.state.status == "closed":
        console.print(header(room.state))
        console.print("[yellow]This session is closed.[/] Its actions: `impact session actions`.")
        return room.state
    console.print("[dim]Everything you enter is saved at once. /help lists the commands.[/]")
    room.show()
    while True:
        kind, target = room.position()
        prompt = (
            f"{target}> "
            if kind == "question"
            else ("summary> " if kind == "summary" else "review> ")
        )
        try:
            line = read(prompt).strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            break
        if not line:
            continue
        try:
            if not room.command(line):
                break
        except AssistantError as exc:
            console.print(f"[red]✗ {escape(str(exc))}[/] (nothing was changed)")
        except ValueError as exc:  # e.g. unbalanced quotes in a command
            console.print(f"[red]✗ {escape(str(exc))}[/]")
        else:
            if kind == "question" and room.position()[0] == "question":
                record = room.state.question(room.position()[1])
                if record is not None and not line.startswith(
                    ("/show", "/help", "/actions", "/evidence", "/next", "/back", "/goto", "/skip")
                ):
                    print_status(console, room.state, record)
    console.print(f"[dim]Saved. Resume with: impact session run {room.state.id[:8]}[/]")
    return room.state
