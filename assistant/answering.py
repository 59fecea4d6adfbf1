"""Question (+ history) → standalone query → evidence → cited answer, offline or through an LLM."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from assistant.abstention import abstention_reason, states_a_gap
from assistant.extractive import Candidate, is_list_question, render, select_sentences
from assistant.followups import expand_components, rewrite_follow_up
from knowledge import BUNDLED_PREFIX, DEFAULT_TENANT, Evidence, KnowledgeBase

Mode = Literal["offline", "llm"]
History = Sequence[tuple[str, str]]  # (role, text), role "user" or "assistant"
EVIDENCE_K = 6


@dataclass(frozen=True)
class Citation:
    n: int
    title: str
    source: str
    page: int | None
    heading: str
    text: str
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "title": self.title,
            "source": self.source,
            "page": self.page,
            "heading": self.heading,
            "text": self.text,
            "url": self.url,
        }

    def label(self) -> str:
        where = [self.title]
        if self.page is not None:
            where.append(f"p. {self.page}")
        if self.heading:
            where.append(self.heading)
        return ", ".join(where)


@dataclass
class Answer:
    question: str
    standalone: str
    text: str
    abstained: bool
    mode: Mode
    citations: list[Citation] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    notice: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.text,
            "abstained": self.abstained,
            "mode": self.mode,
            "citations": [c.to_dict() for c in self.citations],
            "notice": self.notice,
            "standalone_question": self.standalone,
        }


def coverage_summary(kb: KnowledgeBase, limit: int = 3, tenant: str = DEFAULT_TENANT) -> str:
    """One or two sentences on what the knowledge base does hold (for one tenant)."""
    sources = kb.sources(tenant)
    if not sources:
        return "The knowledge base is empty: add documents with `impact ingest`."
    own = [s.title for s in sources if not s.source.startswith(BUNDLED_PREFIX)]
    parts = []
    if len(own) < len(sources):
        parts.append(
            "It covers NHS IMPACT guidance (the five components, the self-assessment, the "
            "National Improvement Board, the baseline and the evaluation) and related improvement "
            "programmes and evidence"
        )
    if own:
        shown = "; ".join(own[:limit]) + (
            f"; and {len(own) - limit} more" if len(own) > limit else ""
        )
        parts.append(f"{len(own)} of your own documents ({shown})")
    return ("It covers " if len(own) == len(sources) else "") + ", plus ".join(parts) + "."


class Answerer:
    """Answers questions from the knowledge base. `llm` is a LangChain chat model or None."""

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        llm: Any = None,
        prompts_dir: Path | None = None,
        k: int = EVIDENCE_K,
        tenant: str = DEFAULT_TENANT,
    ) -> None:
        self.kb = kb
        self.tenant = tenant
        self.llm = llm
        self.prompts_dir = prompts_dir
        self.k = k

    # -- steps ------------------------------------------------------------------------------
    def standalone_question(self, question: str, history: History = ()) -> str:
        earlier = [text for role, text in history if role == "user"]
        if self.llm is not None and earlier:
            from assistant.errors import ProviderError
            from assistant.llm import condense_question

            try:
                return condense_question(self.llm, list(history), question, self.prompts_dir)
            except ProviderError:
                pass  # the rule-based rewrite is a fine fallback
        return rewrite_follow_up(question, earlier)

    def retrieve(self, query: str, tags: dict[str, list[str]] | None = None) -> list[Evidence]:
        return self.kb.search(
            expand_components(query), self.k, tenant=self.tenant, tags=tags or None
        )

    # -- answers -----------------------------------------------------------------------------
    def answer(
        self, question: str, history: History = (), tags: dict[str, list[str]] | None = None
    ) -> Answer:
        return self._respond(question, history, tags, streaming=False)

    def stream(
        self, question: str, history: History = (), tags: dict[str, list[str]] | None = None
    ) -> Iterator[str | Answer]:
        """Yield pieces of the checked answer text, then the Answer itself.

        With an LLM the reply is received as a stream, but its citations are checked before any
        of it is shown: a reply citing nothing real is never half-printed and then withdrawn.
        """
        result = self._respond(question, history, tags, streaming=True)
        yield from re.findall(r"\S+\s*", result.text)
        yield result

    def _respond(
        self, question: str, history: History, tags: dict[str, list[str]] | None, streaming: bool
    ) -> Answer:
        question = question.strip()
        standalone = self.standalone_question(question, history)
        evidence = self.retrieve(standalone, tags)
        usable = [e for e in evidence if not e.flagged]
        reason = abstention_reason(standalone, usable)
        chosen: list[Candidate] = []
        if reason is None:
            chosen = select_sentences(expand_components(standalone), usable, self.kb.embedder)
            if not chosen:
                reason = "no passage answers it directly"
            elif states_a_gap(chosen[0].text):
                reason = "its documents note that this is not published in the sources they draw on"
        if reason is not None:
            return self._abstain(question, standalone, evidence, reason)
        if self.llm is not None:
            return self._llm_answer(question, standalone, evidence, usable, chosen, streaming)
        return self._offline_answer(question, standalone, evidence, usable, chosen)

    def _abstain(
        self, question: str, standalone: str, evidence: list[Evidence], reason: str
    ) -> Answer:
        text = (
            f"The knowledge base does not cover this: {reason}. "
            f"{coverage_summary(self.kb, tenant=self.tenant)} Try rephrasing, or add your own papers with "
            "`impact ingest`."
        )
        return Answer(question, standalone, text, True, "offline", [], evidence)

    def _offline_answer(
        self,
        question: str,
        standalone: str,
        evidence: list[Evidence],
        usable: list[Evidence],
        chosen: list[Candidate],
        notice: str | None = None,
    ) -> Answer:
        numbers: dict[int, int] = {}
        for cand in chosen:
            numbers.setdefault(cand.evidence_index, len(numbers) + 1)
        text = render(chosen, numbers, as_list=is_list_question(standalone) and len(chosen) > 2)
        citations = [_citation(n, usable[i]) for i, n in numbers.items()]
        return Answer(question, standalone, text, False, "offline", citations, evidence, notice)

    def _llm_answer(
        self,
        question: str,
        standalone: str,
        evidence: list[Evidence],
        usable: list[Evidence],
        chosen: list[Candidate],
        streaming: bool,
    ) -> Answer:
        from assistant.citations import strip_invalid_citations
        from assistant.errors import ProviderError
        from assistant.llm import generate_answer, stream_answer

        try:
            if streaming:
                raw = "".join(stream_answer(self.llm, standalone, usable, self.prompts_dir))
            else:
                raw = generate_answer(self.llm, standalone, usable, self.prompts_dir)
        except ProviderError as exc:
            notice = f"The language model did not answer ({exc}); this answer was composed offline."
            return self._offline_answer(question, standalone, evidence, usable, chosen, notice)
        text, cited = strip_invalid_citations(raw, set(range(1, len(usable) + 1)))
        if not cited:
            notice = (
                "The language model's reply cited no passage from the knowledge base, so this "
                "answer was composed offline from the sources."
            )
            return self._offline_answer(question, standalone, evidence, usable, chosen, notice)
        citations = [_citation(n, usable[n - 1]) for n in sorted(cited)]
        return Answer(question, standalone, text.strip(), False, "llm", citations, evidence)


def _citation(n: int, ev: Evidence) -> Citation:
    return Citation(n, ev.title, ev.source, ev.page, ev.heading, ev.text, ev.url)
