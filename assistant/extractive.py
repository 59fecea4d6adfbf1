"""Offline answers: the most relevant sentences of the top evidence, each carrying its [n]."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import Stemmer

from knowledge import Embedder, Evidence, looks_like_instructions

MAX_WORDS = 150
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"'“(\[]?[A-Z0-9])")
_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_MARKUP = re.compile(r"\*\*|__|`")
_DANGLING = re.compile(r"[;,]?\s+(or|and)$", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")
_STEMMER = Stemmer.Stemmer("english")
_STOP = set(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "for",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "what",
        "which",
        "who",
        "how",
        "why",
        "when",
        "where",
        "do",
        "does",
        "did",
        "should",
        "can",
        "could",
        "would",
        "our",
        "we",
        "us",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "with",
        "by",
        "from",
        "at",
        "as",
        "about",
        "into",
        "there",
        "their",
        "they",
        "them",
        "has",
        "have",
        "had",
        "not",
        "no",
        "any",
        "all",
    ]
)
_LIST_QUESTION = re.compile(
    r"^\s*(what|which)\s+(are|were)\s+the\b|\blist\b|\bname the\b|\bwhat\b.*\b(components|"
    r"principles|steps|lessons|domains|themes|drivers|factors|challenges|elements|practices|"
    r"recommendations|findings|risks|questions)\b",
    re.IGNORECASE,
)


_NUMERIC = re.compile(r"\d")
_DATE = re.compile(
    r"\b(19|20)\d\d\b|\b(january|february|march|april|may|june|july|august|september|october|"
    r"november|december)\b",
    re.IGNORECASE,
)
_TITLE_WORDS = re.compile(r"\b(?:Dr|Professor|Prof|Sir|Dame)\b")
_NAME_PAIR = re.compile(r"\b([A-Z][a-z]+)\s+[A-Z][a-z]+\b")
_NOT_NAMES = {
    "The",
    "This",
    "That",
    "These",
    "Those",
    "In",
    "On",
    "At",
    "For",
    "A",
    "An",
    "Its",
    "Our",
    "Each",
    "Every",
    "First",
    "Second",
    "Third",
    "National",
    "Improvement",
    "Health",
    "Quality",
    "Learning",
    "Building",
    "Investing",
    "Developing",
    "Embedding",
    "Component",
    "Board",
    "Leadership",
    "Flow",
    "Advancing",
    "Engineering",
    "Royal",
}


class _PersonPattern:
    """Matches text naming a person: a title (Dr, Professor) or a First Last name pair."""

    def search(self, text: str) -> bool:
        if _TITLE_WORDS.search(text):
            return True
        return any(m.group(1) not in _NOT_NAMES for m in _NAME_PAIR.finditer(text))


_PERSON = _PersonPattern()


def _answer_type(question: str) -> re.Pattern[str] | _PersonPattern | None:
    """What kind of token an answer to this question would contain, if the question says."""
    q = question.lower().strip()
    if re.search(
        r"\b(how many|how much|what (percentage|proportion|share|number)|what per ?cent)", q
    ):
        return _NUMERIC
    if q.startswith("when") or "what year" in q or "what date" in q:
        return _DATE
    if q.startswith(("who ", "who's", "whom")):
        return _PERSON
    return None


SHORTLIST = 6


def _stems(text: str) -> list[str]:
    return _STEMMER.stemWords([w for w in _WORD.findall(text.lower()) if w not in _STOP])


def _cheap_scores(
    question: str, candidates: list[Candidate], evidence: Sequence[Evidence]
) -> np.ndarray:
    """Score without the model: shared (stemmed, idf-weighted) terms, passage relevance, type."""
    stems = [set(_stems(c.text)) for c in candidates]
    query = set(_stems(question))
    total = len(candidates)
    idf = {t: math.log(1 + total / (1 + sum(t in s for s in stems))) for t in query}
    norm = sum(idf.values()) or 1.0
    wants = _answer_type(question)
    scores = np.zeros(total, dtype=np.float32)
    for i, cand in enumerate(candidates):
        overlap = sum(idf[t] for t in query & stems[i]) / norm
        passage = float(evidence[cand.evidence_index].similarity or 0.0)
        scores[i] = 0.35 * overlap + 0.3 * passage + 0.03 / (1 + cand.evidence_index)
        if wants is not None and wants.search(cand.text):
            scores[i] += 0.12
    return scores


@dataclass(frozen=True)
class Candidate:
    text: str
    evidence_index: int
    order: int
    is_item: bool


def _terms(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def split_sentences(passage: str) -> list[tuple[str, bool]]:
    """Sentences and list items of a passage, as (text, is_list_item)."""
    out: list[tuple[str, bool]] = []
    for line in passage.split("\n"):
        line = _MARKUP.sub("", line).strip()
        if not line:
            continue
        if _ITEM.match(line):
            out.append((_ITEM.sub("", line).strip(), True))
            continue
        out.extend((s.strip(), False) for s in _SENTENCE.split(line) if s.strip())
    return out


def is_list_question(question: str) -> bool:
    return bool(_LIST_QUESTION.search(question))


def _candidates(evidence: Sequence[Evidence]) -> list[Candidate]:
    found: list[Candidate] = []
    for index, ev in enumerate(evidence):
        if ev.flagged:
            continue
        for order, (sentence, item) in enumerate(split_sentences(ev.text)):
            if len(sentence.split()) < (2 if item else 4) or looks_like_instructions(sentence):
                continue
            if sentence.rstrip().endswith((":", "?")):
                continue  # lead-ins and discussion prompts are not answers
            found.append(Candidate(sentence, index, order, item))
    return found


def _near_duplicate(a: str, b: str) -> bool:
    ta, tb = _terms(a), _terms(b)
    return bool(ta and tb) and len(ta & tb) / min(len(ta), len(tb)) >= 0.7


def select_sentences(
    question: str, evidence: Sequence[Evidence], embedder: Embedder, max_words: int = MAX_WORDS
) -> list[Candidate]:
    """Pick the sentences that best answer the question, in reading order."""
    candidates = _candidates(evidence)
    if not candidates:
        return []
    scores = cheap = _cheap_scores(question, candidates, evidence)
    # Only the most promising sentences are embedded: that is where the time goes.
    shortlist = np.argsort(-scores)[:SHORTLIST]
    query_vec = embedder.embed_query(question)
    # Read each sentence with its document title, which resolves acronyms and "it".
    contexts = [_in_context(candidates[i], evidence) for i in shortlist]
    dense = embedder.embed_documents(contexts) @ query_vec
    final = np.full(len(candidates), -1.0, dtype=np.float32)
    final[shortlist] = scores[shortlist] + dense
    scores = final

    if is_list_question(question):
        listed = _best_list(candidates, cheap, evidence)
        if listed:
            return listed

    ranked = np.argsort(-scores)[:SHORTLIST]
    cutoff = float(scores[ranked[0]]) * 0.85
    chosen: list[Candidate] = []
    words = 0
    for i in ranked:
        cand = candidates[int(i)]
        if float(scores[i]) < cutoff or len(chosen) >= 4:
            break
        if any(_near_duplicate(cand.text, c.text) for c in chosen):
            continue
        length = len(cand.text.split())
        if chosen and words + length > max_words:
            continue
        chosen.append(cand)
        words += length
    # The best sentence leads; the rest follow in reading order.
    return chosen[:1] + sorted(chosen[1:], key=lambda c: (c.evidence_index, c.order))


def _in_context(cand: Candidate, evidence: Sequence[Evidence]) -> str:
    """A sentence with its title and heading, which resolve acronyms, "it" and the topic."""
    ev = evidence[cand.evidence_index]
    return f"{ev.title}. {ev.heading}. {cand.text}" if ev.heading else f"{ev.title}. {cand.text}"


def _best_list(
    candidates: list[Candidate], scores: np.ndarray, evidence: Sequence[Evidence]
) -> list[Candidate]:
    """For list questions: the items of the list (one section, maybe over chunks) scoring best."""
    groups: dict[tuple[str, str], list[int]] = {}
    for i, cand in enumerate(candidates):
        if cand.is_item:
            ev = evidence[cand.evidence_index]
            groups.setdefault((ev.source, ev.heading), []).append(i)
    best: list[int] = []
    best_score = -1.0
    for indices in groups.values():
        unique: dict[str, int] = {}
        for i in sorted(
            indices,
            key=lambda i: (evidence[candidates[i].evidence_index].position, candidates[i].order),
        ):
            unique.setdefault(candidates[i].text, i)
        ordered = list(unique.values())
        if len(ordered) < 3:
            continue
        score = float(np.mean([scores[i] for i in ordered])) + 0.02 * min(len(ordered), 6)
        if score > best_score:
            best, best_score = ordered, score
    items: list[Candidate] = []
    words = 0
    for i in best[:8]:
        text = _SENTENCE.split(candidates[i].text)[0]
        if words + len(text.split()) > MAX_WORDS * 1.4:
            break
        items.append(Candidate(text, candidates[i].evidence_index, candidates[i].order, True))
        words += len(text.split())
    return items


def render(chosen: Sequence[Candidate], numbers: dict[int, int], as_list: bool) -> str:
    """The answer text with [n] after each sentence (n = citation number of its evidence)."""
    parts = []
    for cand in chosen:
        text = _DANGLING.sub("", cand.text.rstrip()).rstrip().rstrip(";,").rstrip()
        text = text[:1].upper() + text[1:]
        if not text.endswith((".", "!", "?", ":")):
            text += "."
        cited = f"{text[:-1]} [{numbers[cand.evidence_index]}]{text[-1]}"
        parts.append(cited)
    if as_list:
        return "\n".join(f"- {p}" for p in parts)
    return " ".join(parts)
