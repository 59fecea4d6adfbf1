"""Pure ASGI middleware: request ids and JSON access logs, dynamic CORS, request body limits."""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
from collections.abc import Callable
from typing import Any

from api.errors import PROBLEM_JSON, Problem, problem_for, problem_for_status

Scope = dict[str, Any]
ASGIApp = Callable[..., Any]
access_log = logging.getLogger("impact.access")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


async def send_problem(send: Callable[..., Any], scope: Scope, problem: Problem) -> None:
    """Write `problem` as an application/problem+json response."""
    state = scope.setdefault("state", {})
    body = json.dumps(problem.body(scope.get("path"), state.get("request_id"))).encode()
    headers = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(body)).encode()),
        *((k.lower().encode(), v.encode()) for k, v in problem.headers.items()),
    ]
    await send({"type": "http.response.start", "status": problem.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def log_stream_error(principal: Any, exc: BaseException) -> None:
    """One line for a failure after a streamed response started (its class, never its text)."""
    entry = {
        "ts": round(time.time(), 3),
        "event": "stream_error",
        "error": type(exc).__name__,
        "tenant": getattr(principal, "tenant", None),
        "key_id": getattr(principal, "key_id", None),
    }
    access_log.warning(json.dumps(entry))


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


class AccessLog:
    """One JSON line per request (id, tenant, route, status, duration); unhandled errors → 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        request_id = (
            incoming if incoming and _REQUEST_ID.fullmatch(incoming) else secrets.token_hex(8)
        )
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        started = time.perf_counter()
        status = {"code": 0}

        async def send_with_id(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        error: str | None = None
        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:  # the one place nothing escapes: no stack trace reaches a client
            error = type(exc).__name__
            if status["code"] == 0:
                await send_problem(send_with_id, scope, problem_for(exc))
        finally:
            route = scope.get("route")
            entry = {
                "ts": round(time.time(), 3),
                "request_id": request_id,
                "method": scope.get("method"),
                "route": getattr(route, "path", None) or "(unmatched)",
                "status": status["code"],
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "tenant": state.get("tenant"),
                "key_id": state.get("key_id"),
            }
            if error:
                entry["error"] = error
            access_log.info(json.dumps(entry))


class DynamicCors:
    """CORS for the keys' origins, re-read while running, plus IMPACT_API_CORS_ORIGINS.

    A preflight from an origin that is not allowed gets a 403 problem; other requests from it get
    no CORS headers, so the browser keeps the response from the page.
    """

    def __init__(self, app: ASGIApp, allowed: Callable[[], frozenset[str]]) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        origin = _header(scope, b"origin") if scope["type"] == "http" else None
        if origin is None:
            await self.app(scope, receive, send)
            return
        ok = origin.rstrip("/").lower() in self.allowed()
        preflight = scope["method"] == "OPTIONS" and _header(
            scope, b"access-control-request-method"
        )
        if preflight:
            if not ok:
                await send_problem(
                    send,
                    scope,
                    problem_for_status(
                        403,
                        f"the origin {origin[:100]} is not allowed to call this API; an "
                        "administrator allows it with `impact keys create ... --origin ORIGIN`",
                    ),
                )
                return
            headers = [
                (b"access-control-allow-origin", origin.encode()),
                (b"access-control-allow-methods", b"GET, POST, DELETE, OPTIONS"),
                (b"access-control-allow-headers", b"Authorization, Content-Type, Accept"),
                (b"access-control-max-age", b"600"),
                (b"vary", b"Origin"),
                (b"content-length", b"0"),
            ]
            await send({"type": "http.response.start", "status": 204, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_with_cors(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                extra = [(b"vary", b"Origin")]
                if ok:
                    extra += [
                        (b"access-control-allow-origin", origin.encode()),
                        (b"access-control-expose-headers", b"Retry-After, X-Request-ID"),
                    ]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_cors)


MULTIPART_SLACK = 65_536


class BodyLimit:
    """Refuse (413) a request whose body is over the limit for its path, declared or streamed."""

    def __init__(self, app: ASGIApp, json_bytes: int, upload_bytes: int) -> None:
        self.app = app
        self.json_bytes = json_bytes
        self.upload_bytes = upload_bytes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            declared = _header(scope, b"content-length")
            upload = scope.get("path", "").startswith("/v1/documents")
            limit = self.upload_bytes if upload else self.json_bytes
            # An upload's body holds the file plus its multipart framing; the file's own size
            # is checked exactly as it is stored (api.uploads).
            allowed = limit + MULTIPART_SLACK if upload else limit
            if declared and declared.isdigit() and int(declared) > allowed:
                what = "an upload" if upload else "a request body"
                await send_problem(
                    send,
                    scope,
                    problem_for_status(
                        413,
                        f"{what} may be at most {limit // 1024} KiB; this one is "
                        f"{int(declared) // 1024} KiB",
                    ),
                )
                return
            await self._counted(
                scope, receive, send, allowed, "an upload" if upload else "a request body"
            )
            return
        await self.app(scope, receive, send)

    async def _counted(self, scope: Scope, receive: Any, send: Any, limit: int, what: str) -> None:
        """A body sent without Content-Length (chunked) is counted as it arrives."""
        seen = {"bytes": 0, "refused": False}

        async def counting_receive() -> dict[str, Any]:
            if seen["refused"]:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen["bytes"] += len(message.get("body", b""))
                if seen["bytes"] > limit:
                    seen["refused"] = True
                    await send_problem(
                        send,
                        scope,
                        problem_for_status(413, f"{what} may be at most {limit // 1024} KiB"),
                    )
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: dict[str, Any]) -> None:
            if not seen["refused"]:
                await send(message)

        await self.app(scope, counting_receive, guarded_send)
