"""Is a message a knowledge question, or a request to decline (clinical or legal advice, a
prediction, an opinion, a task, live facts)? Decided by nearest exemplars, not keywords.

The exemplars are the YAML files in prompts/intents/. A multinomial logistic regression over
their embeddings (the bundled model) is fitted once per set of exemplars (a few milliseconds,
numpy only); each message gets a probability per intent. A message is declined when the best
declining intent's probability beats the knowledge-question intent's by more than a margin
calibrated on the development questions (prompts/calibration/abstention.yaml); the held-out
examples in each file evaluate it (benchmarks/answers.py). On them it put 48 of 49 in the right
place where the mean similarity of the three nearest examples managed 39.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.questions import speaks_as_us
from knowledge import Embedder
from knowledge.derived import cached_arrays
from knowledge.derived import digest as derived_digest
from prompts import Intent, load_intents

__all__ = ["IntentClassifier", "IntentResult", "KNOWLEDGE", "OURS", "margin_name", "opening_word"]

KNOWLEDGE = "knowledge-question"
OWN_ACTIONS = ("own-documents", "own-papers-only")
OURS = "ours"  # the margin of a request for the organisation's own figures asked as "we"/"our"
_SCALE = 10.0  # cosine similarities are small: scaled before the softmax
_L2 = 1e-3
_STEPS = 800
_cache: dict[str, tuple[list[Intent], np.ndarray, np.ndarray]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class IntentResult:
    intent: Intent  # the best declining intent (or the knowledge intent if none declines)
    margin: float  # its score minus the knowledge-question score (> 0: closer to declining)
    scores: dict[str, float]


class IntentClassifier:
    """Nearest-exemplar intent scores for a message, from its query vector."""

    def __init__(self, embedder: Embedder, prompts_dir: Path | None = None) -> None:
        self.embedder = embedder
        self.prompts_dir = prompts_dir
        self._intents: list[Intent] | None = None
        self._openers: dict[str, frozenset[str]] = {}

    def _exemplars(self) -> tuple[list[Intent], np.ndarray, np.ndarray]:
        if self._intents is None:
            self._intents = load_intents(self.prompts_dir)
        intents = self._intents
        digest = hashlib.sha1(
            "\n".join(f"{i.name}:{e}" for i in intents for e in i.examples).encode()
        ).hexdigest()
        key = f"{self.embedder.name}:{digest}"
        with _lock:
            if key not in _cache:
                # Embedding the exemplars and fitting take a second or two: kept on disk, under a
                # hash of the exemplars, the model and this code, for new processes.
                stored = cached_arrays(
                    "intent-model",
                    derived_digest([key, Path(__file__).read_bytes()]),
                    lambda: self._fit(intents),
                )
                _cache[key] = (intents, stored["weights"], stored["bias"])
            return _cache[key]

    def _fit(self, intents: list[Intent]) -> dict[str, np.ndarray]:
        vectors = [self.embedder.embed_documents(list(i.examples)) for i in intents]
        labels = np.concatenate([np.full(len(v), k) for k, v in enumerate(vectors)])
        weights, bias = _fit(np.vstack(vectors), labels.astype(int), len(intents))
        return {"weights": weights, "bias": bias}

    def classify(self, query_vector: np.ndarray) -> IntentResult:
        intents, weights, bias = self._exemplars()
        z = _SCALE * np.asarray(query_vector, dtype=np.float64) @ weights + bias
        p = np.exp(z - z.max())
        p /= p.sum()
        scores = {intent.name: float(p[k]) for k, intent in enumerate(intents)}
        knowledge = scores.get(KNOWLEDGE, 0.0)
        declining = [i for i in intents if i.action != "answer"]
        if not declining:
            best = next(i for i in intents if i.name == KNOWLEDGE)
            return IntentResult(best, -1.0, scores)
        best = max(declining, key=lambda i: scores[i.name])
        return IntentResult(best, scores[best.name] - knowledge, scores)

    def opening_verbs(self, name: str) -> frozenset[str]:
        """The words that open this intent's examples and no knowledge question's ("write",
        "translate", "draft" for tasks): a message in the imperative that opens with one asks
        for that intent whatever its topic, which the vectors weigh more than its form. For the
        knowledge intent, the words that open its examples and no task's ("list", "describe").
        Worked out once per intent (every question asks it)."""
        if name not in self._openers:
            self._openers[name] = self._opening_verbs(name)
        return self._openers[name]

    def _opening_verbs(self, name: str) -> frozenset[str]:
        intents = self._exemplars()[0]

        def openers(intent: Intent) -> set[str]:
            return {opening_word(e) for e in intent.examples} - {""}

        own = next((openers(i) for i in intents if i.name == name), set())
        # the knowledge intent's own verbs ("list", "describe") are those no task example opens
        other = "task" if name == KNOWLEDGE else KNOWLEDGE
        against = next((openers(i) for i in intents if i.name == other), set())
        return frozenset(own - against)

    def named(self, name: str) -> Intent | None:
        """The intent of that name (its action and reason), if the exemplars define it."""
        return next((i for i in self._exemplars()[0] if i.name == name), None)

    def classify_text(self, text: str) -> IntentResult:
        return self.classify(self.embedder.embed_query(text))


_POLITE = ("please", "kindly")


def opening_word(text: str) -> str:
    """The first word of a message, lower case, after "please" ("Please translate ..."); "" for a
    question (it ends with "?": "Can you draft ...?" is a request the vectors judge)."""
    words = text.strip().lower().replace(",", " ").split()
    while words and words[0] in _POLITE:
        words = words[1:]
    if not words or text.strip().endswith("?"):
        return ""
    return words[0].strip(".!:;'\"")


def _fit(x: np.ndarray, y: np.ndarray, classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Class-balanced multinomial logistic regression by gradient descent (deterministic)."""
    x = np.asarray(x, dtype=np.float64)
    weights = np.zeros((x.shape[1], classes))
    bias = np.zeros(classes)
    onehot = np.eye(classes)[y]
    balance = 1.0 / np.bincount(y, minlength=classes)[y]
    balance /= balance.sum()
    for _ in range(_STEPS):
        z = _SCALE * x @ weights + bias
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        grad = (p - onehot) * balance[:, None]
        weights -= 5.0 * (_SCALE * x.T @ grad + _L2 * weights)
        bias -= 5.0 * grad.sum(axis=0)
    return weights, bias


# "I" alone ("I've got a note saying the chair is ..., is that right?") does not ask about the
# organisation's own figures or live details; "we", "our" and "my" do (tester34)
ORGANISATION_ONLY = True


def margin_name(intent: Intent, text: str) -> str:
    """Which calibrated margin decides this request: "ours" for one about the organisation's own
    figures or live details asked as "we" or "our" (the national pack can never answer it),
    else the intent's own (prompts/calibration/abstention.yaml intent_margins)."""
    ours = speaks_as_us(text, person=not ORGANISATION_ONLY)
    return OURS if intent.action in OWN_ACTIONS and ours else intent.name
