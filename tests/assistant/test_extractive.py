"""Offline sentence choice: what an answer built from the evidence contains."""

from __future__ import annotations

from dataclasses import replace

from assistant.extractive import (
    FILL_WORDS,
    _candidates,
    fill_list_gaps,
    render,
    select_sentences,
    widen,
)
from assistant.questions import analyse, names_someone
from knowledge import Evidence


def _passage(i: int, text: str, similarity: float = 0.6) -> Evidence:
    return Evidence(
        id=f"p{i}", text=text, score=1.0, title="Guide", source=f"g{i}.md", page=None,
        heading="Review", tags={}, similarity=similarity,
    )  # fmt: skip


REVIEW = _passage(
    0,
    "The annual review of the garden scheme looks at how volunteers are recruited. "
    "It was written by the parish council with help from two local schools. "
    "The council found that most volunteers joined through word of mouth. "
    "Its main recommendation is a shared rota kept at the library. "
    "A second review is planned once the rota has run for a year.",
)
OTHER = _passage(1, "Volunteers in the cycling club meet on Sundays to repair bikes.", 0.4)


def test_an_answer_reads_on_in_its_best_passage_but_never_cites_another() -> None:
    q = analyse("How are volunteers recruited for the garden scheme review?")
    selection = select_sentences(q, [REVIEW, OTHER])
    chosen = selection.chosen
    wider = widen(chosen, _candidates([REVIEW, OTHER]))
    assert selection.reading == wider  # what the offline answer shows
    text = " ".join(c.text for c in wider)
    assert "word of mouth" in text  # two sentences after the best match
    assert {c.evidence_index for c in wider} == {c.evidence_index for c in chosen}
    assert wider[: len(chosen)] == chosen  # the best sentence still leads
    assert sum(len(c.text.split()) for c in wider) <= max(
        FILL_WORDS, sum(len(c.text.split()) for c in chosen)
    )


def test_widening_stops_at_the_length_and_never_ends_on_a_lead_in() -> None:
    long = _passage(2, "The plan has one aim. " + "It has several parts to it. " * 30)
    lead_in = _passage(3, "The plan has one aim for everyone. The steps are:\n- agree\n- act")
    for ev in (long, lead_in):
        chosen = select_sentences(analyse("What is the plan's aim?"), [ev]).chosen
        wider = widen(chosen, _candidates([ev]), words=12)
        assert sum(len(c.text.split()) for c in wider) <= 12
        assert not wider[-1].text.endswith(":")


def test_what_a_study_found_leads_with_its_finding() -> None:
    about = _passage(4, "The survey of visitors was carried out in 2021 by the archive.", 0.6)
    found = _passage(5, "The survey's main finding is that most visitors come on foot.", 0.6)
    chosen = select_sentences(analyse("What did the visitor survey find?"), [about, found])
    assert "most visitors come on foot" in chosen.chosen[0].text


def test_the_best_passage_reads_on_before_another_passage_is_cited() -> None:
    main = _passage(
        7, "The garden review's main finding is that volunteers stay longer in pairs. This held "
        "in every village the review covered.", 0.8,
    )  # fmt: skip
    other = _passage(6, "The garden review's finding was shared with the parish council.", 0.74)
    chosen = select_sentences(analyse("What did the garden review find?"), [other, main]).chosen
    assert len({c.evidence_index for c in chosen}) == 2  # both passages are cited
    assert chosen[0].text.startswith("The garden review's main finding")
    assert chosen[1].text.startswith("This held")  # before the other passage's sentence


def test_a_sentence_after_a_list_starts_its_own_line() -> None:
    from assistant.extractive import Candidate, render

    chosen = [
        Candidate("The drivers are:", 0, 0, False),
        Candidate("Shared purpose.", 0, 1, True),
        Candidate("People and culture.", 0, 2, True),
        Candidate("NHS England has published the diagram.", 1, 0, False),
    ]

    text = render(chosen, {0: 1, 1: 2}, as_list=False)

    assert text.splitlines() == [
        "The drivers are [1]:",
        "- Shared purpose [1].",
        "- People and culture [1].",
        "NHS England has published the diagram [2].",
    ]
    # an item of another passage's list, after this list, is not one more item of it
    chosen[-1] = Candidate("The diagram's aim is shown at its top.", 1, 3, True)
    assert render(chosen, {0: 1, 1: 2}, as_list=False).splitlines()[-1] == (
        "The diagram's aim is shown at its top [2]."
    )


def test_items_shown_after_a_sentence_that_is_not_their_lead_in_are_still_a_list() -> None:
    # A fresh tester's answer on the Clinical and Operational Excellence Programme read
    # "... best practice [1]. Improvement analytics, provided as ... [1]." then "- Learning and
    # improvement networks ...": the first item ran on from the sentence before it.
    from assistant.extractive import Candidate

    chosen = [
        Candidate("NHS England set up the programme.", 0, 0, False),
        Candidate("Improvement analytics in the Model Health System.", 0, 2, True),
        Candidate("Learning and improvement networks.", 0, 3, True),
    ]
    assert render(chosen, {0: 1}, as_list=False).splitlines() == [
        "NHS England set up the programme [1].",
        "- Improvement analytics in the Model Health System [1].",
        "- Learning and improvement networks [1].",
    ]
    # one item alone after a sentence is not made a list of one
    assert "\n" not in render(chosen[:2], {0: 1}, as_list=False)


