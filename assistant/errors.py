"""Errors raised by the assistant package.

AssistantError
├── ConfigurationError     a setting is missing or invalid (misuse: says which and how to fix)
└── ProviderError          the language model gave no usable answer (runtime: timeout, HTTP error,
                           unreachable, bad reply); answering falls back to the offline answer
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class for the assistant package's errors."""


class ConfigurationError(AssistantError):
    """A setting is missing or invalid."""


class ProviderError(AssistantError):
    """The language model gave no usable answer: timeout, unreachable, HTTP error or bad reply.

    `reason` is one of "timeout", "unreachable", "http_error", "bad_response", "failed";
    `status` is the HTTP status when the server answered with an error.
    """

    def __init__(self, message: str, *, reason: str = "failed", status: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.status = status
