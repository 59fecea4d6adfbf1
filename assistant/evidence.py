"""Evidence in the room: passages for a question from the knowledge base, the pack and our papers.

`_search` is the one place sessions search the knowledge base (`_own_sources` the one place they
list it), always inside the session's tenant (its own papers and the shared pack). The bundled pack's
documents carry `component` tags, so the search is scoped to the section's components; an
organisation's own papers often carry no tag, so they are searched without the filter as well
and the best of them are added when they are relevant enough.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.answering import clean_evidence
from assistant.session_model import EvidenceItem
from knowledge import BUNDLED_PREFIX, DEFAULT_TENANT, Evidence, KnowledgeBase

__all__ = ["evidence_items", "question_evidence"]

PACK_K = 3
OWN_K = 2
# An own paper is shown in the room only when it is at least this similar to the question: below
# it the best passage of a paper is not about the question (the answerer's old relevance floor).
OWN_MIN_SIMILARITY = 0.35
_SNIPPET = 600


def _search(
    kb: KnowledgeBase,
    query: str,
    k: int,
    components: Sequence[str] | None,
    tenant: str,
    sources: Sequence[str] | None = None,
) -> list[Evidence]:
    """The only call to kb.search here."""
    kwargs: dict[str, Any] = {"tenant": tenant}
    if components:
        kwargs["tags"] = {"component": list(components)}
    if sources:
        kwargs["sources"] = list(sources)
    return kb.search(query, k, **kwargs)


def _own_sources(kb: KnowledgeBase, tenant: str) -> list[str]:
    """The organisation's own documents (everything but the bundled pack)."""
    return [s.source for s in kb.sources(tenant) if not s.source.startswith(BUNDLED_PREFIX)]


def _own(evidence: Evidence) -> bool:
    return not evidence.source.startswith(BUNDLED_PREFIX)


def question_evidence(
    kb: KnowledgeBase,
    query: str,
    components: Sequence[str] = (),
    *,
    tenant: str = DEFAULT_TENANT,
    pack_k: int = PACK_K,
    own_k: int = OWN_K,
) -> list[Evidence]:
    """Up to `pack_k` passages scoped to the components, then up to `own_k` from our own papers.

    Own papers are found by a second search without the component filter, limited to them
    (they may have no tag); only passages at least as similar as the answerer's relevance
    threshold are kept, so an unrelated paper is not shown just because it is ours. Sentences
    flagged as reading like instructions to an AI are cut out of the passages.
    """
    scoped = _cleaned(_search(kb, query, pack_k, components, tenant))
    seen = {e.id for e in scoped}
    ours = _own_sources(kb, tenant) if own_k else []
    # A second search without the component filter, over our own papers only: they may carry
    # no tag, and in a search of everything the much larger pack would crowd them out.
    wide = _cleaned(_search(kb, query, own_k * 3, None, tenant, sources=ours)) if ours else []
    own = [
        e
        for e in wide
        if _own(e)
        and e.id not in seen
        and (e.similarity is None or e.similarity >= OWN_MIN_SIMILARITY)
    ][:own_k]
    return scoped + own


def _cleaned(evidence: Sequence[Evidence]) -> list[Evidence]:
    """Passages with the sentences that read like instructions to an AI cut out."""
    return [e for e in (clean_evidence(ev)[0] for ev in evidence) if e is not None]


def evidence_items(evidence: Sequence[Evidence]) -> list[EvidenceItem]:
    """Evidence as the session keeps it: enough to cite, a snippet of the text."""
    items = []
    for e in evidence:
        text = " ".join(e.text.split())
        if len(text) > _SNIPPET:
            text = text[:_SNIPPET].rsplit(" ", 1)[0] + " ..."
        items.append(
            EvidenceItem(
                title=e.title,
                source=e.source,
                page=e.page,
                heading=e.heading,
                url=e.url,
                text=text,
                own=_own(e),
            )
        )
    return items