def test_a_sentence_of_another_passage_does_not_split_a_list() -> None:
    # "The eighth statement ... [2]." was shown between the fourth and fifth of the seven CQC
    # statements, and the fifth lost its bullet.
    from assistant.extractive import Candidate, keep_lists_whole

    chosen = [
        Candidate("The pages name these seven:", 1, 1, False),
        Candidate("Shared direction.", 1, 2, True),
        Candidate("Freedom to speak up.", 1, 3, True),
        Candidate("The eighth is usually said to be sustainability.", 0, 5, False),
        Candidate("Governance.", 1, 4, True),
        Candidate("Partnerships.", 1, 5, True),
    ]
    ordered = keep_lists_whole(chosen)
    assert [c.text for c in ordered] == [c.text for c in chosen[:3] + chosen[4:] + chosen[3:4]]
    assert render(ordered, {1: 1, 0: 2}, as_list=False).splitlines() == [
        "The pages name these seven [1]:",
        "- Shared direction [1].",
        "- Freedom to speak up [1].",
        "- Governance [1].",
        "- Partnerships [1].",
        "The eighth is usually said to be sustainability [2].",
    ]


def test_the_sentence_under_a_heading_that_says_what_was_asked_answers_first() -> None:
    # "What did the review find?" once opened on the passage describing who ran the review;
    # the findings sat under "What the review found", whose first sentence never says "found".
    about = replace(
        _passage(
            0, "The garden review was run by the parish in 2024. It visited ten gardens.", 0.8
        ),
        heading="Garden review > The review",
        position=1,
    )
    found = replace(
        _passage(1, "Most gardens lacked shade. Three had no water supply.", 0.6),
        heading="Garden review > What the review found",
        position=2,
    )
    chosen = select_sentences(analyse("What did the garden review find?"), [about, found]).chosen
    assert chosen[0].text == "Most gardens lacked shade."


def test_a_step_in_a_sequence_is_shown_after_the_sentence_it_follows() -> None:
    # "First, leading improvement is a task for the whole board ..." opened a fresh tester's
    # answer with nothing before it to say whose first point it was.
    passage = _passage(
        0,
        "The garden chair wrote to members with two points. First, every member should weed "
        "the beds each spring. Second, the shed stays locked.",
        0.7,
    )
    chosen = select_sentences(analyse("Who should weed the beds each spring?"), [passage]).chosen
    assert chosen[0].text.startswith("The garden chair wrote to members")
    assert chosen[1].text.startswith("First, every member")


def test_there_is_a_sentence_that_stands_on_its_own() -> None:
    # A fresh tester's "How many active improvement projects ...?" opened on the unrelated
    # sentence before "There are now 52 active improvement projects ...", as if "There" pointed
    # back to it.
    passage = _passage(
        0,
        "The committee is asked to note the report. There are now 52 active garden projects "
        "registered with the parish hub. Of these, 19 are in the allotments.",
        0.7,
    )
    chosen = select_sentences(analyse("How many garden projects are registered?"), [passage])
    assert chosen.chosen[0].text.startswith("There are now 52"), chosen.chosen
    assert all("asked to note" not in c.text for c in chosen.chosen)


def test_who_a_named_person_is_comes_from_the_sentence_that_says_their_role() -> None:
    # "Who is Amar Shah?" was answered with the passage headed by his name, which says what he
    # thinks, not what he does; his role sat in another passage that only mentions him once.
    views = replace(
        _passage(
            0,
            "In her talk, Jo Marsh describes the scheme as a success. "
            "She notes that volunteers now come from every village.",
            0.8,
        ),
        heading="Garden review > Jo Marsh's talk",
    )
    role = _passage(
        1,
        "The guide to the scheme is written by Jo Marsh, the parish council's volunteer "
        "coordinator, and covers recruitment.",
        0.4,
    )
    for question in ("Who is Jo Marsh?", "Jo Marsh's role?"):
        q = analyse(question)
        assert q.answer_type == "identity"
        assert "volunteer coordinator" in select_sentences(q, [views, role]).chosen[0].text
    # Any other name is not who she is: "Who is the coordinator?" asks for a name.
    assert analyse("Who is the volunteer coordinator?").answer_type == "person"


