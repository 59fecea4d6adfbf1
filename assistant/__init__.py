"""The conversation layer: settings, the `impact` CLI and answering (facilitation to come)."""

from assistant.errors import AssistantError, ConfigurationError, ProviderError
from assistant.settings import Settings, load_settings

__all__ = [
    "AssistantError",
    "ConfigurationError",
    "ProviderError",
    "Settings",
    "load_settings",
]
