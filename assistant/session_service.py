"""Board sessions as the CLI and the HTTP API use them: load, apply steps, draft actions, save.

`SessionService(store, tenant)` is the public surface: every method works inside one tenant,
applies the facilitation state machine in memory and saves the result (with its audit entries)
in one transaction, so a refused step changes nothing and an accepted one is never lost. The
LLM, when configured, is called here (through the Drafter), around the pure transitions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant import facilitation as fx
from assistant.action_drafting import Drafter
from assistant.errors import InvalidInput
from assistant.evidence import evidence_items, question_evidence
from assistant.facilitation_checks import question as find_question
from assistant.frameworks import get_framework, list_frameworks, validate_framework
from assistant.session_model import Action, ActionSource, EvidenceItem, SessionState
from assistant.sessions import AuditEntry, SessionStore, SessionSummary, new_session_id

if TYPE_CHECKING:
    from assistant.settings import Settings
    from knowledge import KnowledgeBase

__all__ = [
    "SessionService",
    "StepResult",
    "get_framework",
    "list_frameworks",
    "make_drafter",
    "open_session_store",
    "validate_framework",
]

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def open_session_store(settings: Settings) -> SessionStore:
    """The store the settings name: IMPACT_DATABASE_URL, or SQLite in the data directory."""
    from knowledge.db import default_database_url

    return SessionStore.open(settings.database_url or default_database_url(settings.data_dir))


def make_drafter(settings: Settings) -> Drafter:
    """Rules offline; the configured LLM (validated, quote-checked) when there is one."""
    llm = None
    if settings.llm_provider != "none":
        from assistant.llm import chat_model_from_settings

        llm = chat_model_from_settings(settings)
    return Drafter(llm, settings.prompts_dir)


@dataclass
class StepResult:
    """The saved state, the changes made, and notices for the person (e.g. an LLM fallback)."""

    state: SessionState
    changes: list[fx.Change] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


class SessionService:
    """Board sessions of one tenant."""

    def __init__(
        self,
        store: SessionStore,
        tenant: str,
        *,
        drafter: Drafter | None = None,
        frameworks_dir: Path | None = None,
        clock: Clock = _now,
        default_actor: str = "unknown",
    ) -> None:
        self.store = store
        self.tenant = tenant
        self.drafter = drafter or Drafter()
        self.frameworks_dir = frameworks_dir
        self.clock = clock
        self.default_actor = default_actor

    def _who(self, actor: str | None, state: SessionState | None = None) -> str:
        """Who the audit names: the actor given, else the session's facilitator, else the default."""
        name = " ".join((actor or "").split())
        return name or (state.facilitator if state and state.facilitator else self.default_actor)

    # -- reading ------------------------------------------------------------------------------
    def get(self, session_id: str) -> SessionState:
        return self.store.load(self.tenant, session_id)

    def list_sessions(self, board: str | None = None) -> list[SessionSummary]:
        return self.store.list_sessions(self.tenant, board)

    def audit(self, session_id: str) -> list[AuditEntry]:
        return self.store.audit(self.tenant, session_id)

    def compare(self, first: str, second: str) -> dict[str, Any]:
        """Ratings per area and the earlier session's actions, earlier session first."""
        from assistant.compare import compare_sessions

        return compare_sessions(self.get(first), self.get(second))

    def export(self, session_id: str, fmt: str, out: Path) -> list[Path]:
        """Write the board paper (docx, md), the action log (csv) or the chart (png)."""
        from assistant.exports import export_session

        return export_session(self.get(session_id), fmt, out)

    # -- creating -----------------------------------------------------------------------------
    def create(
        self,
        *,
        framework: str,
        board: str,
        organisation: str,
        meeting_date: date,
        actor: str | None = None,
        facilitator: str | None = None,
        participants: Sequence[str] = (),
        sections: Sequence[str] | None = None,
        next_board: date | None = None,
        paper: dict[str, Any] | None = None,
        carry_from: str | None = None,
    ) -> SessionState:
        """A new open session over `framework` (all its sections unless `sections` says)."""
        fw = get_framework(framework, self.frameworks_dir)
        earlier = self.get(carry_from) if carry_from else None
        now = self.clock()
        state = fx.new_session(
            fw,
            session_id=new_session_id(),
            tenant=self.tenant,
            board=board,
            organisation=organisation,
            meeting_date=meeting_date,
            now=now,
            facilitator=facilitator,
            participants=participants,
            sections=sections,
            next_board=next_board,
            paper=paper,
        )
        board = state.board
        chosen = state.sections
        changes = [
            fx.Change(
                kind="create",
                summary=f"created: {fw.name} for {board}, {meeting_date.isoformat()}, "
                f"sections {', '.join(chosen)}",
                detail={"framework": fw.name, "board": board, "date": meeting_date.isoformat()},
            )
        ]
        if earlier is not None:
            changes.append(self._carry(state, earlier, now))
        self.store.create(state, changes, self._who(actor, state))
        return state

    def _carry(self, state: SessionState, earlier: SessionState, now: datetime) -> fx.Change:
        """Open (agreed, not done) actions of an earlier session come across, linked to it."""
        if earlier.board.casefold() != state.board.casefold():
            raise InvalidInput(
                f"session {earlier.id[:8]} is of {earlier.board!r}, not {state.board!r}: carry "
                "actions over only between sessions of the same board"
            )
        carried = []
        for old in earlier.actions:
            if old.status != "agreed":
                continue
            question = old.source.question if state.question(old.source.question or "") else None
            state.actions.append(
                Action(
                    ref=f"A{state.next_ref}",
                    text=old.text,
                    owner=old.owner,
                    due=old.due,
                    component=old.component,
                    priority=old.priority,
                    status="agreed",
                    source=ActionSource(
                        kind="carried", question=question, carried_from=f"{earlier.id}/{old.ref}"
                    ),
                    origin="carried",
                    created_at=now,
                    updated_at=now,
                )
            )
            state.next_ref += 1
            carried.append(f"{old.ref}->A{state.next_ref - 1}")
        state.carried_from = earlier.id
        return fx.Change(
            kind="carry",
            summary=f"carried {len(carried)} open actions from session {earlier.id[:8]}"
            + (f" ({', '.join(carried)})" if carried else ""),
            detail={"from": earlier.id, "actions": carried},
        )

    # -- steps --------------------------------------------------------------------------------
    def step(
        self, session_id: str, events: Sequence[fx.Event], *, actor: str | None = None
    ) -> StepResult:
        """Apply `events` in order and save once; any refusal saves nothing."""
        state = self.get(session_id)
        who = self._who(actor, state)
        result = self._apply_all(state, list(events), who)
        if result.changes:
            self.store.save(result.state, state.version, result.changes, who)
        return result

    def _apply_all(self, state: SessionState, events: list[fx.Event], actor: str) -> StepResult:
        result = StepResult(state)
        now = self.clock()
        for event in events:
            result.state, change = fx.apply(result.state, event, actor=actor, now=now)
            result.changes.append(change)
            if isinstance(event, fx.AddNotes):
                self._draft(result, event, actor, now)
        return result

    def _draft(self, result: StepResult, event: fx.AddNotes, actor: str, now: datetime) -> None:
        state = result.state
        record = state.question(event.question.strip())
        assert record is not None
        found = state.framework_model().find(record.id)
        drafted = self.drafter.draft(
            record.notes[-1].text,
            meeting=state.meeting_date,
            next_board=state.next_board,
            participants=state.participants,
            question=found[1].text if found else "",
        )
        if drafted.notice:
            result.notices.append(drafted.notice)
        for reason in drafted.discarded:
            result.notices.append(f"discarded a drafted action: {reason}")
        if not drafted.actions:
            return
        proposal = fx.ProposeActions(
            actions=[
                fx.ActionDraft(
                    text=d.text,
                    owner=d.owner,
                    due=d.due,
                    due_text=d.due_text,
                    question=record.id,
                    quote=d.quote,
                    note=len(record.notes) - 1,
                    priority=d.priority,  # type: ignore[arg-type]
                    origin=drafted.origin,  # type: ignore[arg-type]
                    confidence=d.confidence,  # type: ignore[arg-type]
                )
                for d in drafted.actions
            ]
        )
        result.state, change = fx.apply(state, proposal, actor=actor, now=now)
        result.changes.append(change)

    def respond(
        self,
        session_id: str,
        question: str,
        *,
        actor: str | None = None,
        notes: str | None = None,
        ratings: dict[str, int] | None = None,
        show_spread: bool = False,
        agreed: int | None = None,
        rationale: str | None = None,
        target: int | None = None,
        by: date | None = None,
        decision: str | None = None,
        skip: str | None = None,
    ) -> StepResult:
        """The board's response to one question, in the order the room works through it."""
        if (
            all(v is None for v in (notes, agreed, target, decision, skip))
            and not ratings
            and not show_spread
        ):
            raise InvalidInput(
                "nothing to record: give --notes, --rate, --show-spread, --agreed, --target, "
                "--decision or --skip"
            )
        if (target is None) != (by is None):
            raise InvalidInput(
                "a target needs both a level (--target N) and a date (--by YYYY-MM-DD)"
            )
        if agreed is not None and not (rationale or "").strip():
            raise InvalidInput("an agreed rating needs its rationale (--rationale TEXT)")
        state = self.get(session_id)
        qid = find_question(state, question).id
        result = StepResult(state)
        actor = self._who(actor, state)

        def run(*events: fx.Event) -> None:
            more = self._apply_all(result.state, list(events), actor)
            result.state = more.state
            result.changes += more.changes
            result.notices += more.notices

        if notes is not None:
            run(fx.AddNotes(question=qid, text=notes))
        for member, level in (ratings or {}).items():
            run(fx.Rate(question=qid, member=member, level=level))
        record = result.state.question(qid)
        assert record is not None
        if (show_spread or agreed is not None) and record.stage == "rating":
            run(fx.ShowSpread(question=qid))
        elif show_spread and agreed is None:
            run(fx.ShowSpread(question=qid))  # refused with the reason unless it is rating
        if agreed is not None:
            run(fx.Agree(question=qid, level=agreed, rationale=rationale or ""))
        if target is not None and by is not None:
            run(fx.SetTarget(question=qid, level=target, by=by))
        if decision is not None:
            run(fx.Decide(question=qid, text=decision))
        if skip is not None:
            run(fx.Skip(question=qid, reason=skip))
        self.store.save(result.state, state.version, result.changes, actor)
        return result

    def edit_action(
        self, session_id: str, ref: str, *, actor: str | None = None, **changes: Any
    ) -> StepResult:
        """Change an action's status, owner, due date, text or priority (None clears owner/due)."""
        return self.step(session_id, [fx.EditAction(ref=ref, changes=changes)], actor=actor)

    def add_action(self, session_id: str, *, actor: str | None = None, **fields: Any) -> StepResult:
        return self.step(session_id, [fx.AddAction(**fields)], actor=actor)

    def update_details(
        self, session_id: str, *, actor: str | None = None, **changes: Any
    ) -> StepResult:
        return self.step(session_id, [fx.UpdateDetails(changes=changes)], actor=actor)

    def close(self, session_id: str, *, actor: str | None = None) -> StepResult:
        return self.step(session_id, [fx.Close()], actor=actor)

    # -- evidence -----------------------------------------------------------------------------
    def evidence(
        self,
        session_id: str,
        question: str,
        kb: KnowledgeBase,
        *,
        actor: str | None = None,
        refresh: bool = False,
    ) -> tuple[SessionState, list[EvidenceItem]]:
        """The passages for a question (searched once, then kept with the session)."""
        state = self.get(session_id)
        record = find_question(state, question)
        if record.evidence and not refresh:
            return state, record.evidence
        found = state.framework_model().find(record.id)
        section = state.framework_model().section(record.section)
        query = found[1].evidence_query if found else record.id
        items = evidence_items(
            question_evidence(kb, query, section.components if section else (), tenant=self.tenant)
        )
        if state.status == "closed":
            return state, items  # a closed session is read, not changed
        result = self.step(
            state.id, [fx.RecordEvidence(question=record.id, items=items)], actor=actor
        )
        return result.state, items
