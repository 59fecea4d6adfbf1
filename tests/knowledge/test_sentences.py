"""The one sentence splitter: abbreviations, initials, numbers, list items, spans; tables."""

from __future__ import annotations

from knowledge.sentences import readable, split_sentences, table_rows, table_tail


def _texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_abbreviations_initials_and_decimals_do_not_end_a_sentence() -> None:
    text = (
        "Dr. Amar Shah wrote the guidance, e.g. on where to start. It cost 1.2 million pounds. "
        "J. Smith and Prof. Jones agreed! Was it approved? Yes."
    )
    assert _texts(text) == [
        "Dr. Amar Shah wrote the guidance, e.g. on where to start.",
        "It cost 1.2 million pounds.",
        "J. Smith and Prof. Jones agreed!",
        "Was it approved?",
        "Yes.",
    ]


def test_a_sentence_may_open_with_markdown_emphasis() -> None:
    # A fresh tester's answer showed "... a development plan. The Board approved the strategy
    # [1]." (one sentence to the splitter, so one citation for two): the bold sentence started
    # no sentence of its own.
    assert _texts("They will shape a plan. **The Board approved the strategy.**") == [
        "They will shape a plan.",
        "**The Board approved the strategy.**",
    ]
    # an item's bold name ends nothing: it reads with what it names
    assert _texts("- **Alignment.** Priorities needed to line up.") == [
        "**Alignment.** Priorities needed to line up."
    ]


def test_list_items_and_headings_are_units_and_wrapped_lines_are_joined() -> None:
    text = (
        "## Lessons\nThe report found that leaders:\n- go with the grain of existing\n  methods;\n"
        "- learn by doing.\n\nA new paragraph\nwrapped over two lines."
    )
    found = split_sentences(text)
    assert [s.text for s in found] == [
        "Lessons",
        "The report found that leaders:",
        "go with the grain of existing methods;",
        "learn by doing.",
        "A new paragraph wrapped over two lines.",
    ]
    assert [s.is_item for s in found] == [False, False, True, True, False]


def test_spans_point_back_into_the_text() -> None:
    text = "First sentence here.  Second one (with brackets) here! Third."
    for sentence in split_sentences(text):
        assert " ".join(text[sentence.start : sentence.end].split()) == sentence.text


def test_a_table_row_reads_as_a_sentence_that_names_its_columns() -> None:
    # the index keeps a table on one line; a row cut off by the end of a passage is left out
    flat = "| Action | Owner | Due | |---|---|---| | Brief a facilitator | Louise Penrose | 27 Feb | | Cost the"
    lines = (
        "| Offer | Target |\n|:---|---:|\n| One-day introduction | 1,200 staff |\n| Coaching |  |"
    )

    assert table_rows(flat) == ["Action: Brief a facilitator; Owner: Louise Penrose; Due: 27 Feb."]
    assert table_rows(lines) == [
        "Offer: One-day introduction; Target: 1,200 staff.",
        "Offer: Coaching.",
    ]
    assert table_rows("| a pipe | in a sentence is not a table |") is None


def test_readable_turns_only_the_table_lines_into_rows() -> None:
    text = "The board agreed two actions.\n| Action | Owner |\n|---|---|\n| Cost it | Priya |\nEnd."
    assert readable(text).splitlines() == [
        "The board agreed two actions.",
        "Action: Cost it; Owner: Priya.",
        "End.",
    ]
    assert readable("No table | here, just a pipe.") == "No table | here, just a pipe."


def test_a_table_followed_by_a_paragraph_keeps_its_last_row_and_the_paragraph() -> None:
    # The index runs the paragraph after a table onto the table's line; the last row was read
    # as cut off and dropped, and the paragraph ("The next meeting ...") was lost with it.
    block = (
        "| Ref | Owner | |---|---| | 31 | Lucy Brennan | | 34 | Graham Tillotson | "
        "The next meeting of the board will be held on 13 November 2025."
    )
    assert table_rows(block) == [
        "Ref: 31; Owner: Lucy Brennan.",
        "Ref: 34; Owner: Graham Tillotson.",
    ]
    assert table_tail(block) == "The next meeting of the board will be held on 13 November 2025."
    assert readable(block).endswith("Owner: Graham Tillotson. The next meeting of the board will "
                                    "be held on 13 November 2025.")  # fmt: skip
    assert table_tail("| Ref | Owner | |---|---| | 31 | Lucy Brennan | | 34 | Graham") == ""


def test_a_full_stop_in_a_table_cell_ends_no_sentence() -> None:
    # A fresh user's self-assessment table numbered its components ("| 1. Building a shared
    # purpose | 3 |"): the table was cut at each "1." and answers showed raw cells and bars.
    block = (
        "The ratings below are agreed. | Component | Rating | |---|---| "
        "| 1. Shared purpose | 3 | | 2. People and culture. | 2 | Our lowest rating was for people."
    )
    texts = _texts(block)
    assert len(texts) == 1 and texts[0].startswith("The ratings below are agreed. | Component")
    rows = table_rows(texts[0].partition("|")[1] + texts[0].partition("|")[2])
    assert rows == [
        "Component: 1. Shared purpose; Rating: 3.",
        "Component: 2. People and culture.; Rating: 2.",
    ]
    assert _texts("It was agreed. Next. | a |") == ["It was agreed.", "Next. | a |"]
