"""The conversation layer: settings, the `impact` CLI and (later) answering and facilitation."""

from assistant.errors import AssistantError, ConfigurationError
from assistant.settings import Settings, load_settings, open_knowledge_base

__all__ = [
    "AssistantError",
    "ConfigurationError",
    "Settings",
    "load_settings",
    "open_knowledge_base",
]
