"""Fit the answerability model (assistant/answerability.py) and report it on held-out sets.

The development questions (every split of benchmarks/answers.py but test, own-test and blind)
are answered offline with the model switched off: on the bundled pack, and each own-paper split
on the pack plus its trust's papers (so that questions in "we" and "our" words are seen both
answerable and not). A logistic regression (L2 penalty, numpy only) is fitted on each measured
question's vector and abstention signals, the label being "unanswerable". (The vector of the
asking sentence alone, its scene left out, lost more blind answers.) The penalty and the threshold are chosen by leaving one question set
out at a time (dev, tester, tester2, ..., own-dev, own2, ...): for each set, a model fitted on
the others decides its questions. A question the answerer answered and the model would decline
(from the pack: answers from a trust's papers are never declined by it) is a gain when it is
unanswerable and a loss when it is answerable; the choice maximises gains minus three times
losses (a wrongly refused answer costs more than a missed decline: the test split's answerable
questions outnumber its unanswerable ones nearly three to one), and of choices within a point of
the best, the highest threshold wins (two runs can differ by a question: retrieval's query cache
is not order-free). The blind split is then decided
by the model fitted on every development set, and reported.

    .venv/bin/python benchmarks/answerability.py            # report only
    .venv/bin/python benchmarks/answerability.py --write    # and write the calibration file
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from _common import add_threads_option, temp_kb, warm_embedder
from answers import DATA, OWN_PAPERS, load_items

from assistant.answerability import INPUTS, answerability
from assistant.answering import Answerer
from assistant.questions import analyse
from knowledge import BUNDLED_PREFIX

CALIBRATION = Path(__file__).resolve().parent.parent / "prompts/calibration/answerability.yaml"
HELD_OUT = ("test", "own-test", "blind")
PENALTIES = (1.0, 3.0, 10.0, 30.0)  # C: the inverse of the L2 penalty's strength
THRESHOLDS = tuple(round(0.3 + 0.05 * i, 2) for i in range(14))
LOSS_COST = 3
TIE = 1  # choices whose score is within this of the best are ties
# Each own-paper split and its trust's papers (benchmarks/answers.py; own-test is held out).
OWN = {"own-dev": OWN_PAPERS, **{f"own{n}": DATA / f"own_papers_{n}" for n in range(2, 16)}}


@dataclass
class Row:
    split: str
    question: str
    unanswerable: bool
    answered: bool  # from the pack (the only answers the model may decline)
    features: np.ndarray


def fit(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    """L2-penalised logistic regression by Newton's method (the bias is not penalised)."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    penalty = np.full(xb.shape[1], 1.0 / c)
    penalty[-1] = 0.0
    w = np.zeros(xb.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) + penalty * w
        hess = (xb.T * (p * (1.0 - p))) @ xb + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return w[:-1], float(w[-1])


def probability(x: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(x @ w + b)))


def collect(answerer: Answerer, items: Sequence) -> list[Row]:
    """Each question answered without the model: its vector, signals and outcome."""
    answerer.answerability = None
    rows = []
    for n, item in enumerate(items, 1):
        answer = answerer.answer(item.question)
        if answer.signals is not None:  # (declined by intent before the evidence was measured)
            # (as the answerer read it: recased, spelled out and spelling corrected)
            vector = answerer.asked_vector(analyse(answer.standalone).text)
            signals = [answer.signals.get(name, 0.0) for name in INPUTS]
            features = np.array([*vector, *signals], dtype=float)
            own = any(not c.source.startswith(BUNDLED_PREFIX) for c in answer.citations)
            answered = not answer.abstained and not own
            rows.append(Row(item.split, item.question, not item.answerable, answered, features))
        if n % 250 == 0:
            print(f"  {n}/{len(items)} questions answered", flush=True)
    return rows


def held_out(rows: Sequence[Row], c: float) -> np.ndarray:
    """Each row's probability from a model fitted on the other sets."""
    x = np.array([r.features for r in rows])
    y = np.array([float(r.unanswerable) for r in rows])
    splits = np.array([r.split for r in rows])
    p = np.zeros(len(rows))
    for split in sorted(set(splits)):
        out = splits == split
        w, b = fit(x[~out], y[~out], c)
        p[out] = probability(x[out], w, b)
    return p


