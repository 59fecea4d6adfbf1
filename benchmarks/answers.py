"""Offline answer quality and latency on the bundled pack: facts, citations, abstention, speed.

Quality runs over benchmarks/data/gold.jsonl (answerable: {"question", "doc", "fact"}) and
benchmarks/data/unanswerable.jsonl ({"question", "kind"}) against a fresh index of the bundled
pack, with Answerer(kb) in offline mode (no LLM):

- fact in answer: share of answerable questions whose answer text contains the fact
  (case-insensitive; an abstention counts as a miss). Same-run baselines: the first 150 words
  of the top retrieved passage (what plain search would show), and the ceiling: the fact is in
  any passage the answerer retrieved (so misses split into retrieval misses and extraction misses).
- citation precision: share of citations whose passage contains the fact, and share of
  citations from the expected document (micro-averaged over all citations of answered questions).
- abstention precision and recall, positive class "should abstain" (the unanswerable set;
  negatives are the gold set), per kind, with the false and missed abstentions listed.
  Same-run baseline: abstain only when the best passage similarity is below the answerer's
  threshold (abstention.MIN_SIMILARITY), on the same retrieved evidence.
- well-formed: every [n] in the text maps to a citation and every citation is marked,
  <= 150 words (210 for list answers), no sentence said twice.

Latency: warm, retrieval included, answer() versus kb.search(q, k=6) alone on the same queries
in the same loop (order alternates; the embedder's query cache is cleared before each call, so
both embed a new question), on the bundled index and on a synthetic 10k-chunk index
built with benchmarks/query.py's builder. Target: answer p95 <= 150 ms at 10k chunks.

Everything runs offline in temporary directories with a fixed seed. Run it with:

    .venv/bin/python benchmarks/answers.py [--sizes 10000] [--queries 80]

It prints tables and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from _common import (
    BENCH_DIR,
    GoldItem,
    add_threads_option,
    emit_json,
    load_average,
    load_gold,
    percentile,
    print_load,
    print_table,
    ratio,
    temp_kb,
    timed,
    verdict,
    warm_embedder,
)
from query import build_index, make_pool, synthesize

from assistant.abstention import MIN_SIMILARITY
from assistant.answering import Answer, Answerer
from knowledge import Embedder, KnowledgeBase

UNANSWERABLE_PATH = BENCH_DIR / "data" / "unanswerable.jsonl"
SEARCH_K = 6  # what the answerer retrieves
TARGET_P95_MS = 150.0  # answer latency at 10k chunks
MAX_WORDS = 150
MAX_LIST_WORDS = 210
_MARKER = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class Unanswerable:
    question: str
    kind: str


def load_unanswerable(path: Path = UNANSWERABLE_PATH) -> list[Unanswerable]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    if not rows:
        raise SystemExit(f"{path} holds no questions")
    return [Unanswerable(row["question"], row["kind"]) for row in rows]


# -- quality -------------------------------------------------------------------------------


def abstention_reason(result: Answer) -> str:
    """The reason the answer gives for abstaining (the clause before 'It covers')."""
    match = re.search(r"does not cover this: (.*?)\.\s", result.text)
    return match.group(1) if match else result.text[:90]


def well_formed(result: Answer) -> bool:
    """Markers and citations match one to one; short enough; no sentence said twice."""
    if result.abstained:
        return not result.citations and not _MARKER.search(result.text)
    numbers = {c.n for c in result.citations}
    if {int(n) for n in _MARKER.findall(result.text)} != numbers:
        return False
    is_list = all(line.startswith("- ") for line in result.text.splitlines())
    if len(_MARKER.sub("", result.text).split()) > (MAX_LIST_WORDS if is_list else MAX_WORDS):
        return False
    plain = _MARKER.sub("", result.text)
    sentences = [
        re.sub(r"^\s*-\s+|\s+", " ", s).strip(" .").lower()
        for s in re.split(r"(?<=[.!?])\s+|\n", plain)
        if s.strip()
    ]
    return len(sentences) == len(set(sentences))


def best_similarity(result: Answer) -> float:
    return max(((e.similarity or 0.0) for e in result.evidence if not e.flagged), default=0.0)


@dataclass
class Quality:
    answerable: int = 0
    fact_in_answer: int = 0
    fact_in_top_passage: int = 0
    fact_in_evidence: int = 0
    citations: int = 0
    citations_with_fact: int = 0
    citations_from_doc: int = 0
    well_formed: int = 0
    answers: int = 0
    false_abstentions: list[tuple[str, str]] = field(default_factory=list)
    extraction_misses: list[tuple[str, str, str]] = field(default_factory=list)
    # abstention confusion, positive = should abstain
    tp: int = 0
    fp: int = 0
    fn: int = 0
    base_tp: int = 0
    base_fp: int = 0
    base_fn: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    kind_total: Counter[str] = field(default_factory=Counter)
    base_by_kind: Counter[str] = field(default_factory=Counter)
    missed: list[tuple[str, str, str]] = field(default_factory=list)

    @staticmethod
    def _share(part: int, whole: int) -> float:
        return round(part / whole, 3) if whole else 0.0

    def precision(self, tp: int, fp: int) -> float:
        return self._share(tp, tp + fp)

    def recall(self, tp: int, fn: int) -> float:
        return self._share(tp, tp + fn)


def score_answerable(q: Quality, item: GoldItem, result: Answer) -> None:
    fact = item.fact.lower()
    q.answerable += 1
    q.answers += 1
    q.well_formed += well_formed(result)
    usable = [e for e in result.evidence if not e.flagged]
    in_text = not result.abstained and fact in result.text.lower()
    q.fact_in_answer += in_text
    if usable:
        q.fact_in_top_passage += fact in " ".join(usable[0].text.split()[:MAX_WORDS]).lower()
    in_evidence = any(fact in e.text.lower() for e in usable)
    q.fact_in_evidence += in_evidence
    if result.abstained:
        q.fp += 1
        q.false_abstentions.append((item.question, abstention_reason(result)))
    else:
        for c in result.citations:
            q.citations += 1
            q.citations_with_fact += fact in c.text.lower()
            q.citations_from_doc += c.source == item.source
        if in_evidence and not in_text:
            q.extraction_misses.append((item.question, item.fact, result.text[:90]))
    q.base_fp += best_similarity(result) < MIN_SIMILARITY


def score_unanswerable(q: Quality, item: Unanswerable, result: Answer) -> None:
    q.answers += 1
    q.well_formed += well_formed(result)
    q.kind_total[item.kind] += 1
    if result.abstained:
        q.tp += 1
        q.by_kind[item.kind] += 1
    else:
        q.fn += 1
        q.missed.append((item.kind, item.question, result.text[:90].replace("\n", " ")))
    base = best_similarity(result) < MIN_SIMILARITY
    q.base_tp += base
    q.base_fn += not base
    q.base_by_kind[item.kind] += base


def run_quality(
    answerer: Answerer, gold: Sequence[GoldItem], unanswerable: Sequence[Unanswerable]
) -> Quality:
    q = Quality()
    for item in gold:
        score_answerable(q, item, answerer.answer(item.question))
    for other in unanswerable:
        score_unanswerable(q, other, answerer.answer(other.question))
    return q


def print_quality(q: Quality) -> None:
    n = q.answerable
    print_table(
        f"Answerable questions ({n}): is the expected fact in what the director reads?",
        ["measure", "share", "note"],
        [
            ("fact in answer text", q._share(q.fact_in_answer, n), "offline answer"),
            (
                "fact in top passage",
                q._share(q.fact_in_top_passage, n),
                "baseline: first 150 words of search hit 1",
            ),
            (
                "fact in any evidence",
                q._share(q.fact_in_evidence, n),
                f"ceiling: {SEARCH_K} passages retrieved",
            ),
            (
                "citation has fact",
                q._share(q.citations_with_fact, q.citations),
                f"{q.citations} citations",
            ),
            ("citation from doc", q._share(q.citations_from_doc, q.citations), "same"),
            ("well-formed", q._share(q.well_formed, q.answers), f"all {q.answers} answers"),
        ],
    )
    print_table(
        "Abstention (positive class: should abstain; baseline: similarity threshold only)",
        ["measure", "answerer", "baseline"],
        [
            ("precision", q.precision(q.tp, q.fp), q.precision(q.base_tp, q.base_fp)),
            ("recall", q.recall(q.tp, q.fn), q.recall(q.base_tp, q.base_fn)),
            ("false abstentions", q.fp, q.base_fp),
            ("missed abstentions", q.fn, q.base_fn),
        ],
    )
    print_table(
        "Abstention recall by kind of unanswerable question",
        ["kind", "questions", "abstained", "recall", "baseline recall"],
        [
            (
                kind,
                total,
                q.by_kind[kind],
                q._share(q.by_kind[kind], total),
                q._share(q.base_by_kind[kind], total),
            )
            for kind, total in sorted(q.kind_total.items())
        ],
    )
    print(f"\nFalse abstentions ({len(q.false_abstentions)}): answerable, but abstained")
    for question, reason in q.false_abstentions:
        print(f"  - {question}\n      reason: {reason}")
    print(f"\nMissed abstentions ({len(q.missed)}): should abstain, but answered")
    for kind, question, start in q.missed:
        print(f"  - [{kind}] {question}\n      answer: {start}")
    print(
        f"\nExtraction misses ({len(q.extraction_misses)}): the fact was in a retrieved passage "
        "but not in the answer"
    )
    for question, fact, start in q.extraction_misses:
        print(f"  - {question} (fact: {fact!r})\n      answer: {start}")


def quality_figures(q: Quality) -> dict[str, object]:
    n = q.answerable
    return {
        "fact_in_answer": q._share(q.fact_in_answer, n),
        "fact_in_top_passage_baseline": q._share(q.fact_in_top_passage, n),
        "fact_in_evidence_ceiling": q._share(q.fact_in_evidence, n),
        "citation_precision_fact": q._share(q.citations_with_fact, q.citations),
        "citation_precision_doc": q._share(q.citations_from_doc, q.citations),
        "citations": q.citations,
        "well_formed": q._share(q.well_formed, q.answers),
        "abstention": {
            "precision": q.precision(q.tp, q.fp),
            "recall": q.recall(q.tp, q.fn),
            "false_abstentions": q.fp,
            "missed_abstentions": q.fn,
            "recall_by_kind": {
                kind: q._share(q.by_kind[kind], total)
                for kind, total in sorted(q.kind_total.items())
            },
            "baseline_similarity_only": {
                "precision": q.precision(q.base_tp, q.base_fp),
                "recall": q.recall(q.base_tp, q.base_fn),
            },
        },
    }


# -- latency -------------------------------------------------------------------------------


@dataclass
class Latency:
    label: str
    chunks: int
    times_ms: dict[str, list[float]]
    abstained: int

    def p(self, name: str, q: float) -> float:
        return percentile(self.times_ms[name], q)

    def figures(self) -> dict[str, object]:
        out: dict[str, object] = {"chunks": self.chunks}
        for name in ("answer", "search"):
            out[f"{name}_p50_ms"] = round(self.p(name, 50), 2)
            out[f"{name}_p95_ms"] = round(self.p(name, 95), 2)
        out["ratio_p50"] = ratio(self.p("answer", 50), self.p("search", 50))
        out["ratio_p95"] = ratio(self.p("answer", 95), self.p("search", 95))
        out["abstained"] = self.abstained
        return out


def _forget_queries(embedder: Embedder) -> None:
    """Drop the embedder's recent-query cache so every timed call embeds its question afresh.

    answer() and search() run on the same question back to back; without this the second one
    would reuse the first one's query vector and look faster than a new question is.
    """
    cache = getattr(embedder, "_query_cache", None)
    if isinstance(cache, dict):
        cache.clear()


def time_answers(kb: KnowledgeBase, label: str, queries: Sequence[str], warmup: int) -> Latency:
    """ms per query for answer() and for search(k=6) alone, alternating which goes first."""
    answerer = Answerer(kb)
    calls: dict[str, Callable[[str], object]] = {
        "answer": answerer.answer,
        "search": lambda q: kb.search(q, SEARCH_K),
    }
    names = list(calls)
    times: dict[str, list[float]] = {name: [] for name in names}
    abstained = 0
    for n, query in enumerate(queries):
        for name in names if n % 2 == 0 else names[::-1]:
            _forget_queries(kb.embedder)
            start = time.perf_counter()
            result = calls[name](query)
            elapsed = (time.perf_counter() - start) * 1000
            if n >= warmup:
                times[name].append(elapsed)
                if isinstance(result, Answer):
                    abstained += result.abstained
    return Latency(label, kb.stats()["chunks"], times, abstained)


def synthetic_latency(
    embedder: Embedder, size: int, args: argparse.Namespace, queries: Sequence[str]
) -> tuple[Latency, float]:
    """Build a synthetic index of `size` chunks with query.py's builder, then time answers."""
    rng = np.random.default_rng(args.seed)
    pool_s, pool = timed(lambda: make_pool(embedder, args.pool, rng))
    data = synthesize(pool, size, min(args.sources, size), args.noise, rng)
    with temp_kb(embedder, prefix=f"impact-bench-answers-{size}-") as kb:
        build = build_index(kb, data)
        print(
            f"  {size} synthetic chunks: pool {pool_s:.1f} s, built in {build['total']:.1f} s; "
            f"timing {len(queries)} queries"
        )
        return time_answers(kb, f"synthetic {size}", queries, args.warmup), build["total"]


