"""Checks shared by the facilitation steps: they raise before anything changes."""

from __future__ import annotations

import textwrap

from assistant.errors import InvalidInput, InvalidRating, QuestionNotFound
from assistant.session_model import QuestionRecord, SessionState

MAX_TEXT = 20_000


def short(text: str, width: int = 70) -> str:
    return textwrap.shorten(" ".join(text.split()), width, placeholder=" ...")


def question(state: SessionState, question_id: str) -> QuestionRecord:
    record = state.question(question_id.strip())
    if record is None:
        ids = [q.id for q in state.questions]
        shown = ", ".join(ids[:12]) + (" ..." if len(ids) > 12 else "")
        raise QuestionNotFound(
            f"no question {question_id!r} in session {state.id[:8]}: its questions are {shown}"
        )
    return record


def text(value: str | None, what: str) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise InvalidInput(f"{what} is empty: write a few words")
    if len(cleaned) > MAX_TEXT:
        raise InvalidInput(f"{what} is {len(cleaned)} characters; the limit is {MAX_TEXT}")
    return cleaned


def level(state: SessionState, value: int, what: str) -> int:
    scale = state.scale
    if scale.level(value) is None:
        raise InvalidRating(
            f"{what} {value} is outside the {state.framework} scale: use a whole number from "
            f"{scale.min} to {scale.max}"
        )
    return value


def member(state: SessionState, name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput("a rating needs the member's name: MEMBER=N")
    if not state.participants:
        return cleaned
    for participant in state.participants:
        if participant.casefold() == cleaned.casefold():
            return participant
    raise InvalidInput(
        f"{cleaned!r} is not a participant of this session ({', '.join(state.participants)}): "
        "check the spelling, or add them to the participants"
    )
