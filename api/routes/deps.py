"""Dependency aliases the routers share."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.services import Services


def _services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


ServicesDep = Annotated[Services, Depends(_services)]
