"""The "this is not available" sentence classifier, on held-out exemplars it never learned from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from assistant.absence import ABSENT_THRESHOLD, absence_scores, held_out
from assistant.abstention import _may_say_missing, gap_sentence
from assistant.extractive import Selection, _candidates
from assistant.questions import analyse
from knowledge import Evidence
from knowledge.embeddings import Embedder


def test_held_out_absence_sentences_are_recognised_and_ordinary_ones_are_not() -> None:
    absent, ordinary = held_out()
    hits = sum(s >= ABSENT_THRESHOLD for s in absence_scores(absent))
    false = sum(s >= ABSENT_THRESHOLD for s in absence_scores(ordinary))

    assert hits / len(absent) >= 0.7
    assert false / len(ordinary) <= 0.05


def test_a_negative_fact_is_not_read_as_missing_information() -> None:
    negative, missing = absence_scores(
        [
            "Staff do not need to book a place before the session.",
            "The leaflet does not say who wrote it.",
        ]
    )

    assert negative < ABSENT_THRESHOLD <= missing


def test_the_fitted_model_is_kept_for_new_processes_and_scores_the_same(tmp_path: Path) -> None:
    """Fitted once, then read back by the next process (a new `impact ask` does not refit it)."""
    import json
    import os
    import subprocess
    import sys

    probe = (
        "import json; from assistant.absence import absence_scores; "
        "print(json.dumps(absence_scores(['The report does not say who chairs it.', 'It met.'])))"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    stored = list(tmp_path.rglob("absence-model-*.npz"))
    second = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)

    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert len(stored) == 1
    assert json.loads(first.stdout) == json.loads(second.stdout)
    assert json.loads(first.stdout)[0] >= ABSENT_THRESHOLD > json.loads(first.stdout)[1]


def _passage(text: str) -> Evidence:
    return Evidence("p1", text, 1.0, "County forum notes", "forum.md", None, "About", {},
                    similarity=0.7)  # fmt: skip


def test_a_gap_said_later_in_the_answers_passage_declines_when_it_is_about_the_question() -> None:
    forum = _passage(
        "The county improvement forum brings together quality improvement leads from local "
        "trusts. It meets in Exeter. Its published papers do not say who chairs the forum."
    )
    question = analyse("Who chairs the county improvement forum?")
    best = Selection([_candidates([forum])[0]], 0.7, False)

    assert gap_sentence(question, best) is None  # the best sentence alone says nothing missing
    assert gap_sentence(question, best, evidence=[forum]) == (
        "Its published papers do not say who chairs the forum."
    )


def test_a_caveat_about_something_else_in_the_passage_does_not_decline() -> None:
    forum = _passage(
        "The county improvement forum meets every month and is chaired by Dr Ada Jones. "
        "The venue's accessibility details are not published."
    )
    question = analyse("Who chairs the county improvement forum?")
    best = Selection([_candidates([forum])[0]], 0.7, True)

    assert gap_sentence(question, best, evidence=[forum]) is None


def test_a_lead_in_declines_only_when_it_says_something_is_missing() -> None:
    """ "The newsletter's main messages were:" introduces the answer (a fresh tester's question
    was declined, quoting such a heading as the gap); "The papers do not say:" is a gap."""
    question = analyse("What messages does the county forum newsletter give?")
    for lead_in, gap in (
        ("The newsletter's main messages were:", False),
        ("The papers do not say:", True),
    ):
        forum = _passage(f"{lead_in}\n- share what works\n- meet every month")
        chosen = Selection(_candidates([forum]), 0.7, True)
        assert (gap_sentence(question, chosen) == lead_in) is gap
    # the classifier may score a lead-in like a gap (it once did, above the threshold): only
    # one with a negative says something is missing
    assert absence_scores(["The papers do not say:"])[0] >= ABSENT_THRESHOLD
    assert not _may_say_missing("The newsletter's main messages were:")


def test_a_yes_no_question_is_declined_when_the_papers_do_not_say_whether() -> None:
    """ "Has the forum's charter been published?" is not answered by a passage whose own words
    are that the papers do not say whether it was (a fresh tester's question got that passage as
    its answer); a plain "no" in the passage still answers it."""
    question = analyse("Has the county forum's charter been published yet?")
    unknown = _passage(
        "The county forum announced a charter in 2023. Its published papers do not say:\n"
        "- whether the charter was ever published;\n- who wrote it."
    )
    answered = _passage(
        "The county forum announced a charter in 2023. The charter has not been published."
    )
    for forum, said in ((unknown, "whether the charter was ever published"), (answered, None)):
        best = Selection([_candidates([forum])[0]], 0.7, True)
        gap = gap_sentence(question, best, evidence=[forum])
        assert gap == (None if said is None else f"Its published papers do not say {said}")


def test_a_report_s_ordinary_records_are_not_read_as_gaps() -> None:
    # A fresh user's performance report had every ward's falls question declined, quoting "Ward
    # 9 improved following the introduction of the 'call, don't fall' scheme in September." as
    # saying the figure was not available; "Apologies were noted as above." likewise.
    records = [
        'Ward 5 improved following the introduction of the "stop, don\'t drop" scheme in June.',
        "Apologies were noted as above.",
        "There were no category 4 ulcers.",
    ]
    assert all(score < ABSENT_THRESHOLD for score in absence_scores(records))
    report = _passage(" ".join(records))
    question = analyse("What was the falls rate on Ward 5 in June?")
    chosen = Selection(_candidates([report]), 0.7, True)
    assert gap_sentence(question, chosen, evidence=[report]) is None


def test_a_detail_of_something_not_known_to_exist_is_declined_from_a_listed_gap() -> None:
    """ "On what date was the forum's charter published?" is not answered when the papers list,
    under "do not say:", whether it was ever published (a fresh tester's question got the
    announcement as its answer); what the forum announced is still answered."""
    forum = _passage(
        "In 2023 the county forum announced that it would write a charter for its members. "
        "Its published papers do not say:\n- whether the charter was ever published;\n"
        "- who wrote the first draft."
    )
    best = Selection([_candidates([forum])[0]], 0.7, True)

    dated = analyse("On what date did the county forum publish its members' charter?")
    assert gap_sentence(dated, best, evidence=[forum]) == (
        "Its published papers do not say whether the charter was ever published"
    )
    announced = analyse("What did the county forum announce in 2023?")
    assert gap_sentence(announced, best, evidence=[forum]) is None


def test_a_gap_about_what_is_asked_beyond_the_passage_subject_declines() -> None:
    """In a passage headed by the thing asked about, a sentence saying its checklist is not
    published answers "What are the checklist points for the fifth pillar?" (a fresh tester's
    question got the sentence before it); what the pillar asks of boards is answered."""
    pillar = Evidence(
        "p5",
        "For the other pillars, the county website has a page of checklist points. For this "
        "pillar, the public pages consulted do not give a list of its checklist points, nor its "
        "scoring statements. "
        "It is about making the routines of the board part of the improvement work.",
        1.0,
        "County forum notes",
        "forum.md",
        None,
        "Pillar 5: joining improvement to the running of the organisation",
        {},
        similarity=0.7,
    )
    best = Selection([_candidates([pillar])[0]], 0.7, True)

    points = analyse(
        "For pillar 5, joining improvement to the running of the organisation, what are the "
        "checklist points the county lists for boards?"
    )
    assert gap_sentence(points, best, evidence=[pillar]) == (
        "For this pillar, the public pages consulted do not give a list of its checklist points, "
        "nor its scoring statements."
    )
    about = analyse(
        "What does pillar 5, joining improvement to the running of the organisation, ask boards "
        "to do?"
    )
    routines = Selection([_candidates([pillar])[2]], 0.7, True)
    assert gap_sentence(about, routines, evidence=[pillar]) is None


def test_a_gap_said_by_another_passage_that_matches_better_declines() -> None:
    # testers 39 and 42: component 5's "what this looks like in practice" list was answered by
    # the list of all five components, while component 5's own passage, retrieved too and a
    # closer match, said that list is not given
    overview = Evidence("p6", "The county's five pillars are: 1. Purpose. 2. People. 3. "
                        "Leaders. 4. Skills. 5. Routines.", 1.0, "County overview", "overview.md",
                        None, "The five pillars", {}, similarity=0.6)  # fmt: skip
    caveat = Evidence("p7", "For this pillar, the public pages consulted do not give its "
                      "checklist of what good practice looks like.", 1.0, "Pillar 5: routines",
                      "pillar5.md", None, "What the sources do not say", {},
                      similarity=0.75)  # fmt: skip
    question = analyse("For pillar 5, routines, what is on the checklist of good practice?")
    best = Selection([_candidates([overview])[0]], 0.6, True)

    assert gap_sentence(question, best, evidence=[overview, caveat]) == caveat.text
    # a caveat in a passage that matches the question less well than the answer's does not
    weaker = Evidence(caveat.id, caveat.text, 1.0, caveat.title, caveat.source, None,
                      caveat.heading, {}, similarity=0.5)  # fmt: skip
    assert gap_sentence(question, best, evidence=[overview, weaker]) is None


def test_a_later_answer_sentence_saying_the_asked_detail_is_elsewhere_is_the_gap(
    embedder: Embedder,
) -> None:
    # testers 9, 41 and 44: "What are the maturity levels called?" was answered by what the tool
    # is, with "the names of the maturity levels are found in the downloadable tool rather than
    # on the web page" shown third, as if the answer were there.
    def likeness(question: str) -> Callable[[Sequence[str]], list[float]]:
        def near(texts: Sequence[str]) -> list[float]:
            vectors = np.asarray(embedder.embed_documents([question, *texts]), dtype=float)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            return [float(v) for v in vectors[1:] @ vectors[0]]

        return near

    kind = Evidence("p8", "In form, the survey is a rating grid with a section for each of its "
                    "four themes. For each item, respondents pick the option that best matches "
                    "their service.", 1.0, "County wellbeing survey", "survey.md", None,
                    "What kind of survey it is", {}, similarity=0.77)  # fmt: skip
    known = Evidence("p9", "The public summary stops before the answer options, so the names of "
                     "the rating bands are found in the full questionnaire rather than on the "
                     "web page.", 1.0, "County wellbeing survey", "survey.md", None,
                     "What is and is not known", {}, similarity=0.73)  # fmt: skip
    evidence = [kind, known]
    first, second = _candidates([kind])
    asked = "What exactly are the rating bands called in the county wellbeing survey?"
    answer = Selection([first, second, replace(_candidates([known])[0], evidence_index=1)], 0.77,
                       True)  # fmt: skip

    assert gap_sentence(analyse(asked), answer, evidence=evidence, likeness=likeness(asked)) == (
        known.text
    )
    # a caveat about something else, however many of the question's words it holds, is not the
    # gap (tester23: "What does NHS IMPACT say board development sessions should be used for?"
    # and "NHS England has not published a dedicated guide to facilitating an NHS IMPACT board
    # development session")
    use = "What does the county plan say team huddles should be used for?"
    held = Evidence("p10", "The district nursing huddle board is used in a weekly team huddle.",
                    1.0, "District nursing", "nursing.md", None, "Huddle boards", {},
                    similarity=0.56)  # fmt: skip
    guide = Evidence("p11", "The county has not published a dedicated guide to facilitating a "
                     "county plan team huddle.", 1.0, "County plan", "plan.md", None, "Guides",
                     {}, similarity=0.55)  # fmt: skip
    answer = Selection([_candidates([held])[0], replace(_candidates([guide])[0], evidence_index=1)],
                       0.56, True)  # fmt: skip
    assert (
        gap_sentence(analyse(use), answer, evidence=[held, guide], likeness=likeness(use)) is None
    )
