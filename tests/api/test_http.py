"""The API over real HTTP (uvicorn on loopback): keys, roles, problems, limits, CORS, logs."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from knowledge import bundled_corpus_dir
from tests.api.conftest import Keys, auth, key_store
from tests.api.server import ApiServer

pytestmark = pytest.mark.slow

PROBLEM_FIELDS = {"type", "title", "status", "detail", "code", "instance", "request_id"}


def assert_problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_FIELDS
    assert body["status"] == status
    assert body["request_id"] == response.headers["x-request-id"]
    assert "Traceback" not in response.text
    return body


def ask(client: httpx.Client, api_keys: Keys, question: str) -> httpx.Response:
    """POST /v1/ask as trust A's reader."""
    return client.post("/v1/ask", headers=auth(api_keys.a_reader), json={"question": question})


def test_health_checks_need_no_key(client: httpx.Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "checks": {}}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready"
    assert ready["checks"]["database"] == "ok"
    assert ready["checks"]["sources"] == len(list(bundled_corpus_dir().glob("*.md")))


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v1/ask"),
        ("GET", "/v1/search?q=board"),
        ("GET", "/v1/conversations"),
        ("GET", "/v1/conversations/c_x"),
        ("GET", "/v1/models"),
        ("POST", "/v1/chat/completions"),
        ("GET", "/v1/me"),
        ("GET", "/v1/keys"),
    ],
)
def test_every_route_but_health_needs_a_key(client: httpx.Client, method: str, path: str) -> None:
    body = assert_problem(client.request(method, path, json={}), 401)
    assert "Authorization: Bearer" in body["detail"]


def test_a_wrong_or_malformed_key_is_refused_without_saying_why(
    client: httpx.Client, api_keys: Keys
) -> None:
    key_id, _, _ = api_keys.a_reader.rpartition(".")
    for presented in (f"{key_id}.{'x' * 43}", "imp.nonsense", "Bearer", api_keys.a_reader[:-1]):
        response = client.get("/v1/me", headers=auth(presented))
        body = assert_problem(response, 401)
        assert body["detail"].startswith("the API key is not valid")
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert_problem(client.get("/v1/me", headers={"Authorization": "Basic abc"}), 401)


def test_each_key_carries_its_tenant_and_role(client: httpx.Client, api_keys: Keys) -> None:
    me = client.get("/v1/me", headers=auth(api_keys.b_facilitator)).json()
    assert me["tenant"] == "trust-b" and me["role"] == "facilitator"
    assert me["key_id"].startswith("k")


def test_roles_readers_cannot_list_conversations_or_keys(
    client: httpx.Client, api_keys: Keys
) -> None:
    body = assert_problem(client.get("/v1/conversations", headers=auth(api_keys.a_reader)), 403)
    assert "reader key cannot do this" in body["detail"]
    assert_problem(client.get("/v1/keys", headers=auth(api_keys.a_facilitator)), 403)
    assert client.get("/v1/conversations", headers=auth(api_keys.a_facilitator)).status_code == 200
    keys = client.get("/v1/keys", headers=auth(api_keys.a_admin)).json()["keys"]
    assert keys and {k["tenant"] for k in keys} == {"trust-a"}
    assert "secret_hash" not in json.dumps(keys) and "imp." not in json.dumps(keys)


def test_a_revoked_key_stops_working_within_the_cache_time(
    client: httpx.Client, api_server: ApiServer
) -> None:
    store = key_store(api_server.data_dir)
    record, key = store.create("trust-a", "reader")
    assert client.get("/v1/me", headers=auth(key)).status_code == 200
    store.revoke(record.id)
    deadline = time.monotonic() + 5
    while client.get("/v1/me", headers=auth(key)).status_code == 200:
        assert time.monotonic() < deadline, "the revoked key still works after 5 s"
        time.sleep(0.2)
    assert_problem(client.get("/v1/me", headers=auth(key)), 401)


def test_validation_errors_are_422_problems_naming_the_field(
    client: httpx.Client, api_keys: Keys
) -> None:
    headers = auth(api_keys.a_reader)
    body = assert_problem(client.post("/v1/ask", headers=headers, json={}), 422)
    assert "body.question" in body["detail"] and body["errors"][0]["loc"] == ["body", "question"]
    body = assert_problem(client.post("/v1/ask", headers=headers, json={"question": "  "}), 422)
    assert "empty" in body["detail"]
    body = assert_problem(client.get("/v1/search?q=board&k=0", headers=headers), 422)
    assert "query.k" in body["detail"]
    raw = client.post(
        "/v1/ask", headers={**headers, "content-type": "application/json"}, content=b"{not json"
    )
    assert "send a JSON object" in assert_problem(raw, 422)["detail"]
    form = client.post("/v1/ask", headers=headers, data={"question": "hi"})
    assert "Content-Type: application/json" in assert_problem(form, 422)["detail"]


def test_unknown_routes_and_methods_are_problems(client: httpx.Client) -> None:
    assert "/openapi.json" in assert_problem(client.get("/v1/nothing-here"), 404)["detail"]
    assert_problem(client.delete("/healthz"), 405)


