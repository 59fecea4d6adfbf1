"""Could the bundled knowledge pack answer this question at all? A learned second opinion.

The abstention model (abstention.py) weighs how well the retrieved passages match a question. It
cannot tell a kind of question the pack never answers: "What's the quorum for a foundation trust
board meeting?" finds passages on boards and trusts that hold most of its words. This model adds
the question's meaning (its vector, as the intents read it) to the same signals, in one logistic
regression fitted on labelled development questions by `benchmarks/answerability.py` (never the
test, own-test or blind splits), and its threshold is chosen on sets held out of the fit.

It speaks for the bundled pack only: answers from an organisation's own papers are never declined
by it, since it learnt what the pack covers, not what those papers do.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from assistant.abstention import FEATURES
from prompts import load_calibration

if TYPE_CHECKING:
    import numpy as np

# The abstention signals the model reads, beside the question's vector (abstention.Signals).
INPUTS = (*FEATURES, "absent")


@dataclass(frozen=True)
class Answerability:
    vector_weights: tuple[float, ...]
    signal_weights: Mapping[str, float]
    bias: float
    threshold: float  # decline when the probability of "unanswerable" is above this
    model: str  # the embedding model whose vectors the weights were fitted on

    def unanswerable(
        self, vector: Sequence[float] | np.ndarray, signals: Mapping[str, float]
    ) -> float | None:
        """The probability that the pack cannot answer the question (None for a vector of
        another length than the weights')."""
        if len(vector) != len(self.vector_weights):
            return None
        z = self.bias
        z += sum(w * float(v) for w, v in zip(self.vector_weights, vector, strict=True))
        z += sum(w * float(signals.get(n, 0.0)) for n, w in self.signal_weights.items())
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=1)
def answerability() -> Answerability | None:
    """The fitted model (prompts/calibration/answerability.yaml); None if it is not there."""
    try:
        data = load_calibration("answerability")
    except FileNotFoundError:
        return None
    if not data.get("vector_weights"):
        return None
    return Answerability(
        vector_weights=tuple(float(w) for w in data["vector_weights"]),
        signal_weights={k: float(v) for k, v in (data.get("signal_weights") or {}).items()},
        bias=float(data.get("bias", 0.0)),
        threshold=float(data.get("threshold", 1.0)),
        model=str(data.get("model", "")),
    )


def answerability_for(model_name: str) -> Answerability | None:
    """The fitted model when questions are embedded by the model it was fitted on, else None
    (another embedding model's vectors mean something else)."""
    fitted = answerability()
    return fitted if fitted is not None and fitted.model == model_name else None
