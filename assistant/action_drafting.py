"""Drafting action notes: by rules offline, or by the configured LLM with validated output.

The LLM's reply must be one JSON object that validates against `ActionReply` (pydantic). Every
action it proposes must quote words that really occur in the notes, or it is discarded; an owner
the notes do not mention is dropped (never guessed); due dates are resolved from the quoted
deadline words by the same rules as offline, never taken from the model. When the model fails
or replies with something unusable, the rules draft the actions and a notice says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.actions import DraftAction, extract_actions, normalise_space
from assistant.duedates import find_due
from assistant.errors import ConfigurationError, ProviderError
from prompts import PromptError, load_prompt

__all__ = ["ActionReply", "Drafted", "Drafter", "LLMAction", "validate_reply"]

_TAG = re.compile(r"<(?=\s*/?\s*[A-Za-z_!?])")
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.I)
_THINK = re.compile(r"^\s*<think>.*?</think>", re.S)


class LLMAction(BaseModel):
    """One action as the model must return it."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    action: str = Field(min_length=2, max_length=400)
    owner: str | None = Field(default=None, max_length=120)
    due_words: str | None = Field(default=None, max_length=120)
    quote: str = Field(min_length=3, max_length=1200)


class ActionReply(BaseModel):
    """The model's whole reply."""

    model_config = ConfigDict(extra="ignore")

    actions: list[LLMAction] = Field(default_factory=list, max_length=30)


@dataclass
class Drafted:
    """Drafts for one note, how they were made, and what was discarded and why."""

    actions: list[DraftAction]
    origin: str  # "rules" or "llm"
    discarded: list[str] = field(default_factory=list)
    notice: str | None = None


def _find(needle: str, haystack: str) -> str | None:
    """The words of `haystack` matching `needle` (spaces and case ignored), as written there."""
    flat_needle = normalise_space(needle).strip(" .\"'“”")
    flat = normalise_space(haystack)
    if not flat_needle:
        return None
    at = flat.casefold().find(flat_needle.casefold())
    return flat[at : at + len(flat_needle)] if at >= 0 else None


def validate_reply(
    raw: str, notes: str, meeting: date, next_board: date | None
) -> tuple[list[DraftAction], list[str]]:
    """Checked drafts from the model's raw reply, and the reasons for each discarded action.

    Raises ValueError when the reply is not a JSON object matching ActionReply.
    """
    text = _FENCE.sub("", _THINK.sub("", raw).strip()).strip()
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise ValueError("the reply holds no JSON object")
    try:
        reply = ActionReply.model_validate(json.loads(text[start : end + 1]))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise ValueError(
            f"the reply does not match the action schema ({exc.__class__.__name__})"
        ) from exc
    drafts: list[DraftAction] = []
    discarded: list[str] = []
    for item in reply.actions:
        quote = _find(item.quote, notes)
        if quote is None:
            discarded.append(f"{item.action!r}: its quote is not in the notes")
            continue
        owner = None
        if item.owner:
            if item.owner.casefold() in ("the board", "board") and re.search(
                r"\b(?:we|board)\b", notes, re.I
            ):
                owner = "the board"
            else:
                owner = _find(item.owner, notes)
        words = _find(item.due_words, notes) if item.due_words else None
        due = find_due(words or quote, meeting, next_board)
        drafts.append(
            DraftAction(
                text=item.action[:1].upper() + item.action[1:],
                owner=owner,
                due=due.date if due else None,
                due_text=due.text if due else None,
                quote=quote,
                confidence="high" if owner else "low",
            )
        )
    return drafts, discarded


class Drafter:
    """Drafts actions from notes: `llm` (a LangChain chat model) when configured, else rules."""

    def __init__(self, llm: Any = None, prompts_dir: Path | None = None) -> None:
        self.llm = llm
        self.prompts_dir = prompts_dir

    def draft(
        self,
        notes: str,
        *,
        meeting: date,
        next_board: date | None = None,
        participants: Sequence[str] = (),
        question: str = "",
    ) -> Drafted:
        rules = extract_actions(notes, meeting, next_board, participants)
        if self.llm is None:
            return Drafted(rules, "rules")
        try:
            raw = self._ask(notes, meeting, participants, question)
            drafts, discarded = validate_reply(raw, notes, meeting, next_board)
        except ProviderError as exc:
            return Drafted(rules, "rules", notice=f"{exc}; actions were drafted by rules instead")
        except ValueError as exc:
            return Drafted(
                rules,
                "rules",
                notice=f"the language model's reply was not usable ({exc}); actions were drafted "
                "by rules instead",
            )
        return Drafted(drafts, "llm", discarded=discarded)

    def _ask(self, notes: str, meeting: date, participants: Sequence[str], question: str) -> str:
        from langchain_core.messages import HumanMessage, SystemMessage

        try:
            system = load_prompt("actions_system", self.prompts_dir).render()
            user = load_prompt("actions_user", self.prompts_dir).render(
                meeting_date=meeting.isoformat(),
                participants=", ".join(participants) or "(not recorded)",
                question=_TAG.sub("\u2039", question) or "(none)",
                notes=_TAG.sub("\u2039", notes.strip()),
            )
        except PromptError as exc:
            raise ConfigurationError(f"{exc} (IMPACT_PROMPTS_DIR)") from exc
        try:
            reply = self.llm.invoke([SystemMessage(system.strip()), HumanMessage(user.strip())])
        except Exception as exc:  # the provider's own errors stay behind this line
            raise ProviderError(
                f"the language model could not draft actions ({exc.__class__.__name__})",
                reason="failed",
            ) from exc
        content = getattr(reply, "content", reply)
        if isinstance(content, list):
            content = "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
        return str(content)
