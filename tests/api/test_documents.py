"""Documents over real HTTP: upload into the key's tenant, list beside the shared pack, delete."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader, PdfWriter

from tests.api.conftest import Keys, auth
from tests.api.test_http import assert_problem
from tests.docgen import make_pdf

pytestmark = pytest.mark.slow

FACT = "The Wendlebury ward reduced falls by 37 per cent after the huddle pilot in 2025."


def upload(client: httpx.Client, key: str, path: Path, content_type: str) -> httpx.Response:
    with path.open("rb") as handle:
        return client.post(
            "/v1/documents",
            headers=auth(key),
            files={"file": (path.name, handle, content_type)},
        )


def pdf_with(path: Path, text: str) -> Path:
    return make_pdf(path, [[("h1", "Quality report"), ("p", text)]], title="Quality report")


def test_an_admin_uploads_lists_and_deletes_a_document(
    client: httpx.Client, api_keys: Keys, tmp_path: Path
) -> None:
    path = pdf_with(tmp_path / "falls report.pdf", FACT)
    response = upload(client, api_keys.a_admin, path, "application/pdf")
    assert response.status_code == 201, response.text
    doc = response.json()
    assert doc["name"] == "falls report.pdf" and not doc["shared"] and doc["passages"] >= 1
    assert doc["id"].startswith("d_") and len(doc["id"]) >= 20

    listed = client.get("/v1/documents", headers=auth(api_keys.a_reader)).json()["documents"]
    own = [d for d in listed if not d["shared"]]
    assert doc["id"] in {d["id"] for d in own}
    assert any(d["shared"] for d in listed), "the shared pack is listed too, marked"
    found = client.get(
        "/v1/search",
        params={"q": "Wendlebury falls huddle", "k": 3},
        headers=auth(api_keys.a_reader),
    ).json()["results"]
    assert any("Wendlebury" in r["text"] for r in found)

    assert (
        client.delete(f"/v1/documents/{doc['id']}", headers=auth(api_keys.a_admin)).status_code
        == 204
    )
    listed = client.get("/v1/documents", headers=auth(api_keys.a_reader)).json()["documents"]
    assert doc["id"] not in {d["id"] for d in listed}
    found = client.get(
        "/v1/search",
        params={"q": "Wendlebury falls huddle", "k": 5},
        headers=auth(api_keys.a_reader),
    ).json()["results"]
    assert not any("Wendlebury" in r["text"] for r in found)
    assert_problem(client.delete(f"/v1/documents/{doc['id']}", headers=auth(api_keys.a_admin)), 404)


def test_readers_and_facilitators_cannot_upload_or_delete(
    client: httpx.Client, api_keys: Keys, tmp_path: Path
) -> None:
    path = pdf_with(tmp_path / "report.pdf", "Some text about the board.")
    for key in (api_keys.a_reader, api_keys.a_facilitator):
        body = assert_problem(upload(client, key, path, "application/pdf"), 403)
        assert "admin key" in body["detail"]
        assert_problem(client.delete("/v1/documents/d_x", headers=auth(key)), 403)


def test_the_shared_pack_cannot_be_deleted(client: httpx.Client, api_keys: Keys) -> None:
    listed = client.get("/v1/documents", headers=auth(api_keys.a_admin)).json()["documents"]
    shared = next(d for d in listed if d["shared"])
    body = assert_problem(
        client.delete(f"/v1/documents/{shared['id']}", headers=auth(api_keys.a_admin)), 403
    )
    assert "shared" in body["detail"]
    after = client.get("/v1/documents", headers=auth(api_keys.a_admin)).json()["documents"]
    assert shared["id"] in {d["id"] for d in after}


def test_a_corrupt_or_encrypted_pdf_is_a_problem_and_ingests_nothing(
    client: httpx.Client, api_keys: Keys, tmp_path: Path
) -> None:
    before = client.get("/v1/documents", headers=auth(api_keys.a_admin)).json()["documents"]
    whole = pdf_with(tmp_path / "whole.pdf", "A paragraph that will be cut in half.")
    cut = tmp_path / "half-downloaded.pdf"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 3])
    locked = tmp_path / "locked-minutes.pdf"
    writer = PdfWriter(clone_from=PdfReader(str(whole)))
    writer.encrypt(user_password="secret", owner_password="owner")
    with locked.open("wb") as handle:
        writer.write(handle)
    for path, words in ((cut, ""), (locked, "password")):
        body = assert_problem(upload(client, api_keys.a_admin, path, "application/pdf"), 422)
        assert words in body["detail"]
        assert str(tmp_path) not in body["detail"] and "/uploads/" not in body["detail"]
    after = client.get("/v1/documents", headers=auth(api_keys.a_admin)).json()["documents"]
    assert after == before


def test_upload_type_and_size_limits(client: httpx.Client, api_keys: Keys, tmp_path: Path) -> None:
    exe = tmp_path / "setup.exe"
    exe.write_bytes(b"MZ" + b"\0" * 100)
    body = assert_problem(upload(client, api_keys.a_admin, exe, "application/octet-stream"), 415)
    assert ".pdf" in body["detail"]
    mislabelled = pdf_with(tmp_path / "report.pdf", "Text.")
    assert_problem(upload(client, api_keys.a_admin, mislabelled, "image/png"), 415)
    assert_problem(client.post("/v1/documents", headers=auth(api_keys.a_admin)), 422)


def test_an_upload_over_the_limit_is_413_and_stores_nothing(
    api_data: Path, api_keys: Keys, tmp_path: Path
) -> None:
    from tests.api.server import ApiServer

    server = ApiServer(
        api_data, tmp_path / "server.log", api_max_upload_mb="0.05", api_warm_up="false"
    ).start()
    try:
        big = tmp_path / "big.md"
        big.write_text("# Big\n\n" + "Board minutes text. " * 5000)
        with httpx.Client(base_url=server.url, timeout=60) as http:
            body = assert_problem(upload(http, api_keys.a_admin, big, "text/markdown"), 413)
            assert "MB" in body["detail"] or "KiB" in body["detail"]
            names = [
                d["name"]
                for d in http.get("/v1/documents", headers=auth(api_keys.a_admin)).json()[
                    "documents"
                ]
            ]
        assert "big.md" not in names
    finally:
        server.stop()
