"""The OpenAI-compatible face: chat completions answered from the knowledge base.

The last user message is the question and the earlier user and assistant messages are its
history; the reply's text ends with the numbered sources, and the structured citations travel in
an extra `citations` field (on the completion, and on the last chunk when streaming). System
messages are not followed: what the assistant may do is fixed by the server, not by the client.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from api.auth import Principal
from api.errors import ApiError, ModelNotFound, problem_for
from api.gateway import Gateway
from api.middleware import log_stream_error
from api.schemas import ChatCompletionRequest
from api.services import Services

if TYPE_CHECKING:
    from assistant.answering import Answer

MODEL_ID = "impact-assistant"
_SOURCES = re.compile(r"\n\nSources:\n(\[\d+\][^\n]*\n?)+\Z")


def models() -> dict[str, Any]:
    return {
        "object": "list",
        "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "impact-assistant"}],
    }


def split_messages(req: ChatCompletionRequest) -> tuple[str, list[tuple[str, str]]]:
    """(question, history) from the messages: the last must come from the user."""
    if req.model != MODEL_ID:
        raise ModelNotFound(f"this server has no model {req.model[:60]!r}; use {MODEL_ID!r}")
    last = req.messages[-1]
    question = last.plain_text().strip()
    if last.role != "user" or not question:
        raise ApiError("the last message must be the user's question, with text")
    history: list[tuple[str, str]] = []
    for message in req.messages[:-1]:
        if message.role in ("user", "assistant"):
            text = _SOURCES.sub("", message.plain_text()).strip()
            if text:
                history.append((message.role, text))
    return question, history


def reply_text(answer: Answer) -> str:
    """The answer with its numbered sources (and any notice) written out."""
    text = answer.text
    if answer.citations:
        text += "\n\nSources:\n" + "\n".join(f"[{c.n}] {c.label()}" for c in answer.citations)
    if answer.notice:
        text += f"\n\n({answer.notice})"
    return text


def _extras(answer: Answer) -> dict[str, Any]:
    body = Gateway.public(answer.to_dict())
    return {
        "citations": body["citations"],
        "impact": {k: body[k] for k in ("abstained", "mode", "notice", "standalone_question")},
    }


def _usage(question: str, history: list[tuple[str, str]], reply: str) -> dict[str, int]:
    prompt = len(question.split()) + sum(len(t.split()) for _, t in history)
    completion = len(reply.split())
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def complete(
    services: Services, principal: Principal, req: ChatCompletionRequest
) -> dict[str, Any]:
    question, history = split_messages(req)
    answer = services.gateway.answer(principal, question, history)
    reply = reply_text(answer)
    return {
        "id": "chatcmpl-" + secrets.token_hex(12),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODEL_ID,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": _usage(question, history, reply),
        **_extras(answer),
    }


def complete_stream(
    services: Services, principal: Principal, req: ChatCompletionRequest
) -> Iterator[str]:
    """Check the request now, then return the `data:` lines of a streamed completion."""
    from assistant.answering import Answer

    question, history = split_messages(req)
    base = {
        "id": "chatcmpl-" + secrets.token_hex(12),
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": MODEL_ID,
    }

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
        return f"data: {json.dumps({**base, 'choices': [choice], **extra})}\n\n"

    def lines() -> Iterator[str]:
        yield chunk({"role": "assistant", "content": ""})
        try:
            for piece in services.gateway.stream(principal, question, history):
                if isinstance(piece, Answer):
                    tail = reply_text(piece)[len(piece.text) :]
                    if tail:
                        yield chunk({"content": tail})
                    yield chunk({}, "stop", **_extras(piece))
                else:
                    yield chunk({"content": piece})
        except Exception as exc:  # started: report in-band the way OpenAI's servers do
            log_stream_error(principal, exc)
            problem = problem_for(exc)
            yield f"data: {json.dumps({'error': {'message': problem.detail, 'type': problem.code}})}\n\n"
        yield "data: [DONE]\n\n"

    return lines()