def test_an_item_that_answers_first_comes_with_the_sentence_that_introduces_its_list() -> None:
    # A fresh tester's answers opened mid-list ("An internal programme covering around 20% ...
    # - Co-designed training ..."), with no lead-in and no bullet on the first item.
    guide = _passage(
        0,
        "The guide suggests an introduction lasting about a day.\n\n"
        "It gives two rough benchmarks for coverage:\n\n"
        "- an internal programme covering around 20% of the volunteers each year;\n"
        "- a shorter taster reaching around 10% of the volunteers each year.\n",
        0.7,
    )
    q = analyse("What share of volunteers should an internal programme reach each year?")
    chosen = select_sentences(q, [guide]).chosen
    assert chosen[0].text == "It gives two rough benchmarks for coverage:"
    assert "around 20%" in chosen[1].text
    # ... also when an item before it scores well enough to be picked on its own: the list is
    # read from its lead-in, in order, not from the answering item with the rest after it
    figures = _passage(
        1,
        "The survey reported four figures for the clubs, each linked to a theme:\n\n"
        "- Coaching: 96% of clubs had a named coach responsible for training.\n"
        "- Kit: 95% used an agreed kit supplier.\n"
        "- Money: 84% had a budget with a spending plan that the committee monitored.\n"
        "- Juniors: 41% included a junior section in their membership.\n",
        0.7,
    )
    other = _passage(2, "Clubs in the league meet twice a year to compare budgets.", 0.5)
    q = analyse(
        "What proportion of clubs had a spending plan monitored by the committee, over and above "
        "their accounts?"
    )
    shown = [c.text for c in select_sentences(q, [figures, other]).chosen]
    assert shown[0].startswith("The survey reported four figures"), shown
    assert [t.split(":")[0] for t in shown[1:4]] == ["Coaching", "Kit", "Money"], shown


def test_an_item_asked_about_by_its_own_words_is_answered_alone() -> None:
    # After a list of actions, chat's "And the second one?" reads "Tell me about <the second
    # action>"; a fresh tester got the whole list again.
    log = _passage(
        0,
        "The recovery actions are:\n\n"
        "- extend the garden rota to the two new allotments by 31 December (owner: Jo Marsh);\n"
        "- run a weeding sprint on the 50 most overgrown beds by 31 January (owner: Sam Reed);\n"
        "- add 40 volunteer slots a month from November (owner: Ali Khan).\n",
        0.7,
    )
    q = analyse(
        "Tell me about run a weeding sprint on the 50 most overgrown beds by 31 January "
        "(owner: Sam Reed)"
    )
    selection = select_sentences(q, [log])
    assert [c.text for c in selection.reading] == [
        "run a weeding sprint on the 50 most overgrown beds by 31 January (owner: Sam Reed);"
    ] or [c.text.rstrip(";") for c in selection.reading] == [
        "run a weeding sprint on the 50 most overgrown beds by 31 January (owner: Sam Reed)"
    ], selection.reading
    # asked in other words, an item still comes with its list's lead-in
    other = select_sentences(analyse("Who owns the weeding sprint?"), [log]).reading
    assert other[0].text == "The recovery actions are:"


def test_a_list_of_one_word_items_is_read_whole() -> None:
    # A fresh tester's "QMS definition" listed three of "four things": "improving" was taken for
    # a repeat of a sentence about improvement, and the answer's length cut the last item.
    text = (
        "Quality systems have become a common theme in discussions of how improvement fits into "
        "the way an organisation is run, and of what boards should ask. "
        "The community's resource collection makes clear that there is no single agreed "
        "definition of such a system, and that organisations use the term in different ways. "
        "It offers a working definition for use at the level of a whole organisation. "
        "In summary, a quality system is a consistent way of doing four things:\n\n"
        "- planning;\n- improving;\n- controlling;\n- assuring.\n"
    )
    candidates = _candidates([_passage(0, text, 0.7)])
    # the answer opened on the passage's first sentences and read on into the list
    shown = " ".join(c.text for c in widen(candidates[:3], candidates))
    for item in ("planning", "improving", "controlling", "assuring"):
        assert item in shown, shown


def test_a_list_cut_between_passages_is_shown_from_its_lead_in() -> None:
    # Trying the README as a user: "What does a board action log usually record?" opened on the
    # last column ("Its status ...") from the passage the chunker started there, without the
    # lead-in and the columns before it, which the previous passage holds.
    first = replace(
        _passage(
            0,
            "Boards track what they asked for in an action log. One published log shows the "
            "usual columns:\n\n- the minute reference;\n- the action itself;\n- the person "
            "responsible;\n- its status, such as open or complete.\n\nActions are grouped by "
            "meeting.",
            0.3,
        ),
        doc_id="log",
        position=3,
    )
    second = replace(
        _passage(
            1,
            "- its status, such as open or complete.\n\nActions are grouped by meeting. Portals "
            "can export the actions only.",
            0.8,
        ),
        doc_id="log",
        position=4,
    )
    q = analyse("Which status, such as open or complete, does an action log record?")
    chosen = select_sentences(q, [second, first])
    texts = [c.text for c in chosen.chosen]
    start = texts.index("One published log shows the usual columns:")
    assert texts[start + 1 : start + 5] == [
        "the minute reference;",
        "the action itself;",
        "the person responsible;",
        "its status, such as open or complete.",
    ], texts


def test_a_list_under_its_own_heading_does_not_go_on_from_the_passage_before() -> None:
    # A fresh user's "How many staff have we trained in QI?" read "By January the trust had
    # trained 1,146 staff in QI: 40% of all staff trained in QI at any level": the lead-in of
    # one section over an item of the next section's list of targets.
    done = replace(
        _passage(0, "By January the club had trained 46 volunteers:\n- 30 as stewards;\n"
                 "- 16 as first aiders.", 0.5),
        doc_id="plan", position=3, heading="Training done",
    )  # fmt: skip
    targets = replace(
        _passage(1, "- 80 volunteers trained as stewards;\n- 40% of members trained in first "
                 "aid.", 0.8),
        doc_id="plan", position=4, heading="Targets for next year",
    )  # fmt: skip
    q = analyse("What share of members should be trained in first aid?")
    texts = [c.text for c in select_sentences(q, [targets, done]).chosen]
    assert "By January the club had trained 46 volunteers:" not in texts, texts
    assert "40% of members trained in first aid." in texts


