"""What an answer says around its evidence: the coverage summary, and passages with injected
sentences cut out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from knowledge import BUNDLED_PREFIX, DEFAULT_TENANT, Evidence, KnowledgeBase, SourceInfo

__all__ = ["WITHHELD_NOTICE", "add_hint", "clean_evidence", "coverage_summary"]


def add_hint(web: bool, has_own: bool = False) -> str:
    """How this reader gets more documents added: a command for the CLI user, the administrator
    for someone asking through the API or the intranet widget (who cannot run `impact`). With
    the organisation's papers already in, the hint is for the paper that would hold the answer.
    """
    if has_own:
        papers = "the paper that holds it"
    else:
        papers = "your organisation's papers" if web else "your own papers"
    return (
        f"ask your administrator to add {papers}" if web else f"add {papers} with `impact ingest`"
    )


def coverage_summary(
    kb: KnowledgeBase,
    limit: int = 3,
    tenant: str = DEFAULT_TENANT,
    sources: Sequence[SourceInfo] | None = None,
    web: bool = False,
) -> str:
    """One or two sentences on what the knowledge base does hold (for one tenant)."""
    sources = kb.sources(tenant) if sources is None else sources
    if not sources:
        if web:
            return f"The knowledge base is empty: {add_hint(web)}."
        return (
            "The knowledge base is empty: add documents with `impact ingest`, or the NHS IMPACT "
            "pack with `impact ingest --bundled`."
        )
    own = [s.title for s in sources if not s.source.startswith(BUNDLED_PREFIX)]
    parts = []
    if len(own) < len(sources):
        parts.append(
            "It covers NHS IMPACT guidance (the five components, the self-assessment, the "
            "National Improvement Board, the baseline and the evaluation) and related improvement "
            "programmes and evidence"
        )
    if own and not limit and len(own) < len(sources):
        # a decline names how many, not which, beside the pack: it stays short (with the
        # organisation's papers alone, their titles are all it can say it covers)
        parts.append(f"{len(own)} of your own documents")
    elif own:
        limit = limit or 3
        shown = "; ".join(own[:limit]) + (
            f"; and {len(own) - limit} more" if len(own) > limit else ""
        )
        parts.append(f"{len(own)} of your own documents ({shown})")
    return ("It covers " if len(own) == len(sources) else "") + ", plus ".join(parts) + "."


WITHHELD_NOTICE = (
    "Some text in the sources was withheld because it reads like instructions to an AI "
    "rather than information."
)
_PLACEHOLDER = "[text withheld]"


def clean_evidence(ev: Evidence) -> tuple[Evidence | None, bool]:
    """The passage with its flagged sentences cut out, and whether anything was cut.

    A passage flagged by an older index (no spans recorded) is dropped whole.
    """
    if not ev.flagged and not ev.flagged_spans:
        return ev, False
    if not ev.flagged_spans:
        return None, True
    parts, cursor = [], 0
    for start, end in sorted(ev.flagged_spans):
        parts.append(ev.text[cursor:start])
        parts.append(_PLACEHOLDER)
        cursor = max(cursor, end)
    parts.append(ev.text[cursor:])
    text = "".join(parts).strip()
    if not text.replace(_PLACEHOLDER, "").strip():
        return None, True
    return replace(ev, text=text, flagged=False, flagged_spans=()), True
