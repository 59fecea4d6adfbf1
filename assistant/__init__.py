"""The conversation layer: settings, the `impact` CLI and answering (facilitation to come).

Names load on first use (PEP 562): `import assistant.errors` does not pull in settings or the
answering stack.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.errors import AssistantError, ConfigurationError, ProviderError
    from assistant.settings import Settings, load_settings

_MODULE_OF = {
    "AssistantError": "assistant.errors",
    "ConfigurationError": "assistant.errors",
    "ProviderError": "assistant.errors",
    "Settings": "assistant.settings",
    "load_settings": "assistant.settings",
}

__all__ = [
    "AssistantError",
    "ConfigurationError",
    "ProviderError",
    "Settings",
    "load_settings",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
