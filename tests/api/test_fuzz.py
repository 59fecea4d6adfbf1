"""A schemathesis fuzz run of the OpenAPI schema against the live server: no 5xx, ever.

Bounded (a few examples per operation) so it takes well under a minute. It runs against its own
server and data directory (the keys' rate limit is high), so it cannot disturb other tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import auth, key_store
from tests.api.server import ApiServer

pytestmark = pytest.mark.slow
EXAMPLES = 6


@pytest.fixture
def fuzz_server(tmp_path: Path) -> Iterator[tuple[ApiServer, str]]:
    data = tmp_path / "data"
    key = key_store(data).create("fuzz", "admin")[1]
    server = ApiServer(data, tmp_path / "server.log", api_rate_limit="100000/minute").start()
    yield server, key
    server.stop()


def test_no_request_the_schema_allows_gets_a_server_error(
    fuzz_server: tuple[ApiServer, str],
) -> None:
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    server, key = fuzz_server
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    failures: list[str] = []
    calls = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case) -> None:  # type: ignore[no-untyped-def]
            nonlocal calls
            calls += 1
            response = case.call(base_url=server.url, headers=auth(key), timeout=60)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code}")
            if response.status_code >= 400:
                kind = response.headers.get("content-type") or [""]
                assert (kind[0] if isinstance(kind, list) else kind) == "application/problem+json"
                assert "Traceback" not in response.text

        run()
    assert calls >= 20
    assert failures == [], failures
    assert "Traceback" not in server.log_text()
