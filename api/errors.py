"""Errors raised by the api package, and the one map from every domain error to an HTTP problem.

ApiError
├── NotAuthenticated        no key, or a key that is unknown, malformed or revoked (401)
├── Forbidden               the key's role may not do this, or its origin does not match (403)
├── NotFound                a resource that does not exist in the key's tenant (404)
│   ├── ConversationNotFound
│   ├── DocumentNotFound
│   ├── KeyNotFound
│   └── ModelNotFound
├── RateLimited             the key went over its rate limit (429, Retry-After)
├── PayloadTooLarge         a request body or upload over the limit (413)
└── UnsupportedMediaType    an upload of a type that is not accepted (415)

`problem_for(exc)` is the only place that turns an exception into a status and a problem detail
(RFC 9457); the app's exception handlers and the SSE stream both use it. Domain errors of the
other packages are mapped by class, most specific first, so a new subclass is mapped by its base.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import (
    ActionNotFound,
    AssistantError,
    ConfigurationError,
    FrameworkError,
    InvalidInput,
    InvalidRating,
    ProviderError,
    QuestionNotFound,
    SessionClosed,
    SessionConflict,
    SessionNotFound,
    SessionStoreUnavailable,
    WrongStage,
)
from knowledge.errors import (
    DocumentError,
    EmbeddingModelError,
    FileTooLarge,
    InvalidTenant,
    KnowledgeError,
    ReadOnlyStore,
    SourceNotFound,
    StoreUnavailable,
    UnsupportedFileType,
)

PROBLEM_JSON = "application/problem+json"
OPENAI_PATHS = ("/v1/chat/", "/v1/models")


class ApiError(Exception):
    """Base class for the api package's errors."""


class NotAuthenticated(ApiError):
    """No valid API key came with the request."""


class Forbidden(ApiError):
    """The key may not do this."""


class NotFound(ApiError):
    """Nothing with this id in the key's tenant."""


class ConversationNotFound(NotFound):
    """No conversation with this id in the key's tenant."""


class DocumentNotFound(NotFound):
    """No document with this id in the key's tenant."""


class KeyNotFound(NotFound):
    """No API key with this id."""


class ModelNotFound(NotFound):
    """A chat completion asked for a model this server does not serve."""


