"""GET /v1/search: the passages that match a query, with their provenance."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from api.auth import Reader
from api.routes.deps import ServicesDep
from api.schemas import PROBLEM_RESPONSES, SearchResponse

router = APIRouter(prefix="/v1", tags=["search"])


@router.get(
    "/search",
    response_model=SearchResponse,
    summary="Hybrid search (dense + BM25) over the knowledge base",
    responses=PROBLEM_RESPONSES,
)
def search(
    services: ServicesDep,
    principal: Reader,
    q: str = Query(min_length=1, max_length=1000, description="Question or keywords"),
    k: int = Query(5, ge=1, le=50, description="How many passages"),
) -> dict[str, Any]:
    results = services.gateway.search(principal, q, k)
    return services.gateway.public({"query": q, "results": [e.to_dict() for e in results]})
