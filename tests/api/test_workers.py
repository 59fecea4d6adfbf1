"""Two API processes over one Chroma server and one PostgreSQL: no state of their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.database import open_engine
from api.keys import KeyStore
from assistant.settings import load_settings
from tests.api.conftest import auth
from tests.api.server import ApiServer
from tests.docgen import make_markdown
from tests.knowledge.conftest import chroma_url  # noqa: F401  (a real `chroma run` server)

pytestmark = pytest.mark.slow


@pytest.fixture
def two_workers(
    tmp_path: Path,
    postgres_url: str,
    chroma_url: str,  # noqa: F811
) -> Iterator[tuple[ApiServer, ApiServer, str, str]]:
    data = tmp_path / "data"
    settings = load_settings(data_dir=data, database_url=postgres_url)
    keys = KeyStore(open_engine(settings), cache_s=0)
    admin = keys.create("trust-w", "admin")[1]
    other = keys.create("trust-x", "facilitator")[1]
    common = {"database_url": postgres_url, "chroma_url": chroma_url, "api_key_cache_s": "0"}
    first = ApiServer(data, tmp_path / "one.log", **common).start()
    try:
        second = ApiServer(data, tmp_path / "two.log", **common).start()
    except BaseException:
        first.stop()
        raise
    yield first, second, admin, other
    second.stop()
    first.stop()


def test_a_document_uploaded_through_one_worker_is_found_through_the_other(
    two_workers: tuple[ApiServer, ApiServer, str, str], tmp_path: Path
) -> None:
    first, second, admin, other = two_workers
    doc = make_markdown(
        tmp_path / "estates.md",
        "title: Estates improvement plan",
        "# Estates improvement plan\n\nThe Brackenfold site will run 14 rapid improvement weeks.",
    )
    with httpx.Client(timeout=120) as http:
        with doc.open("rb") as handle:
            made = http.post(
                first.url + "/v1/documents",
                headers=auth(admin),
                files={"file": (doc.name, handle, "text/markdown")},
            )
        assert made.status_code == 201, made.text
        doc_id = made.json()["id"]
        found = http.get(
            second.url + "/v1/search",
            params={"q": "How many rapid improvement weeks at Brackenfold?", "k": 3},
            headers=auth(admin),
        ).json()["results"]
        assert any("14 rapid improvement weeks" in r["text"] for r in found)
        listed = http.get(second.url + "/v1/documents", headers=auth(admin)).json()["documents"]
        assert doc_id in {d["id"] for d in listed}
        # A session made through one worker is continued through the other.
        session = http.post(
            second.url + "/v1/sessions",
            json={"board": "Board", "organisation": "X", "date": "2026-05-01", "sections": ["c1"]},
            headers=auth(other),
        ).json()
        noted = http.post(
            first.url + f"/v1/sessions/{session['id']}/questions/c1.1",
            json={"notes": "Discussed."},
            headers=auth(other),
        )
        assert noted.status_code == 200
        assert (
            http.delete(second.url + f"/v1/documents/{doc_id}", headers=auth(admin)).status_code
            == 204
        )
        found = http.get(
            first.url + "/v1/search",
            params={"q": "Brackenfold rapid improvement weeks", "k": 3},
            headers=auth(admin),
        ).json()["results"]
        assert not any("Brackenfold" in r["text"] for r in found)