class RateLimited(ApiError):
    """The key went over its rate limit; `retry_after` is in seconds."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = max(1, math.ceil(retry_after))


class PayloadTooLarge(ApiError):
    """A request body or upload is over the configured limit."""


class UnsupportedMediaType(ApiError):
    """An upload whose type is not accepted."""


@dataclass(frozen=True)
class Problem:
    """What one error becomes on the wire."""

    status: int
    title: str
    detail: str
    code: str
    headers: dict[str, str] = field(default_factory=dict)

    def body(self, instance: str | None = None, request_id: str | None = None) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "type": "about:blank",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
        }
        if instance:
            payload["instance"] = instance
        if request_id:
            payload["request_id"] = request_id
        if instance and instance.startswith(OPENAI_PATHS):
            # OpenAI's SDKs and the chat front-ends built on them read this member.
            payload["error"] = {"message": self.detail, "type": self.code, "code": self.code}
        return payload


# (class, status, title, code); looked up along the exception's MRO, so order does not matter.
_MAP: dict[type[BaseException], tuple[int, str, str]] = {
    NotAuthenticated: (401, "Not authenticated", "not_authenticated"),
    Forbidden: (403, "Forbidden", "forbidden"),
    NotFound: (404, "Not found", "not_found"),
    ConversationNotFound: (404, "Conversation not found", "conversation_not_found"),
    DocumentNotFound: (404, "Document not found", "document_not_found"),
    KeyNotFound: (404, "Key not found", "key_not_found"),
    ModelNotFound: (404, "Model not found", "model_not_found"),
    RateLimited: (429, "Too many requests", "rate_limited"),
    PayloadTooLarge: (413, "Payload too large", "payload_too_large"),
    UnsupportedMediaType: (415, "Unsupported media type", "unsupported_media_type"),
    ApiError: (400, "Bad request", "bad_request"),
    # knowledge
    UnsupportedFileType: (415, "Unsupported file type", "unsupported_file_type"),
    FileTooLarge: (413, "File too large", "file_too_large"),
    DocumentError: (422, "Document cannot be ingested", "document_error"),
    StoreUnavailable: (503, "Knowledge store unavailable", "store_unavailable"),
    SourceNotFound: (404, "Document not found", "document_not_found"),
    InvalidTenant: (400, "Not allowed for this organisation", "invalid_tenant"),
    ReadOnlyStore: (503, "Knowledge base is read-only here", "read_only_store"),
    EmbeddingModelError: (503, "Embedding model unavailable", "embedding_model_unavailable"),
    KnowledgeError: (500, "Knowledge base error", "knowledge_error"),
    # assistant
    ConfigurationError: (500, "Server misconfigured", "configuration_error"),
    SessionNotFound: (404, "Session not found", "session_not_found"),
    QuestionNotFound: (404, "Question not found", "question_not_found"),
    ActionNotFound: (404, "Action not found", "action_not_found"),
    InvalidRating: (422, "Rating not accepted", "invalid_rating"),
    InvalidInput: (422, "Not accepted", "invalid_input"),
    WrongStage: (409, "Not at this stage", "wrong_stage"),
    SessionClosed: (409, "Session closed", "session_closed"),
    SessionConflict: (409, "Changed by someone else", "session_conflict"),
    SessionStoreUnavailable: (503, "Session store unavailable", "session_store_unavailable"),
    FrameworkError: (422, "Framework problem", "framework_error"),
    ProviderError: (502, "Language model failed", "provider_error"),
    AssistantError: (409, "Cannot do that now", "assistant_error"),
}

# Details that would leak server internals are replaced by these.
_SAFE_DETAIL = {
    KnowledgeError: "The knowledge base failed on this request; the server log has the request id.",
    ConfigurationError: "The server is misconfigured; its administrator can see why in the log.",
    StoreUnavailable: "The knowledge store cannot be reached now; try again shortly.",
    EmbeddingModelError: "The embedding model cannot be loaded; the administrator must fix it.",
    SourceNotFound: "Your organisation has no document with that id; GET /v1/documents lists them.",
    SessionNotFound: "Your organisation has no session with that id; GET /v1/sessions lists them.",
    SessionStoreUnavailable: "The session store cannot be reached now; try again shortly.",
    InvalidTenant: "Documents can be added only to your own organisation, not to the shared pack.",
    ReadOnlyStore: "This server can only read the knowledge base; documents cannot be changed here.",
}


def mapped_class(exc_type: type[BaseException]) -> type[BaseException] | None:
    """The most specific class in `_MAP` that `exc_type` is, or None."""
    for klass in exc_type.__mro__:
        if klass in _MAP:
            return klass
    return None


def problem_for(exc: BaseException) -> Problem:
    """The HTTP problem for any exception (an unknown one becomes a bare 500)."""
    klass = mapped_class(type(exc))
    if klass is None:
        return Problem(
            500,
            "Internal server error",
            "Something went wrong on the server; the log has the request id.",
            "internal_error",
        )
    status, title, code = _MAP[klass]
    if klass is AssistantError and type(exc).__name__.endswith("NotFound"):
        status, title, code = 404, "Not found", "not_found"
    detail = str(exc)
    for base, safe in _SAFE_DETAIL.items():
        if isinstance(exc, base) and not isinstance(exc, DocumentError):
            detail = safe
    if isinstance(exc, DocumentError):
        detail = exc.reason  # never the server-side path of an uploaded file
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else {}
    if isinstance(exc, NotAuthenticated):
        headers["WWW-Authenticate"] = 'Bearer realm="impact-assistant"'
    return Problem(status, title, detail or title, code, headers)


def problem_for_status(status: int, detail: str) -> Problem:
    """A problem for a plain HTTP status (unknown route, wrong method, validation)."""
    from http import HTTPStatus

    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    code = phrase.lower().replace(" ", "_").replace("-", "_")
    return Problem(status, phrase, detail or phrase, code)
