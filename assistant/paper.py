"""The board paper's content, built from a session (the DOCX and Markdown writers render it).

Only agreed and done actions make the action log; drafts are listed apart as "proposed, not yet
agreed" so the board sees them without mistaking them for agreed actions; dropped ones are left
out. Individual ratings never appear: only the spread, the agreed rating and its rationale.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from assistant.session_model import CQC_STATEMENT, Action, SessionState
from prompts.frameworks import Framework, RatingScale

__all__ = ["PaperContent", "RatingRow", "build_paper", "long_date", "source_label"]

TO_COMPLETE = "[to be completed]"


def long_date(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "-"


@dataclass(frozen=True)
class RatingRow:
    section: str
    question: str
    label: str  # what the chart and table call it
    agreed: int | None
    agreed_text: str
    spread_text: str
    target: int | None
    target_text: str
    rationale: str


@dataclass(frozen=True)
class QuestionPart:
    text: str
    notes: list[str]
    decisions: list[str]
    outcome: str  # agreed rating line, "skipped: ...", or ""


@dataclass(frozen=True)
class SectionPart:
    title: str
    summary: str | None
    questions: list[QuestionPart]


@dataclass
class PaperContent:
    """Everything the paper says, in order."""

    title: str
    draft: bool
    cover: list[tuple[str, str]]
    executive_summary: str
    recommendation: str
    ratings: list[RatingRow]
    sections: list[SectionPart]
    action_log: list[Action]
    proposed: list[Action]
    sources: list[str]
    framework_sources: list[str]
    scale_note: str
    scale_levels: list[tuple[int, str, str]] = field(default_factory=list)
    section_titles: dict[str, str] = field(default_factory=dict)


def _spread_words(ratings: dict[str, int], shown: bool, scale: RatingScale) -> str:
    """'2 members at Level 2, 1 at Level 3 (range 2 to 3)': how many chose each level used.

    Never an average, and never who chose what.
    """
    if not ratings:
        return "no private ratings"
    if not shown:
        return f"{len(ratings)} private ratings (spread not shown)"
    counts = Counter(ratings.values())
    low, high = min(counts), max(counts)
    parts = [f"{counts[level]} at {scale.label(level)}" for level in sorted(counts)]
    first = counts[sorted(counts)[0]]
    parts[0] = parts[0].replace(" at ", f" member{'s' if first != 1 else ''} at ", 1)
    span = f"all at {low}" if low == high else f"range {low} to {high}"
    return f"{', '.join(parts)} ({span})"


def source_label(action: Action) -> str:
    """Where an action came from, for the action log's Source column."""
    src = action.source
    if src.kind == "notes":
        return f"{src.question}: \u201c{src.quote}\u201d"
    if src.kind == "gap":
        return f"rating gap on {src.question} ({src.gap})"
    if src.kind == "carried":
        session, _, ref = (src.carried_from or "").partition("/")
        return f"carried over from session {session[:8]} ({ref})"
    return f"facilitator{f' ({src.question})' if src.question else ''}"


def _rating_rows(state: SessionState, fw: Framework) -> list[RatingRow]:
    rows = []
    scale = state.scale
    for record in state.questions:
        if not record.rated:
            continue
        section = fw.section(record.section)
        title = section.title if section else record.section
        rated_here = [q for q in state.questions if q.section == record.section and q.rated]
        label = title if len(rated_here) == 1 else f"{title} ({record.id})"
        target_text = (
            f"{scale.label(record.target)} by {long_date(record.target_by)}"
            if record.target is not None
            else "not set"
        )
        rows.append(
            RatingRow(
                section=title,
                question=record.id,
                label=label,
                agreed=record.agreed,
                agreed_text=scale.label(record.agreed)
                if record.agreed is not None
                else "not agreed",
                spread_text=_spread_words(
                    record.ratings, record.spread_shown_at is not None, scale
                ),
                target=record.target,
                target_text=target_text,
                rationale=record.rationale or ("skipped" if record.stage == "skipped" else ""),
            )
        )
    return rows


