"""Every domain error has one HTTP mapping; problems never leak paths or internals."""

from __future__ import annotations

import knowledge.errors as knowledge_errors
from api.errors import (
    ApiError,
    RateLimited,
    mapped_class,
    problem_for,
)
from assistant.errors import AssistantError, ConfigurationError
from knowledge.errors import CorruptDocument, KnowledgeError, StoreUnavailable, UnsupportedFileType


def _subclasses(base: type) -> set[type]:
    found = {base}
    for sub in base.__subclasses__():
        found |= _subclasses(sub)
    return found


def test_every_domain_error_maps_to_a_problem() -> None:
    for base in (ApiError, AssistantError, KnowledgeError):
        for klass in _subclasses(base):
            assert mapped_class(klass) is not None, klass
            assert 400 <= problem_for(_instance(klass)).status < 600


def _instance(klass: type) -> BaseException:
    if issubclass(klass, knowledge_errors.DocumentError):
        return klass("/srv/uploads/tmp123/board.pdf", "the file is damaged")
    if klass is RateLimited:
        return klass("over", 2.5)
    if klass is knowledge_errors.SourceNotFound:
        return klass("board.pdf", "trust-a")
    return klass("something happened")


def test_statuses_for_the_common_errors() -> None:
    assert problem_for(UnsupportedFileType("/x/a.exe", "not supported")).status == 415
    assert problem_for(CorruptDocument("/x/a.pdf", "damaged")).status == 422
    assert problem_for(StoreUnavailable("chroma at 10.0.0.5 refused")).status == 503
    assert problem_for(RuntimeError("boom")).status == 500


def test_a_document_problem_names_the_reason_not_the_server_path() -> None:
    problem = problem_for(CorruptDocument("/srv/uploads/tmp123/board.pdf", "the PDF is damaged"))
    assert problem.detail == "the PDF is damaged"


def test_internal_details_never_reach_the_client() -> None:
    for exc in (
        StoreUnavailable("could not open /var/lib/impact/chroma: permission denied"),
        ConfigurationError("IMPACT_LLM_API_KEY=sk-secret is wrong"),
        RuntimeError("Traceback (most recent call last): secret"),
    ):
        problem = problem_for(exc)
        assert "/var/lib" not in problem.detail and "sk-secret" not in problem.detail
        assert "secret" not in problem.detail


def test_session_errors_not_yet_written_map_by_their_base() -> None:
    class SessionNotFound(AssistantError):
        pass

    class InvalidTransition(AssistantError):
        pass

    assert problem_for(SessionNotFound("no session s_1")).status == 404
    assert problem_for(InvalidTransition("already closed")).status == 409


def test_rate_limited_problems_carry_retry_after() -> None:
    problem = problem_for(RateLimited("slow down", 0.2))
    assert problem.status == 429 and problem.headers["Retry-After"] == "1"
