"""Board sessions over real HTTP: a facilitator runs a short session to a downloaded board paper."""

from __future__ import annotations

import io

import docx
import httpx
import pytest

from tests.api.conftest import Keys, auth
from tests.api.test_http import assert_problem

pytestmark = pytest.mark.slow

NOTES = (
    "The vision was written by the executive team and never tested with patients. "
    "Sarah Jones will run two listening events with patient partners by the end of April."
)


def new_session(client: httpx.Client, key: str, **extra: object) -> dict:
    body = {
        "board": "Anytown NHS FT Board",
        "organisation": "Anytown NHS FT",
        "date": "2026-03-05",
        "facilitator": "Dan Hughes",
        "participants": ["Helen Ward", "Tom Patel", "Sarah Jones"],
        "sections": ["c1"],
        "next_board": "2026-04-02",
        **extra,
    }
    response = client.post("/v1/sessions", json=body, headers=auth(key))
    assert response.status_code == 201, response.text
    return response.json()


def test_frameworks_are_listed_for_facilitators(client: httpx.Client, api_keys: Keys) -> None:
    names = [
        f["name"]
        for f in client.get("/v1/frameworks", headers=auth(api_keys.a_facilitator)).json()[
            "frameworks"
        ]
    ]
    assert "nhs-impact" in names
    assert_problem(client.get("/v1/frameworks", headers=auth(api_keys.a_reader)), 403)


def test_a_reader_cannot_create_or_read_sessions(client: httpx.Client, api_keys: Keys) -> None:
    body = {"board": "B", "organisation": "O", "date": "2026-01-01"}
    assert_problem(client.post("/v1/sessions", json=body, headers=auth(api_keys.a_reader)), 403)
    assert_problem(client.get("/v1/sessions", headers=auth(api_keys.a_reader)), 403)