def _sections(state: SessionState, fw: Framework) -> list[SectionPart]:
    parts = []
    for section_id in state.sections:
        section = fw.section(section_id)
        questions = []
        for record in (q for q in state.questions if q.section == section_id):
            found = fw.find(record.id)
            outcome = ""
            if record.stage == "skipped":
                outcome = "Not discussed" + (
                    f": {record.skipped_reason}" if record.skipped_reason else ""
                )
            elif record.agreed is not None:
                outcome = f"Agreed rating: {state.scale.label(record.agreed)}. Rationale: {record.rationale}"
            if not (record.notes or record.decisions or outcome):
                continue
            questions.append(
                QuestionPart(
                    text=found[1].text if found else record.id,
                    notes=[n.text for n in record.notes],
                    decisions=[d.text for d in record.decisions],
                    outcome=outcome,
                )
            )
        summary = state.section_record(section_id)
        parts.append(
            SectionPart(
                title=section.title if section else section_id,
                summary=summary.summary if summary else None,
                questions=questions,
            )
        )
    return parts


def _sources(state: SessionState) -> list[str]:
    seen: dict[str, None] = {}
    for record in state.questions:
        for item in record.evidence:
            where = [item.title]
            if item.page is not None:
                where.append(f"p. {item.page}")
            if item.heading:
                where.append(item.heading)
            link = item.url or item.source
            label = ", ".join(where) + (
                f" ({'our paper: ' if item.own else ''}{link})" if link else ""
            )
            seen.setdefault(label, None)
    return list(seen)


def build_paper(state: SessionState) -> PaperContent:
    """The paper's content: cover sheet, summary, ratings, discussion, action log, sources."""
    fw = state.framework_model()
    paper = state.paper
    ratings = _rating_rows(state, fw)
    log = [a for a in state.actions if a.status in ("agreed", "done")]
    proposed = [a for a in state.actions if a.status == "draft"]
    title = paper.report_title or f"{fw.title}: outcome of the board development session"
    titles = [sec.title if (sec := fw.section(s)) else s for s in state.sections]
    agreed = [r for r in ratings if r.agreed is not None]
    summary = paper.executive_summary or " ".join(
        part
        for part in (
            f"On {long_date(state.meeting_date)} the board of {state.organisation} held a "
            f"facilitated development session using the framework '{fw.title}', covering "
            f"{len(titles)} area{'s' if len(titles) != 1 else ''}: {'; '.join(titles)}.",
            "Members rated the organisation privately before the spread was shown and a rating "
            "agreed together."
            if agreed
            else "",
            (
                "Agreed ratings: "
                + "; ".join(f"{r.label} {r.agreed_text} (target {r.target_text})" for r in agreed)
                + "."
            )
            if agreed
            else "",
            f"The board agreed {len(log)} action{'s' if len(log) != 1 else ''}, each with an owner"
            + (
                f"; {len(proposed)} proposed action{'s need' if len(proposed) != 1 else ' needs'} "
                "agreement."
                if proposed
                else "."
            ),
        )
        if part
    )
    recommendation = paper.recommendation or (
        "The board is asked to note the agreed ratings and targets, and to approve the action log"
        f" ({len(log)} action{'s' if len(log) != 1 else ''})."
    )
    cover = [
        ("Meeting", paper.meeting or f"{state.board}: board development session"),
        ("Date", long_date(state.meeting_date)),
        ("Agenda item", paper.agenda_item or TO_COMPLETE),
        ("Report title", title),
        ("Author", paper.author or state.facilitator or TO_COMPLETE),
        ("Lead director", paper.lead_director or TO_COMPLETE),
        ("Purpose", paper.purpose or "For discussion and approval"),
        ("Executive summary", summary),
        ("Recommendation", recommendation),
        ("Links to strategic objectives", paper.strategic_objectives or TO_COMPLETE),
        ("Links to risks", paper.risks or TO_COMPLETE),
        ("CQC well-led quality statement", CQC_STATEMENT),
    ]
    scale = state.scale
    return PaperContent(
        title=title,
        draft=state.status != "closed",
        cover=cover,
        executive_summary=summary,
        recommendation=recommendation,
        ratings=ratings,
        sections=_sections(state, fw),
        action_log=log,
        proposed=proposed,
        sources=_sources(state),
        framework_sources=list(fw.sources),
        scale_note=scale.note,
        scale_levels=[(lv.value, lv.label, lv.descriptor) for lv in scale.levels],
        section_titles={sec.id: sec.title for sec in fw.sections},
    )
