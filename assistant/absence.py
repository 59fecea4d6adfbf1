"""Does a sentence say that something is NOT available ("the report does not say how...")?

A small logistic regression over word, word-pair and character n-gram features, trained on first
use (a few milliseconds, numpy only) from the general-English exemplars in prompts/absence.yaml:
sentences saying information is not published, not stated or not in the public text, against
ordinary statements (negative ones included: "there is no single method" is an answer, not a
gap). Its held-out exemplars evaluate it (tests/assistant/test_absence.py, benchmarks/answers.py).
When the evidence that best matches a question says that what it asks for is not available, the
answerer declines and says what is missing, instead of quoting the gap as an answer.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from knowledge.derived import cached_arrays, digest
from prompts.yamlfiles import load_yaml

__all__ = ["ABSENT_THRESHOLD", "absence_scores", "held_out"]

ABSENT_THRESHOLD = 0.65  # chosen on dev: 0.55 refused answerable questions, 0.7 missed gaps
_WORD = re.compile(r"[a-z0-9]+")
_STEPS = 600
_L2 = 1e-3
_lock = threading.Lock()


def _features(sentence: str) -> set[str]:
    words = _WORD.findall(sentence.lower())
    feats = {f"w:{w}" for w in words}
    feats.update(f"b:{a} {b}" for a, b in zip(words, words[1:], strict=False))
    for w in words:
        padded = f" {w} "
        feats.update(f"c:{padded[i : i + 4]}" for i in range(max(1, len(padded) - 3)))
    return feats


def _text() -> str:
    return resources.files("prompts").joinpath("absence.yaml").read_text(encoding="utf-8")


def _load(text: str | None = None) -> dict:
    return load_yaml(text if text is not None else _text())  # type: ignore[no-any-return]


def held_out() -> tuple[list[str], list[str]]:
    """The held-out exemplars (absent, ordinary): for evaluation only."""
    data = _load()
    return list(data["absent"]["held_out"]), list(data["ordinary"]["held_out"])


def _matrix(texts: Sequence[str], vocab: dict[str, int]) -> np.ndarray:
    x = np.zeros((len(texts), len(vocab)))
    for row, text in enumerate(texts):
        cols = [vocab[f] for f in _features(text) if f in vocab]
        if cols:
            x[row, cols] = 1.0 / np.sqrt(len(cols))
    return x


@lru_cache(maxsize=1)
def _model() -> tuple[dict[str, int], np.ndarray, float]:
    """Vocabulary, weights and bias, fitted once and kept in the user cache (about 0.4 s to fit,
    which every new `impact ask` would pay), under a hash of the exemplars and this code."""
    with _lock:
        text = _text()
        stored = cached_arrays(
            "absence-model",
            digest([text, Path(__file__).read_bytes()]),
            lambda: _arrays(*_fit(_load(text))),
        )
        vocab = {str(f): i for i, f in enumerate(stored["features"].tolist())}
        return vocab, stored["weights"], float(stored["bias"][0])


def _arrays(vocab: dict[str, int], w: np.ndarray, b: float) -> dict[str, np.ndarray]:
    features = sorted(vocab, key=vocab.__getitem__)
    return {"features": np.array(features), "weights": w, "bias": np.array([b])}


def _fit(data: dict) -> tuple[dict[str, int], np.ndarray, float]:
    """Class-balanced logistic regression by gradient descent (deterministic)."""
    positives = [str(s) for s in data["absent"]["examples"]]
    negatives = [str(s) for s in data["ordinary"]["examples"]]
    texts = positives + negatives
    vocab: dict[str, int] = {}
    for text in texts:
        for feat in sorted(_features(text)):
            vocab.setdefault(feat, len(vocab))
    x = _matrix(texts, vocab)
    y = np.array([1.0] * len(positives) + [0.0] * len(negatives))
    balance = np.where(y == 1, 0.5 / len(positives), 0.5 / len(negatives))
    w = np.zeros(len(vocab))
    b = 0.0
    for _ in range(_STEPS):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        err = (p - y) * balance
        w -= 4.0 * (x.T @ err + _L2 * w)
        b -= 4.0 * float(err.sum())
    return vocab, w, b


def absence_scores(sentences: Sequence[str]) -> list[float]:
    """The probability that each sentence says some information is not available."""
    if not sentences:
        return []
    vocab, w, b = _model()
    z = _matrix(sentences, vocab) @ w + b
    return [float(v) for v in 1.0 / (1.0 + np.exp(-z))]
