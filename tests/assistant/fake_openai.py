"""A small, real OpenAI-compatible chat completions server on loopback, scriptable per test.

server.reply = "Boards own it [1]."       # every later request gets this answer
server.status = 500                       # ... or this HTTP error
server.delay_s = 3.0                      # ... after this pause (to trip client timeouts)
server.enqueue(Behaviour(status=503))     # one-off behaviours, used in order before the defaults
server.requests[-1]["messages"]           # what the client actually sent
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

PATHS = ("/v1/chat/completions", "/chat/completions")


@dataclass
class Behaviour:
    """How the server answers one request."""

    reply: str = "The board owns improvement [1]."
    status: int = 200
    delay_s: float = 0.0
    error_message: str = "the fake server was told to fail"
    raw_body: str | None = None  # sent as-is with the status (a malformed reply)
    break_after: int | None = None  # streaming: drop the connection after this many deltas


class FakeOpenAI:
    """The server: `url` is the base URL to give the client (ends in /v1)."""

    def __init__(
        self,
        reply: str = "The board owns improvement [1].",
        status: int = 200,
        delay_s: float = 0.0,
    ) -> None:
        self.reply = reply
        self.status = status
        self.delay_s = delay_s
        self.error_message = "the fake server was told to fail"
        self.queue: deque[Behaviour] = deque()
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def enqueue(self, *behaviours: Behaviour) -> None:
        with self._lock:
            self.queue.extend(behaviours)

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def close(self) -> None:
        self._stopping.set()  # wakes handlers that are still pausing
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _next(self, body: dict[str, Any], headers: dict[str, str]) -> Behaviour:
        with self._lock:
            self.requests.append(body)
            self.headers.append(headers)
            if self.queue:
                return self.queue.popleft()
            return Behaviour(self.reply, self.status, self.delay_s, self.error_message)


def _handler_for(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # chunked streaming, so a dropped stream is detectable

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

        def do_POST(self) -> None:
            self.close_connection = True
            if self.path.split("?")[0].rstrip("/") not in PATHS:
                self._json(
                    404, {"error": {"message": f"no route {self.path}", "type": "not_found"}}
                )
                return
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except json.JSONDecodeError:
                self._json(400, {"error": {"message": "body is not JSON", "type": "invalid"}})
                return
            behaviour = fake._next(body, {k.lower(): v for k, v in self.headers.items()})
            if behaviour.delay_s and fake._stopping.wait(behaviour.delay_s):
                return
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._answer(body, behaviour)  # the client may have given up (a timeout test)

        def _answer(self, body: dict[str, Any], behaviour: Behaviour) -> None:
            if behaviour.raw_body is not None:
                self._send(behaviour.status, "application/json", behaviour.raw_body.encode())
            elif behaviour.status >= 400:
                error = {"message": behaviour.error_message, "type": "server_error", "code": None}
                self._json(behaviour.status, {"error": error})
            elif body.get("stream"):
                self._stream(body, behaviour)
            else:
                self._json(200, _completion(body, behaviour.reply))

        def _json(self, status: int, payload: dict[str, Any]) -> None:
            self._send(status, "application/json", json.dumps(payload).encode())

        def _send(self, status: int, content_type: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, body: dict[str, Any], behaviour: Behaviour) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            for i, event in enumerate(_chunks(body, behaviour.reply)):
                if behaviour.break_after is not None and i > behaviour.break_after:
                    self.wfile.flush()
                    return  # no terminating chunk: the client sees a broken stream
                self._chunk(f"data: {event}\n\n".encode())
            self._chunk(b"data: [DONE]\n\n")
            self._chunk(b"")

        def _chunk(self, data: bytes) -> None:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

    return Handler


def deltas(reply: str) -> list[str]:
    """How the server splits a reply into streamed pieces: a word and its trailing space each."""
    return re.findall(r"\s*\S+\s*", reply) or [reply]


def _usage(body: dict[str, Any], reply: str) -> dict[str, int]:
    prompt = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
    completion = len(reply.split())
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def _completion(body: dict[str, Any], reply: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "fake-model"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": _usage(body, reply),
    }


def _chunks(body: dict[str, Any], reply: str) -> Iterator[str]:
    base = {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": body.get("model", "fake-model"),
    }

    def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
        return json.dumps({**base, "choices": [choice]})

    yield chunk({"role": "assistant", "content": ""})
    for piece in deltas(reply):
        yield chunk({"content": piece})
    yield chunk({}, "stop")
    if (body.get("stream_options") or {}).get("include_usage"):
        yield json.dumps({**base, "choices": [], "usage": _usage(body, reply)})


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """A running fake OpenAI server on 127.0.0.1 (a free port), closed after the test."""
    with FakeOpenAI() as server:
        yield server
