"""Tenants: every document belongs to one organisation's tenant or to `shared` (the bundled pack)."""

from __future__ import annotations

import re

from knowledge.errors import InvalidTenant

SHARED = "shared"
DEFAULT_TENANT = "default"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def check_tenant(name: str) -> str:
    """The tenant name, stripped, or InvalidTenant saying what a name may hold."""
    value = (name or "").strip()
    if not _NAME.fullmatch(value):
        raise InvalidTenant(
            f"{name!r} is not a tenant name: use 1-64 letters, digits, '-' or '_', "
            "starting with a letter or digit"
        )
    return value


def writable_tenant(name: str) -> str:
    """A tenant a user may write into: any valid name except `shared`."""
    value = check_tenant(name)
    if value == SHARED:
        raise InvalidTenant(
            f"the {SHARED!r} tenant holds only the bundled knowledge pack (`impact ingest "
            "--bundled`); ingest your documents into your own tenant (--tenant NAME)"
        )
    return value


def visible_tenants(tenant: str) -> tuple[str, ...]:
    """What a tenant reads: its own documents and the shared pack."""
    value = check_tenant(tenant)
    return (SHARED,) if value == SHARED else (value, SHARED)
