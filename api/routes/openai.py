"""GET /v1/models and POST /v1/chat/completions, for OpenAI clients and chat front-ends."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from api.auth import Reader
from api.openai_compat import complete, complete_stream, models
from api.routes.deps import ServicesDep
from api.schemas import PROBLEM_RESPONSES, ChatCompletionRequest

router = APIRouter(prefix="/v1", tags=["openai-compatible"])


@router.get(
    "/models",
    summary="The models this server serves: impact-assistant",
    responses=PROBLEM_RESPONSES,
)
def list_models(principal: Reader) -> dict[str, Any]:
    return models()


@router.post(
    "/chat/completions",
    summary="Answer the last user message, with the earlier messages as history",
    responses={
        **PROBLEM_RESPONSES,
        200: {
            "description": "A chat.completion (or chunks with stream=true) with `citations`",
            "content": {"text/event-stream": {}},
        },
    },
)
def chat_completions(body: ChatCompletionRequest, services: ServicesDep, principal: Reader) -> Any:
    if body.stream:
        lines = complete_stream(services, principal, body)
        return StreamingResponse(
            lines, media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
        )
    return complete(services, principal, body)
