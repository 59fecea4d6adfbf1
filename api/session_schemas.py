"""Request bodies of the sessions routes (responses are the session as the CLI's --json shows it)."""

from __future__ import annotations

from datetime import date as Date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SessionCreate(_Body):
    framework: str = Field(default="nhs-impact", max_length=64, description="GET /v1/frameworks")
    board: str = Field(min_length=1, max_length=200, description="e.g. Trust Board")
    organisation: str = Field(min_length=1, max_length=200)
    date: Date = Field(description="The meeting date, YYYY-MM-DD")
    facilitator: str | None = Field(default=None, max_length=200)
    participants: list[str] = Field(default_factory=list, max_length=50)
    sections: list[str] | None = Field(default=None, max_length=50)
    next_board: Date | None = None
    carry_from: str | None = Field(
        default=None, max_length=64, description="An earlier session of this board"
    )


class Respond(_Body):
    """The room's response to one question, applied in the order the room works through it."""

    notes: str | None = Field(default=None, min_length=1, max_length=20_000)
    ratings: dict[str, int] | None = Field(
        default=None, description="Private ratings, member name to level; never shown singly"
    )
    show_spread: bool = False
    agreed: int | None = None
    rationale: str | None = Field(default=None, max_length=5000)
    target: int | None = None
    by: Date | None = Field(default=None, description="The target's date (with `target`)")
    decision: str | None = Field(default=None, min_length=1, max_length=5000)
    skip: str | None = Field(default=None, min_length=1, max_length=1000, description="A reason")
    actor: str | None = Field(default=None, max_length=200)


class Rating(_Body):
    member: str = Field(min_length=1, max_length=200)
    level: int


class ActionEdit(_Body):
    """Only the fields sent change; `owner` or `due` sent as null clears them."""

    status: Literal["draft", "agreed", "done", "dropped"] | None = None
    owner: str | None = Field(default=None, max_length=200)
    due: Date | None = None
    text: str | None = Field(default=None, min_length=1, max_length=2000)
    priority: Literal["high", "medium", "low"] | None = None
    actor: str | None = Field(default=None, max_length=200)

    def changes(self) -> dict[str, Any]:
        sent = self.model_dump(exclude_unset=True)
        sent.pop("actor", None)
        return sent


class ActionCreate(_Body):
    text: str = Field(min_length=1, max_length=2000)
    question: str | None = Field(default=None, max_length=64)
    owner: str | None = Field(default=None, max_length=200)
    due: Date | None = None
    priority: Literal["high", "medium", "low"] = "medium"
    status: Literal["draft", "agreed"] = "draft"


class FrameworkOut(BaseModel):
    name: str
    title: str
    sections: int
    questions: int


class FrameworkList(BaseModel):
    frameworks: list[FrameworkOut]


class SessionSummaryOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str


class SessionList(BaseModel):
    sessions: list[dict[str, Any]]
