"""Bearer keys on every route but the health checks: who is calling, for which tenant, as what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from api.errors import Forbidden, NotAuthenticated
from api.keys import normalise_origin, role_allows


@dataclass(frozen=True)
class Principal:
    """The caller: carried into every function a route calls (tenant first)."""

    key_id: str
    tenant: str
    role: str


def require(role: str):  # type: ignore[no-untyped-def]
    """A dependency admitting keys whose role is `role` or above; it also counts the rate limit."""

    def dependency(request: Request) -> Principal:
        services = request.app.state.services
        header = request.headers.get("authorization")
        if not header:
            raise NotAuthenticated(
                "this route needs an API key: send the header Authorization: Bearer KEY"
            )
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("send the key as Authorization: Bearer KEY")
        key = services.keys.authenticate(token)
        request.state.tenant = key.tenant
        request.state.key_id = key.id
        origin = request.headers.get("origin")
        if key.origin and origin:
            try:
                same = normalise_origin(origin) == key.origin
            except ValueError:
                same = False
            if not same:
                raise Forbidden(f"this key only works on pages from {key.origin}")
        services.limiter.hit(key.id)
        if not role_allows(key.role, role):
            needed = "an admin key" if role == "admin" else f"a {role} or an admin key"
            raise Forbidden(f"a {key.role} key cannot do this; it needs {needed}")
        return Principal(key.id, key.tenant, key.role)

    dependency.__name__ = f"require_{role}"
    return dependency


Reader = Annotated[Principal, Depends(require("reader"))]
Facilitator = Annotated[Principal, Depends(require("facilitator"))]
Admin = Annotated[Principal, Depends(require("admin"))]