def test_the_table_row_holding_every_word_asked_answers() -> None:
    # A fresh user's "What was the Talking Therapies recovery rate in January 2026?" got a note
    # that February's rate was not available, and two workforce rows from the same passage,
    # not the Talking Therapies row with January's 51.2%.
    note = _passage(
        0,
        "Note: the Talking Therapies recovery rate for February 2026 was not available at the "
        "time of writing.\n\n| Service | Metric | January 2026 |\n|---|---|---|\n"
        "| Workforce | Vacancy rate | 10.8% |\n| Workforce | Sickness absence | 6.1% |\n",
        0.6,
    )
    table = _passage(
        1,
        "| Service | Metric | January 2026 |\n|---|---|---|\n"
        "| Talking Therapies | Recovery rate | 51.2% |\n| Community nursing | Falls | 12 |\n",
        0.4,
    )
    q = analyse("What was the Talking Therapies recovery rate in January 2026?")
    chosen = select_sentences(q, [note, table]).chosen
    assert "51.2%" in chosen[0].text, [c.text for c in chosen]


def test_a_sentence_that_leans_on_one_after_a_list_brings_the_list() -> None:
    """ "This definition ..." leans on "It applies ...", which leans on the list before it: the
    answer shows the list with its lead-in, not the two sentences that point back at it."""
    handbook = _passage(
        9,
        "Rotas have become common in volunteer groups of every size. "
        "The club's handbook admits there is no single agreed wording. "
        "In short, a rota is a fair way of doing three things:\n"
        "- sharing the work;\n- covering absences;\n- swapping shifts.\n"
        "It applies to every team in the club, from the cafe to the workshop. "
        "This definition of a volunteer rota builds on the county handbook for clubs.",
    )
    selection = select_sentences(
        analyse("How does the club's handbook define a volunteer rota?"), [handbook]
    )
    texts = [c.text for c in selection.reading]
    assert any(t.startswith("This definition") for t in texts)
    assert "In short, a rota is a fair way of doing three things:" in texts
    assert {"sharing the work;", "covering absences;", "swapping shifts."} <= set(texts)
    lead = texts.index("In short, a rota is a fair way of doing three things:")
    assert texts.index("sharing the work;") == lead + 1  # the items follow their lead-in


def test_a_list_from_a_passage_that_barely_matches_does_not_beat_the_sentence_that_answers() -> (
    None
):
    club = _passage(
        10,
        "The walking club was set up in 2015 by the parish council. At the start there were 231 "
        "founding members, nominated by 48 local groups. It later opened a branch in the next "
        "county.",
        0.6,
    )
    other = _passage(11, "Other resources for clubs:\n- a map library\n- a first aid kit\n- a kit "
                     "loan scheme", 0.2)  # fmt: skip
    selection = select_sentences(analyse("Club founding members?"), [club, other])
    assert "231 founding members" in " ".join(c.text for c in selection.reading)


def test_a_question_asking_when_is_answered_by_the_sentence_that_holds_a_date() -> None:
    # "When was AQuA set up?" was answered with the list of what it did first (the passage that
    # matched "set up" best), although "It was formed in April 2010." was in the evidence.
    early = replace(
        _passage(
            0,
            "According to the newsletter, the choir's early work when it was set up included:\n"
            "- concerts in the choir's home village;\n- a singing class for children;\n"
            "- links with the county music service.",
            0.6,
        ),
        heading="How the choir was set up",
    )
    founded = _passage(
        1,
        "The Valley Choir is a community choir in the north of the county. "
        "It was formed in April 2010. Members pay a small yearly fee.",
        0.6,
    )
    answer = select_sentences(analyse("When was the Valley Choir set up?"), [early, founded])
    # the date leads, with the sentence its "It" leans on
    assert [c.text for c in answer.chosen[:2]] == [
        "The Valley Choir is a community choir in the north of the county.",
        "It was formed in April 2010.",
    ]
    # A "when" inside the question does not ask for a date: the list still answers this one.
    listed = select_sentences(
        analyse("What early work did the newsletter describe when the choir was set up?"),
        [early, founded],
    )
    assert "April 2010" not in " ".join(c.text for c in listed.chosen)


def test_a_question_asking_how_long_is_answered_by_the_sentence_that_gives_a_length() -> None:
    # tester27: "... How long is the FCA course?" after a sentence about a pharmacy pathway was
    # declined for want of a length of time: the programme's opening passage matched best, and
    # "The central offer is a course lasting one year" sat in the next passage.
    opening = _passage(
        0,
        "The Walking Academy (WA) is a course for new walk leaders led by the county council "
        "and funded by a local charity. It grew out of two earlier walking groups.",
        0.63,
    )
    # (its document is the academy's own: the sentence is read with the title it sits under)
    course = replace(
        _passage(
            1,
            "The central offer is a course lasting one year that uses peer support. "
            "Leaders train in pairs.",
            0.55,
        ),
        title="The Walking Academy",
    )
    q = analyse(
        "Our rambling club wants to put its new leaders through the Walking Academy. "
        "How long is the Walking Academy course?"
    )
    assert q.answer_type == "duration"
    chosen = select_sentences(q, [opening, course]).chosen
    assert "lasting one year" in chosen[0].text