def outcome(rows: Sequence[Row], p: np.ndarray, threshold: float) -> tuple[int, int, int, int]:
    """(gains, losses, answered unanswerable, answered answerable) at this threshold."""
    answered = [(r, q) for r, q in zip(rows, p, strict=True) if r.answered]
    gains = sum(r.unanswerable and q > threshold for r, q in answered)
    losses = sum(not r.unanswerable and q > threshold for r, q in answered)
    unanswerable = sum(r.unanswerable for r, _ in answered)
    return int(gains), int(losses), int(unanswerable), len(answered) - int(unanswerable)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="write the calibration file")
    add_threads_option(parser)
    args = parser.parse_args(argv)
    items, _ = load_items()
    train_items = [i for i in items if i.split not in HELD_OUT and not i.split.startswith("own")]
    blind_items = [i for i in items if i.split == "blind"]
    embedder = warm_embedder(threads=args.threads, backend=args.backend)
    with temp_kb(embedder, prefix="impact-bench-answerability-") as kb:
        kb.ingest_bundled()
        answerer = Answerer(kb)
        print(f"answering {len(train_items)} development questions without the model")
        rows = collect(answerer, train_items)
        blind = collect(answerer, blind_items)
    for split, papers in OWN.items():
        with temp_kb(embedder, prefix="impact-bench-answerability-own-") as kb:
            kb.ingest_bundled()
            if kb.ingest([papers]).failed:
                raise SystemExit(f"could not index {papers}")
            rows += collect(Answerer(kb), [i for i in items if i.split == split])
        print(f"  {split} answered on the pack and {papers.name}", flush=True)
    print(f"{len(rows)} measured ({sum(r.unanswerable for r in rows)} unanswerable)")
    table = []
    for c in PENALTIES:
        p = held_out(rows, c)
        for t in THRESHOLDS:
            gains, losses, unanswerable, answerable = outcome(rows, p, t)
            table.append((c, t, gains, losses, unanswerable, answerable))
    best = max(row[2] - LOSS_COST * row[3] for row in table)
    near = [row for row in table if row[2] - LOSS_COST * row[3] >= best - TIE]
    c, t = max(near, key=lambda row: (row[1], row[2] - LOSS_COST * row[3]))[:2]
    print("\n| C | threshold | extra declines (held out) | answers lost |")
    print("|---|---|---|---|")
    for c_, t_, gains, losses, unanswerable, answerable in table:
        mark = " **chosen**" if (c_, t_) == (c, t) else ""
        print(f"| {c_:g} | {t_:.2f} | {gains}/{unanswerable} | {losses}/{answerable} |{mark}")
    p = held_out(rows, c)
    for r, q in zip(rows, p, strict=True):
        if r.answered and q > t:
            print(
                f"  {'declined' if r.unanswerable else 'LOST'} ({q:.2f}, {r.split}): {r.question}"
            )
    x = np.array([r.features for r in rows])
    y = np.array([float(r.unanswerable) for r in rows])
    w, b = fit(x, y, c)
    chosen = next(row for row in table if row[:2] == (c, t))
    pb = probability(np.array([r.features for r in blind]), w, b) if blind else np.zeros(0)
    blind_gains, blind_losses, blind_un, blind_ans = outcome(blind, pb, t)
    for r, q in zip(blind, pb, strict=True):
        if r.answered and q > t:
            print(f"  blind {'declined' if r.unanswerable else 'LOST'} ({q:.2f}): {r.question}")
    print(f"\nblind split (never fitted on): {blind_gains}/{blind_un} more declined, "
          f"{blind_losses}/{blind_ans} answers lost")  # fmt: skip
    figures = {"C": c, "threshold": t, "held_out_gains": chosen[2], "held_out_losses": chosen[3],
               "answered_unanswerable": chosen[4], "answered_answerable": chosen[5],
               "blind_gains": blind_gains, "blind_losses": blind_losses,
               "questions": len(rows)}  # fmt: skip
    print(json.dumps(figures))
    if args.write:
        write(w, b, figures, embedder.model_name)
        print(f"wrote {CALIBRATION}")


def write(w: np.ndarray, b: float, figures: dict, model: str) -> None:
    dims = len(w) - len(INPUTS)
    signal_weights = {n: round(float(v), 4) for n, v in zip(INPUTS, w[dims:], strict=True)}
    vector = [round(float(v), 5) for v in w[:dims]]
    text = (
        "# Written by `benchmarks/answerability.py --write` from the development questions only\n"
        f"# ({figures['questions']} measured; never the test, own-test or blind splits): logistic\n"
        "# weights over the asking sentence's vector (from the model below) and the abstention\n"
        "# signals, for the probability that the bundled pack cannot answer the question.\n"
        f"# Penalty C={figures['C']:g} and threshold chosen leaving one question set out at a\n"
        f"# time: of the questions answered without the model, {figures['held_out_gains']} of "
        f"{figures['answered_unanswerable']}\n"
        f"# unanswerable ones declined, {figures['held_out_losses']} of "
        f"{figures['answered_answerable']} answerable ones lost. On the blind split: "
        f"{figures['blind_gains']} more declined,\n# {figures['blind_losses']} answerable ones lost.\n"
        f"model: {json.dumps(model)}\n"
        f"threshold: {figures['threshold']}\n"
        f"bias: {round(b, 4)}\n"
        f"signal_weights: {json.dumps(signal_weights)}\n"
        f"vector_weights: {json.dumps(vector)}\n"
    )
    CALIBRATION.write_text(text, encoding="utf-8")
    answerability.cache_clear()


if __name__ == "__main__":
    main()
