"""API keys: stored as hashes, verified once per process, revocable, with a tenant and a role."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from api.cli import app
from api.errors import ApiError, KeyNotFound, NotAuthenticated
from api.keys import KeyStore, normalise_origin, role_allows
from tests.api.conftest import key_store


@pytest.fixture
def store(tmp_path: Path) -> KeyStore:
    return key_store(tmp_path / "data")


def test_only_a_hash_of_the_key_is_stored(store: KeyStore) -> None:
    record, key = store.create("trust-a", "reader")
    assert key.startswith(f"imp.{record.id}.")
    with store.engine.connect() as conn:
        stored = conn.execute(text("SELECT secret_hash FROM api_keys")).scalar_one()
    assert stored.startswith("$argon2id$")
    assert key.split(".")[-1] not in stored


def test_a_key_authenticates_as_its_tenant_and_role(store: KeyStore) -> None:
    _, key = store.create("trust-a", "facilitator", origin="https://intranet.example.org/")
    found = store.authenticate(key)
    assert (found.tenant, found.role, found.origin) == (
        "trust-a",
        "facilitator",
        "https://intranet.example.org",
    )


def test_a_wrong_secret_for_a_real_id_is_refused(store: KeyStore) -> None:
    record, key = store.create("trust-a", "reader")
    forged = f"imp.{record.id}.{'A' * 43}"
    with pytest.raises(NotAuthenticated):
        store.authenticate(forged)
    assert store.authenticate(key).id == record.id


def test_revocation_reaches_another_process_cache_within_its_lifetime(tmp_path: Path) -> None:
    worker_a = key_store(tmp_path / "data")  # cache_s=1
    worker_b = KeyStore(worker_a.engine, cache_s=1.0)
    record, key = worker_a.create("trust-a", "reader")
    assert worker_b.authenticate(key).id == record.id
    worker_a.revoke(record.id)
    with pytest.raises(NotAuthenticated):
        worker_a.authenticate(key)
    time.sleep(1.1)
    with pytest.raises(NotAuthenticated):
        worker_b.authenticate(key)


def test_guessing_secrets_for_a_known_id_stops_costing_argon2(store: KeyStore) -> None:
    record, key = store.create("trust-a", "reader")
    store.authenticate(key)  # the real key, verified and cached before the attack
    for _ in range(20):
        with pytest.raises(NotAuthenticated):
            store.authenticate(f"imp.{record.id}.{'B' * 43}")
    started = time.perf_counter()
    for _ in range(50):
        with pytest.raises(NotAuthenticated):
            store.authenticate(f"imp.{record.id}.{'C' * 43}")
    assert (time.perf_counter() - started) / 50 < 0.005  # no argon2 per guess any more
    assert store.authenticate(key).id == record.id  # the cached real key still works


def test_verification_is_cached_so_a_request_costs_little(store: KeyStore) -> None:
    _, key = store.create("trust-a", "reader")
    started = time.perf_counter()
    store.authenticate(key)
    first = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(100):
        store.authenticate(key)
    per_call = (time.perf_counter() - started) / 100
    assert per_call < first / 5


def test_bad_tenants_roles_and_origins_are_clear_errors(store: KeyStore) -> None:
    with pytest.raises(ApiError, match="is not a tenant"):
        store.create("trust a", "reader")
    with pytest.raises(ApiError, match="choose one of reader, facilitator, admin"):
        store.create("trust-a", "owner")
    with pytest.raises(ApiError, match="has a path"):
        store.create("trust-a", "reader", origin="https://intranet.example.org/page")
    with pytest.raises(KeyNotFound, match="impact keys list"):
        store.revoke("k0000000000000000")


def test_origins_and_roles() -> None:
    assert (
        normalise_origin("HTTPS://Intranet.Example.org:8443/")
        == "https://intranet.example.org:8443"
    )
    with pytest.raises(ValueError):
        normalise_origin("intranet.example.org")
    assert role_allows("admin", "facilitator") and role_allows("facilitator", "reader")
    assert not role_allows("reader", "facilitator") and not role_allows("facilitator", "admin")


def test_origins_of_revoked_keys_are_not_allowed(store: KeyStore) -> None:
    record, _ = store.create("trust-a", "reader", origin="https://a.example")
    store.create("trust-b", "reader", origin="https://b.example")
    assert store.origins() == {"https://a.example", "https://b.example"}
    store.revoke(record.id)
    assert store.origins() == {"https://b.example"}


def test_cli_creates_lists_and_revokes_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant import cli as assistant_cli

    monkeypatch.setenv("IMPACT_DATA_DIR", str(tmp_path / "cli-data"))
    monkeypatch.setattr(assistant_cli._State, "settings", None)
    runner = CliRunner()
    made = runner.invoke(app, ["keys", "create", "--tenant", "rxy", "--role", "admin", "--json"])
    assert made.exit_code == 0, made.output
    created = json.loads(made.stdout)
    assert set(created) == {"id", "key", "tenant", "role"}
    listed = runner.invoke(app, ["keys", "list", "--json"])
    assert [k["id"] for k in json.loads(listed.stdout)] == [created["id"]]
    assert created["key"] not in listed.stdout
    revoked = runner.invoke(app, ["keys", "revoke", created["id"]])
    assert revoked.exit_code == 0 and "Revoked" in revoked.stdout
    status = json.loads(runner.invoke(app, ["keys", "list", "--json"]).stdout)[0]
    assert status["revoked_at"] is not None
    monkeypatch.setattr(assistant_cli._State, "settings", None)
