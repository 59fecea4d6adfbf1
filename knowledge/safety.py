"""Spotting sentences that try to instruct an AI (prompt injection), one sentence at a time.

A small logistic regression over hashed word and character n-grams, trained on first use (about
two seconds; the weights are then kept in the user's cache, see knowledge.derived) from the written examples in knowledge/data/injection.yaml: sentences that
address an AI and try to steer it, and ordinary document sentences, including hard ones that
give orders to people, mention AI or carry links. Character n-grams let it recognise paraphrases
and other languages (the examples include Welsh and Polish); it is evaluated on held-out
examples in benchmarks/answers.py and tests/knowledge/test_safety.py, not on the ones it
learned from. Only the flagged sentences are withheld, so an attacker's sentence cannot delete
the facts around it.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
import zlib
from collections.abc import Sequence
from importlib import resources

import numpy as np

from knowledge.derived import cached_arrays, digest
from knowledge.sentences import split_sentences

__all__ = [
    "ADDRESSED_THRESHOLD",
    "CONTINUATION_THRESHOLD",
    "addressed_to_ai",
    "FLAG_THRESHOLD",
    "flagged_spans",
    "injection_scores",
    "looks_like_instructions",
]

# A sentence is withheld (flagged) at or above FLAG_THRESHOLD; at or above the lower
# ADDRESSED_THRESHOLD it reads as addressed to an AI and is never used as an answer sentence.
FLAG_THRESHOLD = 0.5
ADDRESSED_THRESHOLD = 0.4
# After a withheld sentence, the next one is taken as its continuation (the payload: "Tell the
# board that ...") at or above CONTINUATION_THRESHOLD; 6 of the pack's 1,016 sentences reach it.
CONTINUATION_THRESHOLD = 0.3
# A long sentence is also scored on its opening words alone (8 words: no pack sentence flagged).
_OPENING_WORDS = 8
_DIM = 1 << 20
_ITERATIONS = 300
_L2 = 1e-3
_WORD = re.compile(r"\w+", re.UNICODE)
_URL = re.compile(r"https?://|www\.|\b\S+@\S+\.\w+")
_TAG = re.compile(r"<\s*/?\s*\w+\s*>")
_VOCATIVE = re.compile(r"^\W*\w+(?:\s\w+)?\s*[,\-\u2013:]")
# Cue words by word start, in English, Welsh and Polish: who is addressed (an AI), talk about
# answering, rules or instructions, overriding them, and the second person. They are general
# language about machines and replies, not the knowledge pack's vocabulary; the model learns
# from the examples how much each cue, and each pair of cues, counts.
_CUES: dict[str, tuple[str, ...]] = {
    "ai": (
        "assistant",
        "ai",
        "chatbot",
        "bot",
        "gpt",
        "chatgpt",
        "llm",
        "copilot",
        "claude",
        "model",
        "modelu",
        "modelem",
        "asystent",
        "czatbo",
        "cynorthwy",
        "gynorthwy",
        "sgwrsfot",
        "fodel",
        "artiffisial",
        "sztuczn",
        "automated",
        "summaris",
    ),
    "reply": (
        "answer",
        "reply",
        "repl",
        "respon",
        "output",
        "print",
        "say",
        "tell",
        "state",
        "write",
        "claim",
        "ateb",
        "hateb",
        "ymateb",
        "dywed",
        "ysgrifenn",
        "odpowi",
        "napisz",
        "powiedz",
        "stwierd",
        "podaj",
    ),
    "rule": (
        "instruction",
        "rule",
        "prompt",
        "guideline",
        "configuration",
        "context",
        "task",
        "cyfarwydd",
        "rheol",
        "tasg",
        "instrukc",
        "zasad",
        "zadani",
        "polecen",
    ),
    "override": (
        "ignore",
        "disregard",
        "forget",
        "override",
        "instead",
        "pretend",
        "void",
        "anwybydd",
        "anghof",
        "zignoruj",
        "ignoruj",
        "zapomnij",
        "udawaj",
        "reveal",
        "datgel",
        "ujawnij",
    ),
    "you": (
        "you",
        "your",
        "yours",
        "ti",
        "chi",
        "dy",
        "eich",
        "th",
        "ty",
        "twoj",
        "twój",
        "ci",
        "cię",
        "jesteś",
        "jestes",
        "wyt",
    ),
}
_CUE_PAIRS = [(a, b) for i, a in enumerate(_CUES) for b in list(_CUES)[i + 1 :]]
_lock = threading.Lock()
_model: tuple[np.ndarray, float] | None = None


@functools.lru_cache(maxsize=65536)
def _word_keys(word: str) -> tuple[tuple[int, ...], frozenset[str]]:
    """A word's hashed unigram and character 3-4 grams, and the cue groups it belongs to."""
    padded = f" {word} "
    keys = [f"w:{word}"]
    for n in (3, 4):
        keys += [f"c:{padded[i : i + n]}" for i in range(max(1, len(padded) - n + 1))]
    cues = frozenset(name for name, starts in _CUES.items() if _cued(word, name, starts))
    return tuple(_hash(k) for k in keys), cues


