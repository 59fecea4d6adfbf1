"""The FastAPI app factory: `create_app(settings)`; errors are mapped to problems here, once."""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.errors import PROBLEM_JSON, ApiError, Problem, problem_for, problem_for_status
from api.gateway import Gateway
from api.middleware import AccessLog, BodyLimit, DynamicCors
from api.routes import (
    ask,
    conversations,
    documents,
    health,
    keys,
    openai,
    pages,
    search,
    sessions,
)
from api.services import Services
from assistant.errors import AssistantError
from assistant.settings import Settings, apply_offline_environment, load_settings
from knowledge.errors import KnowledgeError

VERSION = "1"
DESCRIPTION = """Cited answers from NHS IMPACT guidance and your organisation's papers.

Every route but `/healthz` and `/readyz` needs `Authorization: Bearer KEY` (`impact keys create`).
Errors are `application/problem+json` with a `detail` that says what to do."""


def _problem_response(request: Request, problem: Problem) -> JSONResponse:
    state = request.scope.get("state", {})
    return JSONResponse(
        problem.body(request.url.path, state.get("request_id")),
        status_code=problem.status,
        headers=problem.headers,
        media_type=PROBLEM_JSON,
    )


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    return _problem_response(request, problem_for(exc))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else ""
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"there is no {request.url.path[:100]}; the API is described at /openapi.json"
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path[:100]}"
    problem = problem_for_status(exc.status_code, detail)
    return _problem_response(request, replace(problem, headers=dict(exc.headers or {})))


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": [str(p) for p in err.get("loc", ())], "msg": str(err.get("msg", ""))}
        for err in exc.errors()
    ]
    detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors[:5]) or "invalid request"
    kinds = {err.get("type") for err in exc.errors() if tuple(err.get("loc", ()))[:1] == ("body",)}
    if kinds & {"json_invalid", "model_attributes_type", "dict_type"}:
        detail = 'send a JSON object with Content-Type: application/json, e.g. {"question": "..."}'
    problem = problem_for_status(422, f"the request is not valid: {detail}")
    request_id = request.scope.get("state", {}).get("request_id")
    body: dict[str, Any] = problem.body(request.url.path, request_id)
    body["errors"] = errors
    return JSONResponse(body, status_code=422, media_type=PROBLEM_JSON)


def _configure_logging() -> None:
    logger = logging.getLogger("impact")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def create_app(settings: Settings, *, gateway: Gateway | None = None) -> FastAPI:
    """The API, console and widget for these settings (`gateway` lets tests share a model)."""
    _configure_logging()
    services = Services.build(settings, gateway)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        started = time.perf_counter()
        if settings.api_warm_up:
            from starlette.concurrency import run_in_threadpool

            await run_in_threadpool(services.gateway.warm_up)
        ready = {"event": "ready", "startup_s": round(time.perf_counter() - started, 2)}
        logging.getLogger("impact.access").info(json.dumps(ready))
        yield
        services.gateway.close()

    app = FastAPI(
        title="impact-assistant",
        version=VERSION,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # Swagger UI would load scripts from a CDN; /openapi.json is served
        redoc_url=None,
    )
    app.state.services = services
    for klass in (ApiError, KnowledgeError, AssistantError):
        app.add_exception_handler(klass, _domain_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    for module in (health, ask, conversations, documents, sessions, search, openai, keys, pages):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=pages.STATIC), name="static")
    # Added last = outermost: the access log sees every response, CORS applies to errors too.
    app.add_middleware(
        BodyLimit,
        json_bytes=settings.api_max_body_kb * 1024,
        upload_bytes=settings.api_max_upload_bytes,
    )
    app.add_middleware(DynamicCors, allowed=services.allowed_origins)
    app.add_middleware(AccessLog)
    return app


def app_factory() -> FastAPI:
    """What `impact serve` runs in each worker: settings from the environment."""
    apply_offline_environment()
    return create_app(load_settings())
