"""GET /v1/me (the calling key) and GET /v1/keys (an admin lists its organisation's keys)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.auth import Admin, Reader
from api.routes.deps import ServicesDep
from api.schemas import PROBLEM_RESPONSES, KeyList, Me

router = APIRouter(prefix="/v1", tags=["keys"])


@router.get(
    "/me",
    response_model=Me,
    summary="The calling key's id, tenant and role",
    responses=PROBLEM_RESPONSES,
)
def me(principal: Reader) -> dict[str, Any]:
    return {"key_id": principal.key_id, "tenant": principal.tenant, "role": principal.role}


@router.get(
    "/keys",
    response_model=KeyList,
    summary="This organisation's keys, never their secrets (admin)",
    responses=PROBLEM_RESPONSES,
)
def list_keys(services: ServicesDep, principal: Admin) -> dict[str, Any]:
    return {"keys": [k.to_dict() for k in services.keys.list(principal.tenant)]}