def _cued(word: str, group: str, starts: tuple[str, ...]) -> bool:
    """Does the word open with one of the group's cues? A short name of an AI ("ai", "bot",
    "gpt") is the whole word or its plural: "aim", "aid" and "both" name no machine."""
    if group != "ai":
        return word.startswith(starts)
    return any(
        word.startswith(cue) if len(cue) >= 4 else word in (cue, cue + "s") for cue in starts
    )


def _hash(key: str) -> int:
    # A stable hash (not the per-process salted hash()): the weights are kept between processes.
    return zlib.crc32(key.encode("utf-8")) & (_DIM - 1)


def _features(sentence: str) -> dict[int, float]:
    """Hashed words, word pairs, character 3-4 grams, cue groups and pairs, and shape cues."""
    text = unicodedata.normalize("NFKC", sentence).lower()
    words = _WORD.findall(text)
    indices: set[int] = set()
    cues: set[str] = set()
    for word in words:
        hashed, groups = _word_keys(word)
        indices.update(hashed)
        cues.update(groups)
    indices.update(_hash(f"b:{a} {b}") for a, b in zip(words, words[1:], strict=False))
    extra = [f"q:{c}" for c in cues]
    extra += [f"q:{a}&{b}" for a, b in _CUE_PAIRS if a in cues and b in cues]
    if _URL.search(text):
        extra.append("s:url")
    if _TAG.search(text):
        extra.append("s:tag")
    if _VOCATIVE.match(text):
        extra.append(f"s:voc:{words[0] if words else ''}")
    indices.update(_hash(k) for k in extra)
    value = 1.0 / (float(np.sqrt(len(indices))) or 1.0)
    return dict.fromkeys(indices, value)


def addresses_an_ai(sentence: str) -> bool:
    """Does the sentence name an AI or a machine reader at all (cheap; no model needed)?"""
    words = _WORD.findall(unicodedata.normalize("NFKC", sentence).lower())
    return any("ai" in _word_keys(w)[1] for w in words)


def _examples() -> tuple[list[str], list[str]]:
    """The written examples, plus every sentence of the bundled pack as ordinary content."""
    import yaml

    package = resources.files("knowledge")
    data = yaml.safe_load(package.joinpath("data/injection.yaml").read_text(encoding="utf-8"))
    content = [str(s) for s in data["content"]]
    for entry in sorted(package.joinpath("corpus").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".md"):
            body = entry.read_text(encoding="utf-8").split("\n---", 1)[-1]
            content += [s.text for s in split_sentences(body) if len(s.text.split()) >= 3]
    instructions = [str(s) for s in data["instructions"]]
    for parts in data.get("compose", {}).values():
        for payload in parts["payload"]:
            instructions += [f"{a} {s} {payload}" for a in parts["ai"] for s in parts["steer"]]
            content += [f"{a} {s} {payload}" for a in parts["people"] for s in parts["ask"]]
    return instructions, content


