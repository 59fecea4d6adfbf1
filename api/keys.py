"""API keys: a tenant and a role each, stored as an argon2 hash, checked cheaply per request.

A key reads `imp.<id>.<secret>`. The id finds the row; argon2 verifies the secret the first time a
process sees the key. After that a short in-memory cache holds the verified key, and every
`cache_s` seconds the row is read again (no argon2), so a revoked key stops working in every
worker within `cache_s` seconds. Only the hash is stored: a lost key cannot be shown again.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine, text

from api.errors import ApiError, KeyNotFound, NotAuthenticated

ROLES = ("reader", "facilitator", "admin")
_RANK = {role: i for i, role in enumerate(ROLES)}
_TENANT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_KEY = re.compile(r"imp\.(k[0-9a-f]{16})\.([A-Za-z0-9_-]{20,100})")
PREFIX = "imp."
FAILURES_PER_MINUTE = 20


def role_allows(role: str, needed: str) -> bool:
    """Readers ask and search; facilitators also run sessions; admins also manage documents."""
    return _RANK.get(role, -1) >= _RANK[needed]


def normalise_origin(origin: str) -> str:
    """`https://intranet.example.nhs.uk` (scheme, host and port only), or a ValueError."""
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{origin!r} is not an origin; write it as https://intranet.example.org")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(f"{origin!r} has a path; an origin is only scheme://host[:port]")
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname.lower()}{port}"


@dataclass(frozen=True)
class ApiKey:
    """One key as stored (never its secret)."""

    id: str
    tenant: str
    role: str
    origin: str | None
    label: str | None
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tenant": self.tenant,
            "role": self.role,
            "origin": self.origin,
            "label": self.label,
            "created_at": self.created_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


def _hasher():  # type: ignore[no-untyped-def]
    from argon2 import PasswordHasher

    # The secret is 256 random bits, so the hash need not be slow; these are OWASP's minimum
    # argon2id parameters (about 20 ms), paid once per key per process thanks to the cache.
    return PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)


class KeyStore:
    """Keys on the shared engine (the `api_keys` table)."""

    def __init__(self, engine: Engine, cache_s: float = 5.0) -> None:
        self.engine = engine
        self.cache_s = cache_s
        self._verified: dict[str, tuple[ApiKey, str, float]] = {}
        self._origins: tuple[frozenset[str], float] | None = None
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self._ph = None

    # -- administration ------------------------------------------------------------------
    def create(
        self, tenant: str, role: str, origin: str | None = None, label: str | None = None
    ) -> tuple[ApiKey, str]:
        """Store a new key; return it and its plaintext (shown once, never stored)."""
        if not _TENANT.fullmatch(tenant or ""):
            raise ApiError(
                f"{tenant!r} is not a tenant: use 1-64 letters, digits, '-' or '_' "
                "(starting with a letter or digit)"
            )
        if role not in ROLES:
            raise ApiError(f"{role!r} is not a role; choose one of {', '.join(ROLES)}")
        clean_origin = None
        if origin:
            try:
                clean_origin = normalise_origin(origin)
            except ValueError as exc:
                raise ApiError(str(exc)) from None
        key_id = "k" + secrets.token_hex(8)
        secret = secrets.token_urlsafe(32)
        record = ApiKey(key_id, tenant, role, clean_origin, label, datetime.now(UTC))
        with self.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO api_keys (id, tenant, role, origin, label, secret_hash, "
                    "created_at) VALUES (:id, :tenant, :role, :origin, :label, :hash, :created)"
                ),
                {
                    "id": key_id,
                    "tenant": tenant,
                    "role": role,
                    "origin": clean_origin,
                    "label": label,
                    "hash": self._hash().hash(secret),
                    "created": record.created_at,
                },
            )
        self._origins = None
        return record, f"{PREFIX}{key_id}.{secret}"

    def list(self, tenant: str | None = None, include_revoked: bool = True) -> list[ApiKey]:
        sql = "SELECT id, tenant, role, origin, label, created_at, revoked_at FROM api_keys"
        clauses, params = [], {}
        if tenant is not None:
            clauses.append("tenant = :tenant")
            params["tenant"] = tenant
        if not include_revoked:
            clauses.append("revoked_at IS NULL")
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        with self.engine.connect() as conn:
            rows = conn.execute(text(sql + " ORDER BY created_at, id"), params).all()
        return [_record(row) for row in rows]

    def get(self, key_id: str) -> ApiKey:
        row = self._row(key_id)
        if row is None:
            raise KeyNotFound(f"no key {key_id!r}; `impact keys list` shows the ids")
        return _record(row[:7])

    def revoke(self, key_id: str) -> ApiKey:
        """Mark a key revoked (kept for the record); every worker refuses it within `cache_s`."""
        current = self.get(key_id)
        if current.revoked_at is not None:
            return current
        with self.engine.begin() as conn:
            conn.execute(
                text("UPDATE api_keys SET revoked_at = :now WHERE id = :id"),
                {"now": datetime.now(UTC), "id": key_id},
            )
        with self._lock:
            self._verified = {k: v for k, v in self._verified.items() if v[0].id != key_id}
            self._origins = None
        return self.get(key_id)

    # -- per request -------------------------------------------------------------------------
    def authenticate(self, presented: str) -> ApiKey:
        """The active key `presented` is, or NotAuthenticated (never saying which part failed)."""
        refused = NotAuthenticated(
            "the API key is not valid (unknown, mistyped or revoked); "
            "ask your administrator for a key (`impact keys create`)"
        )
        match = _KEY.fullmatch(presented.strip())
        if match is None:
            raise refused
        digest = hashlib.sha256(presented.strip().encode()).hexdigest()
        now = time.monotonic()
        with self._lock:
            cached = self._verified.get(digest)
        if cached is not None and now - cached[2] < self.cache_s:
            return cached[0]
        row = self._row(match.group(1))
        if row is None or row[6] is not None:
            with self._lock:
                self._verified.pop(digest, None)
            raise refused
        stored_hash = row[7]
        if cached is None or cached[1] != stored_hash:
            if self._too_many_failures(match.group(1), now):
                raise refused  # guessing at a public key id must not cost argon2 every time
            from argon2.exceptions import InvalidHashError, VerificationError

            try:
                self._hash().verify(stored_hash, match.group(2))
            except (VerificationError, InvalidHashError):
                with self._lock:
                    self._failures.setdefault(match.group(1), []).append(now)
                raise refused from None
        record = _record(row[:7])
        with self._lock:
            if len(self._verified) > 10_000:
                self._verified.clear()
            self._verified[digest] = (record, stored_hash, now)
        return record

    def origins(self) -> frozenset[str]:
        """The origins of the active keys (re-read every `cache_s` seconds: no restart needed)."""
        now = time.monotonic()
        cached = self._origins
        if cached is not None and now - cached[1] < self.cache_s:
            return cached[0]
        with self.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT DISTINCT origin FROM api_keys WHERE origin IS NOT NULL AND revoked_at IS NULL"
                )
            ).all()
        found = frozenset(r[0] for r in rows)
        self._origins = (found, now)
        return found

    # -- helpers -------------------------------------------------------------------------
    def _too_many_failures(self, key_id: str, now: float) -> bool:
        """More than FAILURES_PER_MINUTE wrong secrets for this id in the last minute."""
        with self._lock:
            recent = [t for t in self._failures.get(key_id, []) if now - t < 60]
            if recent:
                self._failures[key_id] = recent
            else:
                self._failures.pop(key_id, None)
            return len(recent) >= FAILURES_PER_MINUTE

    def _row(self, key_id: str) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(
                text(
                    "SELECT id, tenant, role, origin, label, created_at, revoked_at, secret_hash "
                    "FROM api_keys WHERE id = :id"
                ),
                {"id": key_id},
            ).first()

    def _hash(self):  # type: ignore[no-untyped-def]
        if self._ph is None:
            self._ph = _hasher()
        return self._ph


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _record(row: Any) -> ApiKey:
    created = _aware(row[5])
    assert created is not None
    return ApiKey(row[0], row[1], row[2], row[3], row[4], created, _aware(row[6]))
