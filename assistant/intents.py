"""Is a message a knowledge question, or a request to decline (clinical or legal advice, a
prediction, an opinion, a task, live facts)? Decided by nearest exemplars, not keywords.

The exemplars are the YAML files in prompts/intents/. Each message is compared, with the
bundled embedding model, to every example; an intent scores the mean cosine similarity of its
three nearest examples. A message is declined when the best declining intent beats the
knowledge-question intent by more than a margin calibrated on the development questions
(prompts/calibration/abstention.yaml); the held-out examples in each file evaluate it.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge import Embedder
from knowledge.derived import cached_arrays
from knowledge.derived import digest as derived_digest
from prompts import Intent, load_intents

__all__ = ["IntentClassifier", "IntentResult", "KNOWLEDGE"]

KNOWLEDGE = "knowledge-question"
_TOP = 3
_cache: dict[str, tuple[list[Intent], list[np.ndarray]]] = {}
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

    def _exemplars(self) -> tuple[list[Intent], list[np.ndarray]]:
        if self._intents is None:
            self._intents = load_intents(self.prompts_dir)
        intents = self._intents
        digest = hashlib.sha1(
            "\n".join(f"{i.name}:{e}" for i in intents for e in i.examples).encode()
        ).hexdigest()
        key = f"{self.embedder.name}:{digest}"
        with _lock:
            if key not in _cache:
                # Embedding every exemplar takes about a second: kept on disk for new processes.
                stored = cached_arrays(
                    "intent-exemplars", derived_digest([key]), lambda: self._embed(intents)
                )
                vectors = [stored[str(n)] for n in range(len(intents))]
                _cache[key] = (intents, vectors)
            return _cache[key]

    def _embed(self, intents: list[Intent]) -> dict[str, np.ndarray]:
        return {
            str(n): self.embedder.embed_documents(list(i.examples)) for n, i in enumerate(intents)
        }

    def classify(self, query_vector: np.ndarray) -> IntentResult:
        intents, vectors = self._exemplars()
        scores: dict[str, float] = {}
        for intent, matrix in zip(intents, vectors, strict=True):
            sims = np.sort(matrix @ query_vector)[::-1][:_TOP]
            scores[intent.name] = float(np.mean(sims))
        knowledge = scores.get(KNOWLEDGE, 0.0)
        declining = [i for i in intents if i.action != "answer"]
        if not declining:
            best = next(i for i in intents if i.name == KNOWLEDGE)
            return IntentResult(best, -1.0, scores)
        best = max(declining, key=lambda i: scores[i.name])
        return IntentResult(best, scores[best.name] - knowledge, scores)

    def classify_text(self, text: str) -> IntentResult:
        return self.classify(self.embedder.embed_query(text))