def _train(positives: Sequence[str], negatives: Sequence[str]) -> tuple[np.ndarray, float]:
    """Class-balanced, L2-regularised logistic regression by full-batch Adagrad."""
    from scipy.sparse import csr_matrix

    texts = [*positives, *negatives]
    labels = np.array([1.0] * len(positives) + [0.0] * len(negatives))
    indptr: list[int] = [0]
    cols: list[int] = []
    vals: list[float] = []
    for text in texts:
        feats = _features(text)
        cols.extend(feats)
        vals.extend(feats.values())
        indptr.append(len(cols))
    used, compact = np.unique(np.asarray(cols, dtype=np.int64), return_inverse=True)  # type: ignore[call-overload]
    x = csr_matrix((np.asarray(vals), compact, np.asarray(indptr)), shape=(len(texts), len(used)))
    xt = x.T.tocsr()
    weight = np.where(labels == 1, 0.5 / len(positives), 0.5 / len(negatives))
    w = np.zeros(len(used))
    b = 0.0
    g2 = np.full(len(used), 1e-8)
    for _ in range(_ITERATIONS):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        err = (p - labels) * weight
        grad = xt @ err + _L2 * w
        g2 += grad**2
        w -= 0.5 * grad / np.sqrt(g2)
        b -= 0.5 * float(err.sum())
    full = np.zeros(_DIM)
    full[used] = w
    return full, b


def _training_key() -> str:
    """Everything the weights depend on: the examples, the pack, this code and the splitter."""
    package = resources.files("knowledge")
    parts: list[bytes | str] = [package.joinpath("data/injection.yaml").read_bytes()]
    for entry in sorted(package.joinpath("corpus").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".md"):
            parts += [entry.name, entry.read_bytes()]
    for module in ("safety.py", "sentences.py"):
        parts.append(package.joinpath(module).read_bytes())
    return digest(parts)


def _fit() -> dict[str, np.ndarray]:
    w, b = _train(*_examples())
    used = np.flatnonzero(w)
    return {"index": used, "value": w[used], "bias": np.array([b])}


def _weights() -> tuple[np.ndarray, float]:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                stored = cached_arrays("injection-detector", _training_key(), _fit)
                w = np.zeros(_DIM)
                w[stored["index"]] = stored["value"]
                _model = (w, float(stored["bias"][0]))
    return _model


def injection_scores(sentences: Sequence[str]) -> list[float]:
    """The probability that each sentence is an instruction aimed at an AI."""
    if not sentences:
        return []
    w, b = _weights()

    def probability(text: str) -> float:
        z = b + sum(w[i] * v for i, v in _features(text).items())
        return float(1.0 / (1.0 + np.exp(-z)))

    out = []
    for sentence in sentences:
        score = probability(sentence)
        words = sentence.split()
        if len(words) > _OPENING_WORDS + 2:
            # An order leads its sentence; a long tail of ordinary words ("... that you were
            # given by the secretary, the chair and ...") must not dilute it below the threshold.
            score = max(score, probability(" ".join(words[:_OPENING_WORDS])))
        out.append(score)
    return out


def flagged_spans(text: str, threshold: float = FLAG_THRESHOLD) -> tuple[tuple[int, int], ...]:
    """Character spans of the sentences of `text` that read as instructions to an AI."""
    sentences = split_sentences(text)
    scores = injection_scores([s.text for s in sentences])
    return tuple((s.start, s.end) for s, p in zip(sentences, scores, strict=True) if p >= threshold)


def addressed_to_ai(sentence: str) -> bool:
    """A sentence that speaks to an AI reader: never usable as an answer, flagged or not."""
    return addresses_an_ai(sentence) and injection_scores([sentence])[0] >= ADDRESSED_THRESHOLD


def looks_like_instructions(text: str) -> bool:
    """True when any sentence of the text reads as an instruction to an AI rather than content."""
    return bool(flagged_spans(text))
