"""Request and response bodies, as they appear in the OpenAPI document."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(
        min_length=1, max_length=2000, description="The question, in plain English."
    )
    conversation_id: str | None = Field(
        default=None,
        max_length=64,
        description="Continue this conversation (follow-ups use its history); omit to start one.",
    )
    tags: dict[str, list[str] | str] | None = Field(
        default=None, description='Only passages with these tags, e.g. {"component": ["3"]}.'
    )

    @field_validator("question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the question is empty")
        return value.strip()

    def tag_filter(self) -> dict[str, list[str]] | None:
        if not self.tags:
            return None
        return {k: [v] if isinstance(v, str) else list(v) for k, v in self.tags.items()}


class CitationOut(BaseModel):
    n: int
    title: str
    source: str
    page: int | None
    heading: str
    text: str
    url: str | None = None


class AskResponse(BaseModel):
    """The object `impact ask --json` prints, plus the conversation it belongs to."""

    answer: str
    abstained: bool
    mode: Literal["offline", "llm"]
    citations: list[CitationOut]
    notice: str | None
    standalone_question: str
    decline_reason: str | None = Field(
        None, description="Why it declined (gap, not-covered, opinion, task, ...); null if answered"
    )
    confidence: float | None = Field(
        None, description="The calibrated probability that the evidence answers the question"
    )
    conversation_id: str


class MessageOut(BaseModel):
    role: Literal["user", "assistant"]
    text: str
    created_at: str
    answer: dict[str, Any] | None = None


class ConversationSummary(BaseModel):
    id: str
    title: str
    created_at: str
    updated_at: str


class ConversationOut(ConversationSummary):
    messages: list[MessageOut]


class ConversationList(BaseModel):
    conversations: list[ConversationSummary]


class EvidenceOut(BaseModel):
    id: str
    text: str
    source: str
    title: str
    page: int | None
    heading: str
    score: float
    similarity: float | None
    tags: dict[str, list[str]]
    url: str | None
    flagged: bool


class SearchResponse(BaseModel):
    query: str
    results: list[EvidenceOut]


class DocumentOut(BaseModel):
    id: str = Field(description="Unguessable; DELETE /v1/documents/{id} removes your own")
    name: str
    title: str
    kind: str
    passages: int
    shared: bool = Field(description="Part of the shared NHS IMPACT pack (read-only)")
    ingested_at: str
    content_hash: str


class DocumentList(BaseModel):
    documents: list[DocumentOut]


class Me(BaseModel):
    key_id: str
    tenant: str
    role: Literal["reader", "facilitator", "admin"]


class KeyOut(BaseModel):
    id: str
    tenant: str
    role: str
    origin: str | None
    label: str | None
    created_at: str
    revoked_at: str | None


class KeyList(BaseModel):
    keys: list[KeyOut]


class Health(BaseModel):
    status: Literal["ok", "ready"]
    checks: dict[str, Any] = {}


class Problem(BaseModel):
    """application/problem+json (RFC 9457)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    code: str
    instance: str | None = None
    request_id: str | None = None


# -- the OpenAI-compatible face ------------------------------------------------------------
class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None

    def plain_text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        parts = self.content or []
        return "\n".join(str(p.get("text", "")) for p in parts if p.get("type") == "text")


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, max_tokens ... are accepted, unused

    model: str = Field(max_length=100)
    messages: list[ChatMessage] = Field(min_length=1, max_length=200)
    stream: bool = False


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {"application/problem+json": {}}, "description": text}
    for status, text in (
        (401, "No valid API key"),
        (403, "The key's role or origin does not allow this"),
        (422, "The request is not valid"),
        (429, "Over the key's rate limit (see Retry-After)"),
    )
}
