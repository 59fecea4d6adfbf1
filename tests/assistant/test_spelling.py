"""Misspelt words are read as words of the asker's own knowledge base, never another tenant's."""

from __future__ import annotations

from pathlib import Path

from assistant.spelling import Speller
from knowledge import KnowledgeBase
from knowledge.tenants import visible_tenants
from tests.docgen import make_markdown


def test_a_correction_comes_only_from_passages_the_tenant_can_see(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    north = make_markdown(
        tmp_path / "north.md", "title: North", "The Kingfisher ward runs a daily safety huddle."
    )
    south = make_markdown(
        tmp_path / "south.md", "title: South", "The Heron ward runs a weekly safety huddle."
    )
    kb.ingest([north], tenant="north")
    kb.ingest([south], tenant="south")

    for_north = Speller(kb, visible_tenants("north")).correct("when does kingfishr ward meet")
    for_south = Speller(kb, visible_tenants("south")).correct("when does kingfishr ward meet")

    assert for_north.changes == (("kingfishr", "kingfisher"),)
    assert for_north.text == "when does kingfisher ward meet"
    # South cannot see North's passages: the word is left as written, nothing is revealed.
    assert for_south.changes == () and for_south.text == "when does kingfishr ward meet"
    assert Speller(kb, visible_tenants("south")).correct("the weeky huddle").changes == (
        ("weeky", "weekly"),
    )


def test_a_slip_that_keeps_the_stem_is_corrected_but_an_inflection_is_not(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    """ "componant" stems like "component", so it had been taken as known and left as written
    (a fresh user's "what does good look like for componant 4" was answered from another
    document); "prioritises" is the passages' "prioritise" with an ending, not a slip."""
    guide = make_markdown(
        tmp_path / "guide.md",
        "title: Guide",
        "Each component asks boards to prioritise improvement work.",
    )
    kb.ingest([guide], tenant="east")
    speller = Speller(kb, visible_tenants("east"))

    assert speller.correct("what is the second componant").changes == (("componant", "component"),)
    assert speller.correct("how does the board prioritises its work").changes == ()


def test_a_slip_no_word_of_the_passages_is_close_to_is_read_by_their_stem(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    """own14's "Who chiared the board meeting on 10 July 2025?": the minutes write "Chair", never
    "chaired", so no word of theirs was one slip away and the typo was left as written."""
    minutes = make_markdown(
        tmp_path / "minutes.md", "title: Minutes", "Present: Margaret Tresize, Chair of the Trust."
    )
    kb.ingest([minutes], tenant="west")
    speller = Speller(kb, visible_tenants("west"))

    assert speller.correct("Who chiared the meeting?").changes == (("chiared", "chaired"),)
    # one slip from English words whose stems no passage uses: left as written
    assert speller.correct("Who wiated at the meeting?").changes == ()


def test_a_slip_of_the_opening_question_word_is_read_as_it(kb: KnowledgeBase) -> None:
    speller = Speller(kb, visible_tenants("default"))

    # "wat" and "wen" are rare English words, but opening a question before "are"/"did" they
    # are "what" and "when"; a common word ("Now", "hat"), a run-on "whats", or a word inside
    # the sentence is left as written
    assert speller.correct("wat are the five components").text == "what are the five components"
    assert speller.correct("Wen did the board first meet?").changes == (("Wen", "When"),)
    for kept in ("Now are the rules clear?", "whats the aim", "so wat is the aim"):
        assert speller.correct(kept).text == kept


def test_a_name_typed_in_small_letters_is_read_as_the_passages_write_it(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    # A fresh user's "who is amar shah" got a passage that only mentions him: the question's
    # name, in small letters, was not read as a name ("Who is Amar Shah?" says who he is).
    from tests.assistant.papers_support import answerer_with_papers

    team = (
        "# Improvement team\n\n## Reflections\n\nIn a blog, Priya Natarajan reflected on "
        "coaching. Priya Natarajan's blog is read widely.\n\n## Leads\n\nThe board reviews "
        "the improvement plan every quarter. The plan is owned by Dr Priya Natarajan, Director "
        "of Improvement.\n"
    )
    answerer = answerer_with_papers(kb, tmp_path / "docs", team=team)
    speller = Speller(kb, visible_tenants("default"))

    assert speller.recase("who is priya natarajan") == "who is Priya Natarajan"
    # a word the passages also write in small letters, and a question with capitals, stay
    assert speller.recase("who reviews the improvement plan") == "who reviews the improvement plan"
    assert speller.recase("Who is priya natarajan") == "Who is priya natarajan"
    # a month has its capital, alone: "the september quality committee" is no "September
    # Quality Committee" whose name the papers must hold (own11's declined "next board after
    # 28 november 2024" and a "September Board" the minutes never name)
    assert speller.recase("who sent apologies to the september board") == (
        "who sent apologies to the September board"
    )
    # "may" is the month after a preposition ("in may", "end of may"), the verb after "we"
    assert speller.recase("what did we spend in may") == "what did we spend in May"
    assert speller.recase("we may need a paper on this") == "we may need a paper on this"
    result = answerer.answer("who is priya natarajan")
    assert "Director of Improvement" in result.text.split("[1]")[0], result.text


def test_an_acronym_no_passage_uses_is_read_as_the_name_its_initials_spell(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    # A fresh user's "What was EIP performance?" was declined: the papers only ever write
    # "Early Intervention in Psychosis", and no passage holds "EIP".
    from tests.assistant.papers_support import answerer_with_papers

    report = (
        "# Performance report, February\n\n## Mental health\n\nEarly Intervention in Psychosis "
        "performance was 71.4% against the 60% standard. Talking Therapies recovery was 51.2%."
        "\n\n## Community\n\nCommunity nursing saw 3,100 patients. District nursing waits fell."
        "\n"
    )
    assert not kb.ingest_bundled().failed
    answerer = answerer_with_papers(kb, tmp_path / "docs", report=report)
    speller = Speller(kb, visible_tenants("default"))

    assert speller.spell_out("What was EIP performance?") == (
        "What was EIP (Early Intervention in Psychosis) performance?"
    )
    assert speller.spell_out("What is XYZ?") == "What is XYZ?"  # no name spells it
    # a short form may leave out an acronym inside the name: "ELFT" is East London NHS Foundation
    # Trust (tester50's "what did ELFT do on QI training ...?" had been refused)
    assert speller.spell_out("What did ELFT do?") == (
        "What did ELFT (East London NHS Foundation Trust) do?"
    )
    result = answerer.answer("What was EIP performance?")
    assert not result.abstained and "71.4%" in result.text, result.text


def test_a_word_typed_short_is_read_as_the_passages_word_it_begins(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    """Fresh users' "Who is the chief exec?" was declined as a live detail none of the papers
    gives, though the minutes list "Marcus Oyelaran, Chief Executive": no passage says "exec".
    A short word no passage uses that begins words of one stem is read as the most used; a
    common word ("car"), a word that a passage's word extends by an ending ("clinic") or a start
    shared by words of different stems is left alone."""
    minutes = make_markdown(
        tmp_path / "minutes.md",
        "title: Saltmarsh Community Health NHS Trust board minutes, 11 February 2026",
        "## Present\n\n- Marcus Oyelaran, Chief Executive\n- Priyanka Dass, Director of Finance"
        "\n\n## Item 4\n\nThe executives presented the care plan. A development session and a "
        "devolved budget were agreed for the caretaker team. Clinicians joined. The staff "
        "network met in March.\n",
    )
    assert not kb.ingest([minutes], tenant="west").failed
    speller = Speller(kb, visible_tenants("west"))

    fixed = speller.correct("Who is the chief exec?")
    assert fixed.text == "Who is the chief executive?" and fixed.notice(), fixed
    # a common English word, and "dev" (development, devolved: two stems), are left as written
    assert speller.correct("Where do we park the car?").changes == ()
    # own11: "net" in "net zero" had been read as "network", though it is an English word
    assert speller.correct("Is there a net zero risk?").changes == ()
    assert speller.correct("What is the dev plan?").changes == ()
    # a fresh tester's "clinic" was read as "clinicians": a word that a passage's word extends
    # by an English ending was typed in full
    assert speller.correct("Which clinic had the most falls?").changes == ()
