"""API fixtures: a data directory with the bundled pack, keys for two tenants, a real server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from api.database import open_engine
from api.keys import KeyStore
from assistant.settings import load_settings
from knowledge import Embedder, KnowledgeBase
from tests.api.server import ApiServer


@dataclass(frozen=True)
class Keys:
    a_reader: str
    a_facilitator: str
    a_admin: str
    b_reader: str
    b_facilitator: str
    b_admin: str
    a_origin: str  # tenant a, reader, bound to https://intranet.trust-a.example


def key_store(data_dir: Path) -> KeyStore:
    return KeyStore(open_engine(load_settings(data_dir=data_dir)), cache_s=1.0)


@pytest.fixture(scope="session")
def api_data(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    """A data directory holding the bundled knowledge pack (indexed once per test session)."""
    data_dir = tmp_path_factory.mktemp("api-data")
    kb = KnowledgeBase(data_dir, embedder)
    kb.ingest_bundled()
    kb.close()
    return data_dir


@pytest.fixture(scope="session")
def api_keys(api_data: Path) -> Keys:
    store = key_store(api_data)

    def new(tenant: str, role: str, origin: str | None = None) -> str:
        return store.create(tenant, role, origin=origin)[1]

    return Keys(
        a_reader=new("trust-a", "reader"),
        a_facilitator=new("trust-a", "facilitator"),
        a_admin=new("trust-a", "admin"),
        b_reader=new("trust-b", "reader"),
        b_facilitator=new("trust-b", "facilitator"),
        b_admin=new("trust-b", "admin"),
        a_origin=new("trust-a", "reader", "https://intranet.trust-a.example"),
    )


@pytest.fixture(scope="session")
def api_server(
    api_data: Path, api_keys: Keys, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiServer]:
    """The app on uvicorn over loopback, rate limit high enough not to interfere."""
    log = tmp_path_factory.mktemp("api-log") / "server.log"
    server = ApiServer(
        api_data,
        log,
        api_rate_limit="10000/minute",
        api_key_cache_s="1",
        api_cors_origins="https://extra.example",
    ).start()
    yield server
    server.stop()


@pytest.fixture
def client(api_server: ApiServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api_server.url, timeout=60) as http:
        yield http


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
