"""The one sentence splitter: abbreviations, initials, numbers, list items, spans."""

from __future__ import annotations

from knowledge.sentences import split_sentences


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
