"""The per-key rate limit over real HTTP: 429 with Retry-After, other keys unaffected."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import Keys, auth
from tests.api.server import ApiServer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def limited(
    api_data: Path, api_keys: Keys, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiServer]:
    log = tmp_path_factory.mktemp("limited") / "server.log"
    server = ApiServer(api_data, log, api_rate_limit="3/minute", api_warm_up="false").start()
    yield server
    server.stop()


def test_a_key_over_its_limit_gets_429_with_retry_after(limited: ApiServer, api_keys: Keys) -> None:
    with httpx.Client(base_url=limited.url, timeout=30) as client:
        statuses = [
            client.get("/v1/me", headers=auth(api_keys.a_reader)).status_code for _ in range(3)
        ]
        assert statuses == [200, 200, 200]
        over = client.get("/v1/me", headers=auth(api_keys.a_reader))
        assert over.status_code == 429
        assert over.headers["content-type"] == "application/problem+json"
        retry = int(over.headers["retry-after"])
        assert 1 <= retry <= 60
        assert f"retry after {retry} s" in over.json()["detail"]
        assert "3 per 1 minute" in over.json()["detail"]
        # another key has its own budget; health checks are never limited
        assert client.get("/v1/me", headers=auth(api_keys.b_reader)).status_code == 200
        assert all(client.get("/healthz").status_code == 200 for _ in range(5))


def test_requests_without_a_valid_key_do_not_spend_a_keys_budget(
    limited: ApiServer, api_keys: Keys
) -> None:
    with httpx.Client(base_url=limited.url, timeout=30) as client:
        for _ in range(5):
            assert client.get("/v1/me", headers=auth("imp.bad")).status_code == 401
        assert client.get("/v1/me", headers=auth(api_keys.b_facilitator)).status_code == 200
