"""The HTTP face: the FastAPI app, keys, conversations, the widget and the console.

Importing the package is cheap (the `impact` CLI lives here); `create_app` loads FastAPI on use.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from api.app import create_app

        return create_app
    raise AttributeError(name)
