"""POST /v1/ask: a question in a conversation, answered as JSON or as server-sent events."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from api.auth import Principal
from api.errors import problem_for
from api.middleware import log_stream_error
from api.schemas import AskRequest
from api.services import Services


def _conversation(
    services: Services, principal: Principal, req: AskRequest
) -> tuple[str, list[tuple[str, str]]]:
    """The conversation to answer in (a new one unless an id is given) and its recent history."""
    if req.conversation_id:
        history = services.conversations.history(
            principal.tenant, req.conversation_id, services.settings.api_history_turns
        )
        return req.conversation_id, history
    conv = services.conversations.create(principal.tenant, principal.key_id, req.question)
    return conv.id, []


def ask(services: Services, principal: Principal, req: AskRequest) -> dict[str, Any]:
    """The answer as `impact ask --json` prints it, plus `conversation_id`; saved in history."""
    conversation_id, history = _conversation(services, principal, req)
    answer = services.gateway.answer(principal, req.question, history, req.tag_filter())
    body = services.gateway.public(answer.to_dict())
    services.conversations.add_exchange(
        principal.tenant, conversation_id, req.question, answer.text, body
    )
    return {**body, "conversation_id": conversation_id}


def sse(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


def ask_events(services: Services, principal: Principal, req: AskRequest) -> Iterator[str]:
    """Check the conversation now (a 404 is a plain problem), then return the event stream.

    Events: `meta` (conversation id) at once, `token` pieces of the answer, then one `done` with
    the whole answer object and its citations; a failure after the start is an `error` event.
    """
    from assistant.answering import Answer

    conversation_id, history = _conversation(services, principal, req)

    def events() -> Iterator[str]:
        yield sse("meta", {"conversation_id": conversation_id, "question": req.question})
        try:
            for piece in services.gateway.stream(
                principal, req.question, history, req.tag_filter()
            ):
                if isinstance(piece, Answer):
                    body = services.gateway.public(piece.to_dict())
                    services.conversations.add_exchange(
                        principal.tenant, conversation_id, req.question, piece.text, body
                    )
                    yield sse("done", {**body, "conversation_id": conversation_id})
                else:
                    yield sse("token", {"text": piece})
        except Exception as exc:  # the response has started: report in-band, as a problem
            log_stream_error(principal, exc)
            yield sse("error", problem_for(exc).body())

    return events()