def print_latency(results: Sequence[Latency]) -> None:
    print_table(
        "Offline answer latency, warm, retrieval included (ms; baseline: kb.search k=6 alone)",
        ["index", "chunks", "answer p50", "answer p95", "search p50", "search p95",
         "ratio p50", "ratio p95", "abstained"],
        [
            (r.label, r.chunks, r.p("answer", 50), r.p("answer", 95), r.p("search", 50),
             r.p("search", 95), ratio(r.p("answer", 50), r.p("search", 50)),
             ratio(r.p("answer", 95), r.p("search", 95)), r.abstained)
            for r in results
        ],
    )  # fmt: skip


# -- main ----------------------------------------------------------------------------------


def latency_queries(
    gold: Sequence[GoldItem], unanswerable: Sequence[Unanswerable], n: int, seed: int
) -> list[str]:
    """A fixed, shuffled mix of answerable and unanswerable questions (repeats if n is large)."""
    pool = [g.question for g in gold] + [u.question for u in unanswerable]
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        batch = pool[:]
        rng.shuffle(batch)
        out.extend(batch[: n - len(out)])
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000", help="synthetic index sizes in chunks")
    parser.add_argument("--queries", type=int, default=80, help="timed queries per index")
    parser.add_argument("--warmup", type=int, default=8, help="untimed queries first")
    parser.add_argument("--pool", type=int, default=1000, help="really-embedded synthetic texts")
    parser.add_argument("--sources", type=int, default=1000, help="sources per synthetic index")
    parser.add_argument("--noise", type=float, default=0.015, help="Gaussian noise per dimension")
    parser.add_argument("--seed", type=int, default=99)
    add_threads_option(parser)
    args = parser.parse_args(argv)

    random.seed(args.seed)
    np.random.seed(args.seed)
    gold = load_gold()
    unanswerable = load_unanswerable()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    queries = latency_queries(gold, unanswerable, args.queries + args.warmup, args.seed)
    embedder = warm_embedder(threads=args.threads, backend=args.backend)
    load_start = load_average()

    latencies: list[Latency] = []
    with temp_kb(embedder, prefix="impact-bench-answers-") as kb:
        ingest_s, _ = timed(kb.ingest_bundled)
        print(f"bundled pack indexed in {ingest_s:.1f} s ({kb.stats()['chunks']} chunks)")
        quality_s, quality = timed(lambda: run_quality(Answerer(kb), gold, unanswerable))
        print(f"{quality.answers} questions answered in {quality_s:.1f} s")
        latencies.append(time_answers(kb, "bundled pack", queries, args.warmup))
    builds: dict[str, float] = {}
    for size in sizes:
        latency, build_s = synthetic_latency(embedder, size, args, queries)
        latencies.append(latency)
        builds[str(size)] = round(build_s, 1)

    print_quality(quality)
    print_latency(latencies)
    at_10k = next((r for r in latencies if r.label == "synthetic 10000"), None)
    passed = None if at_10k is None else at_10k.p("answer", 95) <= TARGET_P95_MS
    if at_10k is not None:
        print(
            f"\nanswer p95 at 10k chunks {at_10k.p('answer', 95):.1f} ms <= {TARGET_P95_MS:.0f} "
            f"ms: {verdict(bool(passed))}"
        )
    load = [load_start, load_average()]
    print_load(*load)
    emit_json(
        {
            "benchmark": "answers",
            "answerable": quality.answerable,
            "unanswerable": sum(quality.kind_total.values()),
            **quality_figures(quality),
            "latency": {r.label.replace(" ", "_"): r.figures() for r in latencies},
            "synthetic_build_s": builds,
            "target_p95_ms_10k": TARGET_P95_MS,
            "seed": args.seed,
            "pass": passed,
            "load_avg": load,
        }
    )


if __name__ == "__main__":
    main()
