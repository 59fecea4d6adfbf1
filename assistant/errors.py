"""Errors raised by the assistant package.

AssistantError
├── ConfigurationError     a setting is missing or invalid (misuse: says which and how to fix)
├── ProviderError          the language model gave no usable answer (runtime: timeout, HTTP error,
│                          unreachable, bad reply); answering falls back to the offline answer
└── SessionError           a board session refused a request; nothing was changed
    ├── SessionNotFound    no session with that id in this tenant (runtime)
    ├── QuestionNotFound   the id is not a question (or section) of the session's framework
    ├── ActionNotFound     no action with that reference in the session
    ├── InvalidRating      a rating outside the framework's scale, or on a question not rated
    ├── InvalidInput       anything else the session cannot take (a date, a status, a rationale)
    ├── WrongStage         the step comes too early or too late (agree before the spread is shown)
    ├── SessionClosed      the session is closed: only its actions can still be updated
    ├── SessionConflict    someone else saved the session first: reload and try again
    ├── SessionStoreUnavailable  the session database cannot be reached or prepared (runtime)
    └── FrameworkError     a framework is missing or does not validate (misuse: `problems` lists
                           each with its line number)
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


class SessionError(AssistantError):
    """A board session refused a request; the session is unchanged."""


class SessionNotFound(SessionError):
    """No session with that id in this tenant."""


class QuestionNotFound(SessionError):
    """The id is not a question (or section) of the session."""


class ActionNotFound(SessionError):
    """No action with that reference in the session."""


class InvalidRating(SessionError):
    """A rating outside the framework's scale, or on a question that takes no rating."""


class InvalidInput(SessionError):
    """A value the session cannot take: a date, a status, an empty rationale, a member."""


class WrongStage(SessionError):
    """The step does not fit where the question or session is (e.g. agreeing before the spread)."""


class SessionClosed(SessionError):
    """The session is closed; only its actions can still be updated."""


class SessionConflict(SessionError):
    """The session was saved by someone else since it was read."""


class SessionStoreUnavailable(SessionError):
    """The session database cannot be reached or prepared."""


class FrameworkError(SessionError):
    """A framework is missing or invalid; `problems` holds (line, message) pairs, line 0 = file."""

    def __init__(self, message: str, problems: list[tuple[int, str]] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []
