"""Errors raised by the assistant package.

AssistantError
└── ConfigurationError     a setting is missing or invalid (misuse: says which and how to fix)
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class for the assistant package's errors."""


class ConfigurationError(AssistantError):
    """A setting is missing or invalid."""
