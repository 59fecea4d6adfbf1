"""/v1/conversations: the questions and answers of one organisation's conversations.

Anyone holding a conversation's id (and a key of its organisation) may read or delete it; listing
them all needs a facilitator or admin key, because a reader key usually sits in a public web page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query, Response

from api.auth import Facilitator, Reader
from api.routes.deps import ServicesDep
from api.schemas import PROBLEM_RESPONSES, ConversationList, ConversationOut

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])
ConversationId = Path(max_length=64, description="The id /v1/ask returned")
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such conversation for this key's organisation"}
}


@router.get(
    "",
    response_model=ConversationList,
    summary="List this organisation's conversations, newest first (facilitator or admin)",
    responses=PROBLEM_RESPONSES,
)
def list_conversations(
    services: ServicesDep,
    principal: Facilitator,
    limit: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    found = services.conversations.list(principal.tenant, limit)
    return {"conversations": [c.summary() for c in found]}


@router.get(
    "/{conversation_id}",
    response_model=ConversationOut,
    summary="One conversation with its messages",
    responses={**PROBLEM_RESPONSES, **NOT_FOUND},
)
def get_conversation(
    services: ServicesDep, principal: Reader, conversation_id: str = ConversationId
) -> dict[str, Any]:
    return services.conversations.get(principal.tenant, conversation_id).to_dict()


@router.delete(
    "/{conversation_id}",
    status_code=204,
    summary="Delete a conversation and its messages",
    responses={**PROBLEM_RESPONSES, **NOT_FOUND},
)
def delete_conversation(
    services: ServicesDep, principal: Reader, conversation_id: str = ConversationId
) -> Response:
    services.conversations.delete(principal.tenant, conversation_id)
    return Response(status_code=204)