def test_each_part_of_a_two_part_question_gets_a_sentence_of_its_kind() -> None:
    # "When was the NHS IMPACT baseline completed, and what share of providers had ...?" was
    # answered with the share alone: the date sat in another passage.
    recommends = _passage(
        0,
        "The garden review's main recommendation is a shared rota kept at the library. "
        "The rota would list every volunteer's hours. "
        "Volunteers liked the idea when it was put to them.",
        0.7,
    )
    written = _passage(
        1, "The garden review was written by Elmford Parish Council in March 2021, after a "
        "summer of complaints.", 0.5,
    )  # fmt: skip
    q = analyse("What does the garden review recommend, and who wrote it?")
    selection = select_sentences(q, [recommends, written])
    shown = " ".join(c.text for c in selection.reading)
    assert "shared rota" in shown and "Parish Council" in shown
    # only what is shown: what the decision to answer is measured on stays the whole's best
    assert all(c.evidence_index == 0 for c in selection.chosen)
    # one question asks for one thing: nothing is added to it
    single = select_sentences(
        analyse("What does the garden review recommend?"), [recommends, written]
    )
    assert "Parish Council" not in " ".join(c.text for c in single.reading)


def test_a_part_is_answered_only_by_a_sentence_holding_its_own_words() -> None:
    # A fresh tester's "Who is deputy chair of the NIB, and when did the board first meet?" got
    # the date alone: a sentence naming the board ("The Garden Club ...") passed for the name
    # the first part asks for.
    met = _passage(
        0, "The Garden Club committee was set up in 2019. It met for the first time on 4 May "
        "2019 in the library.", 0.8,
    )  # fmt: skip
    deputy = _passage(
        1, "Ann Lee chairs the Garden Club committee and Tom Hart is deputy chair.", 0.5
    )
    q = analyse("Who is deputy chair of the committee, and when did it first meet?")
    shown = " ".join(c.text for c in select_sentences(q, [met, deputy]).reading)
    assert "4 May 2019" in shown and "Tom Hart" in shown


def test_a_who_part_is_answered_by_a_sentence_naming_someone() -> None:
    # A fresh tester's "When did the National Improvement Board first meet, and who is its
    # deputy chair?" got "... the chair and deputy chair wrote to leaders across the NHS": an
    # acronym passed for the name asked.
    met = _passage(
        0, "The Garden Club committee met for the first time on 4 May 2019. After its first "
        "meeting the chair and deputy chair wrote to every member of the RHS.", 0.8,
    )  # fmt: skip
    deputy = _passage(1, "Ann Lee chairs the GCC and Tom Hart is deputy chair.", 0.8)
    q = analyse("When did the Garden Club committee first meet, and who is its deputy chair?")
    shown = " ".join(c.text for c in select_sentences(q, [met, deputy]).reading)
    assert "4 May 2019" in shown and "Tom Hart" in shown


def test_a_which_part_gets_a_sentence_holding_its_own_words() -> None:
    # "When was the leadership competency framework published, and which review was it
    # responding to?" got the date alone.
    published = _passage(
        0, "The garden code was published on 3 March 2022. It applies to every allotment "
        "holder in the parish.", 0.8,
    )  # fmt: skip
    review = _passage(
        1, "Volunteers meet on Saturdays. The code responds to the 2020 review of allotment "
        "safety by Dr Ann Lee.", 0.5,
    )  # fmt: skip
    q = analyse("When was the garden code published, and which review was it responding to?")
    shown = " ".join(c.text for c in select_sentences(q, [published, review]).reading)
    assert "3 March 2022" in shown and "2020 review" in shown
    assert "Saturdays" not in shown


def test_a_how_many_part_gets_a_number_and_the_items_it_counts() -> None:
    # A fresh tester's "When was the Leadership Competency Framework for board members
    # published, and how many domains does it have?" got the date and "Several domains overlap
    # with NHS IMPACT.": "several" passed for a number.
    published = _passage(
        0, "The garden code was published on 3 March 2022. Several sections of it deal with "
        "safety.", 0.8,
    )  # fmt: skip
    counted = _passage(
        1, "Volunteers meet on Saturdays. The code is set out in four sections:\n\n- tools;\n"
        "- keys;\n- the rota;\n- first aid.", 0.75,
    )  # fmt: skip
    q = analyse("When was the garden code published, and how many sections does it have?")
    shown = [c.text for c in select_sentences(q, [published, counted]).reading]
    assert "3 March 2022" in shown[0]
    lead = next(i for i, text in enumerate(shown) if "four sections" in text)
    # the count comes with what it counts, not with a lead-in that ends on nothing
    assert shown[lead + 1 :] == ["tools;", "keys;", "the rota;", "first aid."]


