"""GET /healthz (the process answers) and GET /readyz (database and knowledge base usable)."""

from __future__ import annotations

from fastapi import APIRouter

from api.routes.deps import ServicesDep
from api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="The server is up (no key needed)")
def healthz() -> dict[str, object]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    response_model=Health,
    summary="The database and the knowledge base can be used (no key needed)",
    responses={503: {"description": "Not ready: the problem says which part failed"}},
)
def readyz(services: ServicesDep) -> dict[str, object]:
    services.check_database()
    return {"status": "ready", "checks": {"database": "ok", **services.gateway.readiness()}}
