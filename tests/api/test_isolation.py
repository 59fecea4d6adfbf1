"""Tenant isolation over real HTTP: trust-a reaches nothing of trust-b's, even with its real ids."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.api.conftest import Keys, auth
from tests.api.test_documents import upload
from tests.api.test_http import assert_problem
from tests.docgen import make_markdown

pytestmark = pytest.mark.slow

# A fact only trust-b's document holds (no word of it is in the bundled pack).
FACT = (
    "Zanthorpe community hospital cut its discharge delays to 11 hours with the Quillfeather rota."
)
SECRET = "11 hours"
QUESTION = "How did Zanthorpe community hospital cut discharge delays with the Quillfeather rota?"


@pytest.fixture(scope="module")
def b_things(
    api_server, api_keys: Keys, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict]:
    """trust-b's document, conversation and session, made through the API with trust-b's keys."""
    folder = tmp_path_factory.mktemp("trust-b")
    path = make_markdown(
        folder / "zanthorpe.md",
        "title: Zanthorpe discharge review",
        "# Zanthorpe discharge review\n\n" + FACT + "\n",
    )
    with httpx.Client(base_url=api_server.url, timeout=120) as http:
        doc = upload(http, api_keys.b_admin, path, "text/markdown")
        assert doc.status_code == 201, doc.text
        ask = http.post(
            "/v1/ask", json={"question": QUESTION}, headers=auth(api_keys.b_reader)
        ).json()
        session = http.post(
            "/v1/sessions",
            json={"board": "Trust Board", "organisation": "Trust B", "date": "2026-12-01"},
            headers=auth(api_keys.b_facilitator),
        )
        assert session.status_code == 201, session.text
        yield {
            "document": doc.json()["id"],
            "conversation": ask["conversation_id"],
            "session": session.json()["id"],
            "question": session.json()["questions"][0]["id"],
            "b_answer": ask,
        }
        http.delete(f"/v1/documents/{doc.json()['id']}", headers=auth(api_keys.b_admin))


def test_b_finds_its_own_fact(client: httpx.Client, api_keys: Keys, b_things: dict) -> None:
    found = client.get(
        "/v1/search", params={"q": QUESTION, "k": 5}, headers=auth(api_keys.b_reader)
    ).json()["results"]
    assert any(SECRET in r["text"] for r in found)


def test_citations_and_results_name_the_file_never_the_server_path(
    client: httpx.Client, api_keys: Keys, b_things: dict
) -> None:
    citations = b_things["b_answer"]["citations"]
    found = client.get(
        "/v1/search", params={"q": QUESTION, "k": 5}, headers=auth(api_keys.b_reader)
    ).json()["results"]
    ours = [c for c in [*citations, *found] if SECRET in c["text"]]
    assert ours and {c["source"] for c in ours} == {"zanthorpe.md"}
    for item in [*citations, *found]:  # no folder (data directory, tenant, document id) leaks
        assert "/" not in item["source"].removeprefix("bundled:"), item["source"]


def test_a_never_sees_b_passages_in_search_answers_or_citations(
    client: httpx.Client, api_keys: Keys, b_things: dict
) -> None:
    found = client.get(
        "/v1/search", params={"q": QUESTION, "k": 50}, headers=auth(api_keys.a_admin)
    ).json()["results"]
    assert found and not any("Quillfeather" in r["text"] or "Zanthorpe" in r["text"] for r in found)
    # The question names the hospital; only B's passage holds "11 hours" and its title.
    answer = client.post("/v1/ask", json={"question": QUESTION}, headers=auth(api_keys.a_reader))
    assert answer.status_code == 200
    assert SECRET not in answer.text and "Zanthorpe discharge review" not in answer.text
    assert all("Quillfeather" not in c["text"] for c in answer.json()["citations"])
    streamed = client.post(
        "/v1/ask",
        json={"question": QUESTION},
        headers={**auth(api_keys.a_reader), "Accept": "text/event-stream"},
    )
    assert "event: done" in streamed.text
    assert SECRET not in streamed.text and "Zanthorpe discharge review" not in streamed.text
    chat = client.post(
        "/v1/chat/completions",
        json={"model": "impact-assistant", "messages": [{"role": "user", "content": QUESTION}]},
        headers=auth(api_keys.a_reader),
    )
    assert chat.status_code == 200 and SECRET not in chat.text
    docs = client.get("/v1/documents", headers=auth(api_keys.a_admin)).json()["documents"]
    assert b_things["document"] not in {d["id"] for d in docs}


def test_a_cannot_reach_b_things_by_their_real_ids(
    client: httpx.Client, api_keys: Keys, b_things: dict
) -> None:
    a_admin, a_fac = auth(api_keys.a_admin), auth(api_keys.a_facilitator)
    sid, qid = b_things["session"], b_things["question"]
    attempts = [
        ("DELETE", f"/v1/documents/{b_things['document']}", a_admin, None),
        ("GET", f"/v1/conversations/{b_things['conversation']}", a_admin, None),
        ("DELETE", f"/v1/conversations/{b_things['conversation']}", a_admin, None),
        (
            "POST",
            "/v1/ask",
            a_admin,
            {"question": "And?", "conversation_id": b_things["conversation"]},
        ),
        ("GET", f"/v1/sessions/{sid}", a_fac, None),
        ("GET", f"/v1/sessions/{sid}/actions", a_fac, None),
        ("GET", f"/v1/sessions/{sid}/export?format=docx", a_fac, None),
        ("GET", f"/v1/sessions/{sid}/export?format=csv", a_fac, None),
        ("GET", f"/v1/sessions/{sid}/questions/{qid}/evidence", a_fac, None),
        ("POST", f"/v1/sessions/{sid}/questions/{qid}", a_fac, {"notes": "A's note"}),
        ("POST", f"/v1/sessions/{sid}/questions/{qid}/ratings", a_fac, {"member": "x", "level": 2}),
        ("PATCH", f"/v1/sessions/{sid}/actions/A1", a_fac, {"owner": "Someone"}),
        ("POST", f"/v1/sessions/{sid}/actions", a_fac, {"text": "Do something"}),
        ("POST", f"/v1/sessions/{sid}/close", a_fac, None),
    ]
    for method, path, headers, body in attempts:
        response = client.request(method, path, headers=headers, json=body)
        problem = assert_problem(response, 404)
        assert sid not in problem["detail"] or "trust-b" not in problem["detail"]
        assert "trust-b" not in response.text, path
    listed = client.get("/v1/sessions", headers=a_fac).json()["sessions"]
    assert sid not in {s["id"] for s in listed}
    convs = client.get("/v1/conversations", headers=a_fac).json()["conversations"]
    assert b_things["conversation"] not in {c["id"] for c in convs}
    # ...and trust-b's things are all still there, unchanged.
    b_fac = auth(api_keys.b_facilitator)
    session = client.get(f"/v1/sessions/{sid}", headers=b_fac).json()
    assert session["status"] == "open" and not session["questions"][0]["notes"]
    assert (
        client.get(
            f"/v1/conversations/{b_things['conversation']}", headers=auth(api_keys.b_reader)
        ).status_code
        == 200
    )
    docs = client.get("/v1/documents", headers=auth(api_keys.b_reader)).json()["documents"]
    assert b_things["document"] in {d["id"] for d in docs}


def test_b_can_export_its_own_session(client: httpx.Client, api_keys: Keys, b_things: dict) -> None:
    response = client.get(
        f"/v1/sessions/{b_things['session']}/export",
        params={"format": "md"},
        headers=auth(api_keys.b_facilitator),
    )
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    assert "Trust Board" in response.text