def test_an_oversized_body_is_refused_before_it_is_read(
    client: httpx.Client, api_keys: Keys
) -> None:
    question = "board " * 60_000
    response = ask(client, api_keys, question)
    assert "at most 256 KiB" in assert_problem(response, 413)["detail"]

    def chunks():  # no Content-Length: the body is counted as it arrives
        yield b'{"question": "'
        for _ in range(40):
            yield b"board " * 2_000
        yield b'"}'

    streamed = client.post(
        "/v1/ask",
        headers={**auth(api_keys.a_reader), "Content-Type": "application/json"},
        content=chunks(),
    )
    assert "at most 256 KiB" in assert_problem(streamed, 413)["detail"]


def test_ask_returns_the_cli_answer_object_and_a_conversation(
    client: httpx.Client, api_keys: Keys
) -> None:
    response = ask(client, api_keys, "What are the five components of NHS IMPACT?")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {
        "answer",
        "abstained",
        "mode",
        "citations",
        "notice",
        "standalone_question",
        "decline_reason",
        "confidence",
        "conversation_id",
    }
    assert not body["abstained"] and body["mode"] == "offline"
    assert body["decline_reason"] is None and 0.0 <= body["confidence"] <= 1.0
    assert "[1]" in body["answer"] and body["citations"][0]["n"] == 1
    assert {"title", "source", "page", "heading", "text", "url"} <= set(body["citations"][0])
    assert body["conversation_id"].startswith("c_") and len(body["conversation_id"]) >= 20


def test_a_decline_over_the_api_does_not_tell_a_web_user_to_run_a_command(
    client: httpx.Client, api_keys: Keys
) -> None:
    body = ask(
        client, api_keys, "How does Scotland assess its health boards' improvement maturity?"
    ).json()
    assert body["abstained"] and not body["citations"]
    assert body["decline_reason"]  # a widget can tell a gap from an out-of-scope request
    assert "impact ingest" not in body["answer"]
    assert "administrator" in body["answer"] and "It covers" in body["answer"]


