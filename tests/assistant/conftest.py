"""Fixtures for the assistant tests: the fake OpenAI-compatible server."""

from tests.assistant.fake_openai import fake_openai  # noqa: F401