def test_a_short_session_from_notes_to_a_downloaded_paper(
    client: httpx.Client, api_keys: Keys
) -> None:
    key = api_keys.a_facilitator
    session = new_session(client, key)
    sid = session["id"]
    first = session["questions"][0]
    assert first["good_looks_like"] and first["text"]
    assert [lv["value"] for lv in session["scale"]][:2] == [1, 2]

    evidence = client.get(f"/v1/sessions/{sid}/questions/c1.1/evidence", headers=auth(key))
    assert evidence.status_code == 200 and evidence.json()["evidence"]

    noted = client.post(
        f"/v1/sessions/{sid}/questions/c1.1", json={"notes": NOTES}, headers=auth(key)
    )
    assert noted.status_code == 200, noted.text
    drafted = noted.json()["actions"]
    assert any(a["owner"] == "Sarah Jones" for a in drafted), drafted

    for member, level in (("Helen Ward", 2), ("Tom Patel", 3), ("Sarah Jones", 2)):
        rated = client.post(
            f"/v1/sessions/{sid}/questions/c1.r/ratings",
            json={"member": member, "level": level},
            headers=auth(key),
        ).json()
        ratings = next(q for q in rated["questions"] if q["id"] == "c1.r")["ratings"]
        assert ratings["spread"] is None, "no one sees the others' ratings before the spread"
    # an agreed rating off the scale is refused, and nothing of the request is saved
    body = assert_problem(
        client.post(
            f"/v1/sessions/{sid}/questions/c1.r",
            json={"agreed": 9, "rationale": "x"},
            headers=auth(key),
        ),
        422,
    )
    assert "9" in body["detail"]
    spread = client.post(
        f"/v1/sessions/{sid}/questions/c1.r", json={"show_spread": True}, headers=auth(key)
    ).json()
    shown = next(q for q in spread["questions"] if q["id"] == "c1.r")["ratings"]
    assert shown["spread"] == {"1": 0, "2": 2, "3": 1, "4": 0} or shown["spread"]["2"] == 2
    assert shown["min"] == 2 and shown["max"] == 3
    agreed = client.post(
        f"/v1/sessions/{sid}/questions/c1.r",
        json={
            "agreed": 2,
            "rationale": "Good intent, but the vision was not co-produced",
            "target": 3,
            "by": "2027-03-31",
        },
        headers=auth(key),
    ).json()
    record = next(q for q in agreed["questions"] if q["id"] == "c1.r")
    assert record["agreed_rating"] == 2 and record["target"] == 3

    action = next(a for a in agreed["actions"] if a["owner"] == "Sarah Jones")
    edited = client.patch(
        f"/v1/sessions/{sid}/actions/{action['ref']}",
        json={"status": "agreed", "due": "2026-04-30"},
        headers=auth(key),
    )
    assert edited.status_code == 200, edited.text
    mine = next(a for a in edited.json()["actions"] if a["ref"] == action["ref"])
    assert mine["status"] == "agreed" and mine["due"] == "2026-04-30"
    unowned = client.post(
        f"/v1/sessions/{sid}/actions", json={"text": "Publish the vision"}, headers=auth(key)
    ).json()["actions"][-1]
    body = assert_problem(
        client.patch(
            f"/v1/sessions/{sid}/actions/{unowned['ref']}",
            json={"status": "agreed"},
            headers=auth(key),
        ),
        422,
    )
    assert "owner" in body["detail"]
    dropped = client.patch(
        f"/v1/sessions/{sid}/actions/{unowned['ref']}",
        json={"status": "dropped"},
        headers=auth(key),
    ).json()["actions"]
    assert next(a for a in dropped if a["ref"] == unowned["ref"])["status"] == "dropped"

    closed = client.post(f"/v1/sessions/{sid}/close", headers=auth(key)).json()
    assert closed["status"] == "closed"
    assert_problem(
        client.post(
            f"/v1/sessions/{sid}/questions/c1.1", json={"notes": "late"}, headers=auth(key)
        ),
        409,
    )

    paper = client.get(f"/v1/sessions/{sid}/export", params={"format": "docx"}, headers=auth(key))
    assert paper.status_code == 200
    assert paper.headers["content-disposition"].startswith("attachment; filename=")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(paper.content)).paragraphs)
    tables = " ".join(
        c.text
        for t in docx.Document(io.BytesIO(paper.content)).tables
        for r in t.rows
        for c in r.cells
    )
    assert "Anytown NHS FT Board" in text + tables
    assert "not co-produced" in text + tables
    log = client.get(f"/v1/sessions/{sid}/export", params={"format": "csv"}, headers=auth(key))
    assert log.headers["content-type"].startswith("text/csv") and "Sarah Jones" in log.text
    listed = client.get("/v1/sessions", headers=auth(key)).json()["sessions"]
    assert sid in {s["id"] for s in listed}


def test_bad_session_input_is_a_clear_problem(client: httpx.Client, api_keys: Keys) -> None:
    key = auth(api_keys.a_facilitator)
    assert_problem(
        client.post(
            "/v1/sessions",
            json={"board": "B", "organisation": "O", "date": "2026-01-01", "framework": "nope"},
            headers=key,
        ),
        422,
    )
    assert_problem(client.get("/v1/sessions/" + "0" * 32, headers=key), 404)
    assert_problem(client.get("/v1/sessions/abc", headers=key), 422)
    sid = new_session(client, api_keys.a_facilitator)["id"]
    assert_problem(
        client.post(f"/v1/sessions/{sid}/questions/zz.9", json={"notes": "x"}, headers=key), 404
    )
    assert_problem(client.post(f"/v1/sessions/{sid}/questions/c1.1", json={}, headers=key), 422)
    assert_problem(
        client.patch(f"/v1/sessions/{sid}/actions/A99", json={"owner": "X"}, headers=key), 404
    )
    assert_problem(
        client.get(f"/v1/sessions/{sid}/export", params={"format": "exe"}, headers=key), 422
    )
