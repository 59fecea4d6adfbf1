"""POST /v1/ask: a cited answer as JSON, or as server-sent events with Accept: text/event-stream."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from api.asking import ask, ask_events
from api.auth import Reader
from api.routes.deps import ServicesDep
from api.schemas import PROBLEM_RESPONSES, AskRequest, AskResponse

router = APIRouter(prefix="/v1", tags=["ask"])

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


@router.post(
    "/ask",
    response_model=AskResponse,
    summary="Answer a question from the knowledge base, with numbered citations",
    responses={
        **PROBLEM_RESPONSES,
        200: {
            "description": "The answer; with `Accept: text/event-stream`, events `meta`, "
            "`token`..., then `done` (the same object, with citations) or `error`",
            "content": {"text/event-stream": {}},
        },
        404: {"description": "No such conversation for this key's organisation"},
    },
)
def post_ask(body: AskRequest, request: Request, services: ServicesDep, principal: Reader) -> Any:
    if "text/event-stream" in request.headers.get("accept", ""):
        events = ask_events(services, principal, body)
        return StreamingResponse(events, media_type="text/event-stream", headers=SSE_HEADERS)
    return ask(services, principal, body)