def test_ask_streams_events_then_a_final_event_with_citations(
    client: httpx.Client, api_keys: Keys
) -> None:
    events: list[tuple[str, dict]] = []
    with client.stream(
        "POST",
        "/v1/ask",
        headers={**auth(api_keys.a_reader), "Accept": "text/event-stream"},
        json={"question": "Who chairs the National Improvement Board?"},
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        name = None
        for line in response.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                events.append((name or "message", json.loads(line[6:])))
    names = [n for n, _ in events]
    assert names[0] == "meta" and names[-1] == "done"
    assert names.count("token") >= 5 and set(names[1:-1]) == {"token"}
    final = events[-1][1]
    assert "".join(d["text"] for n, d in events if n == "token").strip() == final["answer"]
    assert final["citations"] and final["conversation_id"] == events[0][1]["conversation_id"]


def test_follow_ups_use_the_conversation_history(client: httpx.Client, api_keys: Keys) -> None:
    headers = auth(api_keys.a_reader)
    first = client.post(
        "/v1/ask", headers=headers, json={"question": "What does good look like for component 3?"}
    ).json()
    follow = client.post(
        "/v1/ask",
        headers=headers,
        json={"question": "And for component 4?", "conversation_id": first["conversation_id"]},
    ).json()
    assert follow["conversation_id"] == first["conversation_id"]
    assert follow["standalone_question"] != "And for component 4?"
    assert "good look like" in follow["standalone_question"].lower()
    alone = client.post("/v1/ask", headers=headers, json={"question": "And for component 4?"})
    assert alone.json()["standalone_question"] == "And for component 4?"
    conv = client.get(f"/v1/conversations/{first['conversation_id']}", headers=headers).json()
    assert [m["role"] for m in conv["messages"]] == ["user", "assistant", "user", "assistant"]
    assert conv["messages"][3]["answer"]["citations"]


def test_one_tenant_never_reaches_another_tenants_conversations(
    client: httpx.Client, api_keys: Keys
) -> None:
    a = ask(client, api_keys, "What is NHS IMPACT?").json()
    cid = a["conversation_id"]
    b = auth(api_keys.b_facilitator)
    not_found = assert_problem(client.get(f"/v1/conversations/{cid}", headers=b), 404)
    guessed = assert_problem(
        client.get("/v1/conversations/c_AAAAAAAAAAAAAAAAAAAAAA", headers=b), 404
    )
    assert not_found["detail"].replace(cid, "X") == guessed["detail"].replace(
        "c_AAAAAAAAAAAAAAAAAAAAAA", "X"
    )
    assert_problem(client.delete(f"/v1/conversations/{cid}", headers=b), 404)
    follow = client.post(
        "/v1/ask", headers=b, json={"question": "Tell me more", "conversation_id": cid}
    )
    assert_problem(follow, 404)
    listed = client.get("/v1/conversations", headers=b).json()["conversations"]
    assert cid not in {c["id"] for c in listed}
    mine = client.get("/v1/conversations", headers=auth(api_keys.a_facilitator)).json()
    assert cid in {c["id"] for c in mine["conversations"]}
    # still intact for its owner, then deleted by it
    assert (
        client.get(f"/v1/conversations/{cid}", headers=auth(api_keys.a_reader)).status_code == 200
    )
    assert (
        client.delete(f"/v1/conversations/{cid}", headers=auth(api_keys.a_reader)).status_code
        == 204
    )
    assert_problem(client.get(f"/v1/conversations/{cid}", headers=auth(api_keys.a_reader)), 404)


def test_search_returns_passages_with_provenance(client: httpx.Client, api_keys: Keys) -> None:
    body = client.get(
        "/v1/search",
        params={"q": "improvement capability", "k": 3},
        headers=auth(api_keys.a_reader),
    ).json()
    assert len(body["results"]) == 3
    assert {"title", "source", "page", "heading", "score", "text"} <= set(body["results"][0])


def test_cors_allows_the_keys_origins_and_refuses_others(
    client: httpx.Client, api_keys: Keys, api_server: ApiServer
) -> None:
    def preflight(origin: str) -> httpx.Response:
        return client.options(
            "/v1/ask",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )

    allowed = preflight("https://intranet.trust-a.example")
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == "https://intranet.trust-a.example"
    assert "Authorization" in allowed.headers["access-control-allow-headers"]
    assert preflight("https://extra.example").status_code == 204  # IMPACT_API_CORS_ORIGINS
    refused = preflight("https://evil.example")
    assert "--origin" in assert_problem(refused, 403)["detail"]
    assert "access-control-allow-origin" not in refused.headers
    # a simple request from a refused origin gets no CORS header, so a browser hides the reply
    response = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    # a new key's origin works without a restart
    assert preflight("https://intranet.trust-c.example").status_code == 403
    key_store(api_server.data_dir).create(
        "trust-c", "reader", origin="https://intranet.trust-c.example"
    )
    deadline = time.monotonic() + 5
    while preflight("https://intranet.trust-c.example").status_code != 204:
        assert time.monotonic() < deadline, "the new origin was not allowed within 5 s"
        time.sleep(0.2)


def test_a_key_with_an_origin_works_only_from_that_origin(
    client: httpx.Client, api_keys: Keys
) -> None:
    good = client.get(
        "/v1/me", headers={**auth(api_keys.a_origin), "Origin": "https://intranet.trust-a.example"}
    )
    assert good.status_code == 200
    assert good.headers["access-control-allow-origin"] == "https://intranet.trust-a.example"
    bad = client.get(
        "/v1/me", headers={**auth(api_keys.a_origin), "Origin": "https://intranet.trust-b.example"}
    )
    assert (
        "only works on pages from https://intranet.trust-a.example"
        in assert_problem(bad, 403)["detail"]
    )


def test_openapi_documents_the_versioned_routes(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/v1/ask",
        "/v1/conversations",
        "/v1/conversations/{conversation_id}",
        "/v1/search",
        "/v1/models",
        "/v1/chat/completions",
        "/healthz",
        "/readyz",
    ):
        assert path in spec["paths"], path
    assert "401" in spec["paths"]["/v1/ask"]["post"]["responses"]


def test_access_log_is_json_lines_without_keys_or_traces(
    client: httpx.Client, api_keys: Keys, api_server: ApiServer
) -> None:
    response = client.get(
        "/v1/search",
        params={"q": "board"},
        headers={**auth(api_keys.b_reader), "X-Request-ID": "trace-me-123"},
    )
    assert response.headers["x-request-id"] == "trace-me-123"
    client.get("/v1/me", headers=auth("imp.k0000000000000000.wrongwrongwrongwrongwrong"))
    time.sleep(0.2)
    lines = [
        json.loads(line) for line in api_server.log_text().splitlines() if line.startswith("{")
    ]
    mine = [e for e in lines if e.get("request_id") == "trace-me-123"]
    assert len(mine) == 1
    assert mine[0]["tenant"] == "trust-b" and mine[0]["route"] == "/v1/search"
    assert mine[0]["status"] == 200 and mine[0]["duration_ms"] > 0
    text = api_server.log_text()
    for key in (api_keys.a_reader, api_keys.b_reader, "wrongwrongwrong"):
        assert key.split(".")[-1] not in text
    assert "Traceback" not in text
    assert "q=board" not in text  # routes are logged without query strings


def test_a_second_server_on_the_same_data_shares_keys_and_conversations(
    api_data, api_keys: Keys, client: httpx.Client, tmp_path
) -> None:
    a = ask(client, api_keys, "What is NHS IMPACT?").json()
    other = ApiServer(api_data, tmp_path / "other.log", api_warm_up="false").start()
    try:
        with httpx.Client(base_url=other.url, timeout=60) as second:
            got = second.get(
                f"/v1/conversations/{a['conversation_id']}", headers=auth(api_keys.a_reader)
            )
            assert (
                got.status_code == 200
                and got.json()["messages"][0]["text"] == "What is NHS IMPACT?"
            )
    finally:
        other.stop()