def test_names_someone_needs_a_name_the_question_does_not_give() -> None:
    question = "Who is deputy chair of the Garden Club?"
    assert names_someone("Professor Tom Hart is deputy chair.", question)
    assert names_someone("It is run by Sheffield Teaching Hospitals.", question)
    assert not names_someone("The chair and deputy chair wrote to the NHS.", question)
    assert not names_someone("The Garden Club has a deputy chair.", question)
    assert not names_someone('Each pair runs a weekly "Big Room".', question)


def test_a_part_asking_for_a_list_gets_the_list_that_names_what_it_asks_for() -> None:
    # "Who carried out the rapid evaluation of NHS IMPACT, and what themes did it find?" was
    # answered with who carried it out alone: the themes were a list in another passage.
    who = _passage(
        0, "The garden review was carried out by Dr Ann Lee for the parish council in 2024. "
        "It was shared with two local schools and the library.", 0.8,
    )  # fmt: skip
    found = _passage(
        1, "Volunteers met every Saturday. The review found four problems with the volunteer "
        "rota:\n\n- too few volunteers on Sundays;\n- tools left out overnight;\n"
        "- no first-aid kit in the shed;\n- nobody sure who holds the keys.", 0.5,
    )  # fmt: skip
    q = analyse("Who carried out the garden review, and what problems did it find?")
    shown = [c.text for c in select_sentences(q, [who, found]).reading]
    assert "Dr Ann Lee" in shown[0]
    lead = next(i for i, text in enumerate(shown) if "four problems" in text)
    assert shown[lead + 1 :] == [
        "too few volunteers on Sundays;",
        "tools left out overnight;",
        "no first-aid kit in the shed;",
        "nobody sure who holds the keys.",
    ]
    # shown as a list under its own lead-in line, after the first part's answer
    reading = select_sentences(q, [who, found]).reading
    text = render(reading, {0: 1, 1: 2}, as_list=False)
    assert "\nThe review found four problems with the volunteer rota [2]:\n- Too few" in text
    # a part whose noun no list names adds nothing
    other = analyse("Who carried out the garden review, and what costs did it find?")
    assert not any("four problems" in c.text for c in select_sentences(other, [who, found]).reading)


def test_a_section_the_question_quotes_by_its_heading_answers_it() -> None:
    # "Which trusts were studied in the Health Foundation's Building the foundations for
    # improvement?" was answered from the passage about the Health Foundation in general.
    general = replace(
        _passage(0, "The garden trust, a charity, has studied and funded community gardens for "
                 "many years, and councils read its studies of gardens.", 0.6),
        heading="Why the garden trust matters",
    )  # fmt: skip
    named = replace(
        _passage(1, "This report looked at four gardens in depth: Ashby, Brent Mill, "
                 "Coldharbour and Dunmore.", 0.6),
        heading="Growing the roots of a garden (May 2016)",
    )  # fmt: skip
    q = analyse("Which gardens were studied in the garden trust's Growing the roots of a garden?")
    assert "Coldharbour" in select_sentences(q, [general, named]).chosen[0].text
    # asked without the heading's words, the passage that matches best still leads
    plain = analyse("Which gardens were studied by the garden trust?")
    assert "many years" in select_sentences(plain, [general, named]).chosen[0].text


def test_a_form_blank_is_not_an_answer_and_an_answer_opening_on_an_item_shows_it_as_one() -> None:
    # "When did our board last meet?" ended on "*Signed as a true record:* ........ [1].", and
    # a two-item answer showed its first item as a sentence and its second as a bullet.
    minutes = _passage(
        0, "Decisions:\n\n1. The board accepted the summary and its target ratings.\n"
        "2. The board appointed Jo Bloggs as its champion for improvement.\n\n"
        "The next meeting will be held on 5 March 2026.\n\n"
        "*Signed as a true record:* ........................ Chair",
    )  # fmt: skip
    texts = [c.text for c in _candidates([minutes])]
    assert not any("true record" in t for t in texts)
    # a blank of underscores, as a Word document has it (own6's "Who chaired the board
    # meeting?" got "Signed as a true record: Chair")
    signed = _passage(
        1, "The next meeting is on 9 April 2026. Signed as a true record: ______ Chair"
    )
    assert not any("true record" in c.text for c in _candidates([signed]))
    items = [c for c in _candidates([minutes]) if c.is_item]
    text = render(items, {0: 1}, as_list=False)
    assert text.splitlines() == [
        "- The board accepted the summary and its target ratings [1].",
        "- The board appointed Jo Bloggs as its champion for improvement [1].",
    ]


def test_a_line_in_capitals_is_a_heading_not_an_answer() -> None:
    # "Who approved our quality improvement strategy?" opened on the strategy's title lines.
    strategy = _passage(
        0,
        "RIVERBANK NHS TRUST QUALITY IMPROVEMENT STRATEGY 2024-2027\n\n"
        "Approved by the Trust Board on 14 May 2024. Executive lead: the Director of Nursing.",
    )
    chosen = select_sentences(analyse("Who approved the quality improvement strategy?"), [strategy])
    assert chosen.chosen[0].text.startswith("Approved by the Trust Board")
    assert not any(c.text.isupper() for c in chosen.reading)


def test_the_row_holding_the_reference_asked_as_written_answers() -> None:
    # A fresh user's "Who owns action QPC-26/03?" got QPC-26/04's owner: the row asked for sat
    # in another piece of the log, and every row says "QPC" and "26".
    header = "| Ref | Action | Owner |\n| --- | --- | --- |\n"
    later = _passage(
        0, header + "| QPC-26/04 | Bring back the business case | Sanjay Mehtani |\n"
        "| QPC-26/05 | Present the self-assessment to the board | Owen Tredinnick |", 0.8,
    )  # fmt: skip
    asked = _passage(
        1, header + "| QPC-26/02 | Audit the sepsis pathway | Ann Lee |\n"
        "| QPC-26/03 | Deep dive on handover delays | Gareth Limbrick |", 0.45,
    )  # fmt: skip
    q = analyse("Who owns action QPC-26/03?")
    shown = select_sentences(q, [later, asked]).reading
    assert "Gareth Limbrick" in shown[0].text, [c.text for c in shown]


def test_a_sentence_stating_a_figure_over_a_table_answers_before_the_table_rows() -> None:
    # Trying the README with minutes of my own, "What was the year-to-date deficit at Month
    # 11?" got the first row of the locality table under "Month 11 finance report", not the
    # sentence over it that gives the deficit (the index runs a table on from the sentence
    # before it, which then reads as the table's lead-in).
    report = replace(
        _passage(
            0, "Hannah Pryce reported a year-to-date deficit of £2.4m at Month 11, £0.6m "
            "adverse to plan. | Locality | Budget | Spend | |---|---|---| "
            "| North Locality | 4,200 | 4,510 | | South Locality | 3,900 | 3,870 |", 0.4,
        ),
        heading="Minutes > 2. Month 11 finance report",
        position=3,
    )  # fmt: skip
    q = analyse("What was the year-to-date deficit at Month 11?")
    shown = select_sentences(q, [report]).reading
    assert "£2.4m" in shown[0].text, [c.text for c in shown]


def test_a_list_of_as_many_items_as_asked_answers_over_a_sentence_giving_the_number() -> None:
    # tester21's board secretary asked for "the six domains of the board member LCF" and got
    # "The LCF ... describes six competency domains and comes with an optional scoring guide"
    # from a passage that matched better than the one listing them.
    tools = _passage(
        0,
        "The garden council lists the volunteer code alongside the volunteer handbook as tools "
        "for garden volunteers. The code, published in May 2024, describes six volunteer "
        "domains and comes with an optional scoring guide that volunteers can use for review.",
        0.64,
    )
    domains = replace(
        _passage(
            1,
            "It groups skills as follows:\n\n"
            "- planting and growing;\n- safe use of tools;\n- working with children;\n"
            "- keeping records;\n- looking after the site;\n- welcoming new members.\n",
            0.51,
        ),
        heading="The code's domains",
    )
    q = analyse(
        "As volunteer lead I need the six domains of the volunteer code for our review "
        "paperwork - what are they?"
    )
    shown = " ".join(c.text for c in select_sentences(q, [tools, domains]).chosen)
    assert "safe use of tools" in shown and "welcoming new members" in shown, shown


def test_a_numbered_label_is_not_matched_by_its_number_in_another_column() -> None:
    # A fresh tester's "Tell me about component 4" got their own table's row "Component: People
    # and culture; Rating: 3; Target: 4": its target column held 4.
    guide = replace(
        _passage(0, "The aim for this section is that every volunteer can get training.", 0.7),
        title="Section 4 of the garden code",
        heading="Section 4: training and support",
    )
    ratings = replace(
        _passage(
            1,
            "| Section | Rating | Target |\n|---|---|---|\n| Planting | 2 | 3 |\n"
            "| Safety | 3 | 4 |\n| Records | 1 | 3 |\n",
            0.6,
        ),
        title="Our ratings",
        heading="Self-assessment",
    )
    chosen = select_sentences(analyse("Tell me about section 4"), [ratings, guide]).chosen
    assert "every volunteer can get training" in chosen[0].text, [c.text for c in chosen]


def test_a_most_often_question_leads_with_the_sentence_that_says_which_was_most() -> None:
    # tester25, tester26, tester32: "Which improvement method came out as the most commonly
    # used by providers in the baseline?" was answered with the two routes projects arise by
    routes = _passage(
        6,
        "Clubs described two routes for new plots. In one, plots are chosen by the committee.",
        0.62,
    )
    ranked = _passage(
        7, "Raised beds were the layout clubs reported most often, with allotment rows second.", 0.6
    )
    q = analyse("Which plot layout came out as the most commonly used by the clubs in the survey?")
    assert "Raised beds" in select_sentences(q, [routes, ranked]).chosen[0].text


def test_a_heading_that_shares_the_question_does_not_lift_a_sentence_without_the_date_asked() -> (
    None
):
    # tester32: "Remind me when NHS IMPACT actually kicked off?" was answered with "The report
    # also flagged risks." because the heading over it, "Risks and lessons for NHS IMPACT",
    # shared "NHS IMPACT" with the question
    opening = _passage(
        8,
        "The parish council started the Riverside Garden Scheme in May 2019 with six schools.",
        0.62,
    )
    risks = replace(
        _passage(9, "The review also flagged risks. Volunteers are hard to keep.", 0.6),
        heading="Risks and lessons for the Riverside Garden Scheme",
        position=3,
    )
    q = analyse("Remind me when the Riverside Garden Scheme actually kicked off?")
    assert "May 2019" in select_sentences(q, [opening, risks]).chosen[0].text


def test_a_when_part_is_answered_by_a_sentence_saying_when_it_happened() -> None:
    # tester47: "When was the Leadership Competency Framework published, and whose review was it
    # responding to?" got the sentence naming "the 2019 review" alone: a year, but not the date
    # the framework was published.
    responds = _passage(
        0, "The garden code responds to the 2019 review by Ann Lee of the allotment rules.", 0.8
    )
    published = _passage(1, "The council published the garden code on 3 March 2022.", 0.5)
    q = analyse("When was the garden code published, and whose review was it responding to?")
    shown = " ".join(c.text for c in select_sentences(q, [responds, published]).reading)
    assert "Ann Lee" in shown and "3 March 2022" in shown


def test_a_part_asking_what_a_name_stands_for_gets_the_sentence_that_defines_it() -> None:
    # tester47: "What does IMPACT actually stand for, and when was the approach launched?" got
    # the launch alone; the passage opened with "NHS IMPACT is short for ...".
    launched = _passage(
        0, "Jo Hart, the chair at the time, launched the scheme in April 2021. The launch "
        "came a week after the council's review of allotments.", 0.8,
    )  # fmt: skip
    defined = _passage(1, "Elmford GROW is short for Gardens, Rotas and Open Welcome.", 0.5)
    q = analyse("What does GROW actually stand for, and when was the scheme launched?")
    shown = " ".join(c.text for c in select_sentences(q, [launched, defined]).reading)
    assert "April 2021" in shown and "Open Welcome" in shown


def test_a_list_whose_lead_in_names_what_is_asked_beats_an_enumerating_sentence() -> None:
    # tester46: "What themes did the rapid evaluation find ...?" got "This applied across ...
    # between departments, between professions and between sectors" instead of the themes.
    found = _passage(
        0,
        "The central finding is that the scheme helped gardens work better. This applied "
        "across many boundaries: between streets, between schools and between clubs. The "
        "review described three themes through which this happened:\n"
        "- Trust.\n- Shared tools.\n- Open gates.",
        0.8,
    )
    q = analyse("What themes did the garden review find about how the scheme helped?")
    shown = " ".join(c.text for c in select_sentences(q, [found]).reading)
    assert "Shared tools" in shown and "between schools" not in shown


def test_a_list_led_in_by_the_plural_asked_for_beats_a_list_of_sentences_mentioning_it() -> None:
    # own15: "What are the components of the NHS IMPACT framework?" was declined: a list of
    # sentences each mentioning "component 1" or "components 2 to 5" (one saying something
    # was not published) won over the list led in by "the components are:"
    notes = _passage(
        0,
        "- The garden plan's components were checked on the council's page for component 1.\n"
        "- For garden plan components 2 to 5 the council's page gives no detail.\n"
        "- Each garden plan component has a council page.",
        0.8,
    )
    plan = _passage(
        1,
        "In the order the council lists them, the garden plan's components are:\n"
        "- Soil.\n- Seeds.\n- Water.\n- Shelter.\n- Care.",
        0.7,
    )
    q = analyse("What are the components of the garden plan?")
    shown = " ".join(c.text for c in select_sentences(q, [notes, plan]).reading)
    assert "Shelter" in shown and "no detail" not in shown


def test_two_items_of_a_list_in_an_answer_bring_the_items_between_them() -> None:
    # tester51 asked what East London did on training for the board and how long its leaders'
    # programme is: the answer gave the list's fourth, first and fifth items, not the second
    case = _passage(
        1,
        "The trust built capability in steps:\n"
        "- it mapped the skills each level needs;\n"
        "- board members, both executive and non-executive, received training;\n"
        "- every new starter meets QI at induction;\n"
        "- managers complete a 6-month programme;\n"
        "- each directorate assesses its needs.",
    )
    found = _candidates([case])
    lead, mapped, board, starter, managers, directorate = found
    assert [c.is_item for c in found] == [False, True, True, True, True, True]
    shown = fill_list_gaps([lead, managers, mapped, directorate], [case])
    # the best item stays first; the rest follow in the list's order, none left out
    assert shown == [lead, managers, mapped, board, starter, directorate]
    # only within the answer's length
    assert fill_list_gaps([lead, managers, mapped], [case], max_words=30) == [
        lead, managers, mapped,
    ]  # fmt: skip


def test_items_of_two_lists_with_prose_between_are_not_joined() -> None:
    two = _passage(
        2,
        "Strengths:\n- clear aims;\n- good data.\nThe review then listed risks.\n"
        "Risks:\n- staff turnover;\n- short funding.",
    )
    found = _candidates([two])
    first_item, last_item = found[1], found[-1]
    assert first_item.is_item and last_item.is_item
    assert fill_list_gaps([first_item, last_item], [two]) == [first_item, last_item]
