"""The bundled pack speaks to board members, not to its own writers."""

from __future__ import annotations

import re

import pytest

from knowledge import bundled_corpus_dir

NOTES_TO_WRITERS = re.compile(
    r"this pack|sources used|used here|not been checked|not retrieved|unconfirmed|"
    r"not reproduced|recorded for this pack|has its own document|see the document|"
    r"the document on|covered elsewhere|rather than guessed",
    re.IGNORECASE,
)


@pytest.mark.parametrize("path", sorted(bundled_corpus_dir().glob("*.md")), ids=lambda p: p.name)
def test_no_notes_to_writers_in_the_pack(path) -> None:  # type: ignore[no-untyped-def]
    body = path.read_text(encoding="utf-8").split("\n---", 1)[1]
    found = [line for line in body.splitlines() if NOTES_TO_WRITERS.search(line)]
    assert found == []


def test_every_document_names_its_sources() -> None:
    for path in bundled_corpus_dir().glob("*.md"):
        head = path.read_text(encoding="utf-8").split("\n---", 1)[0]
        assert "sources:" in head and "http" in head, path.name


_SECTION = re.compile(r"^#{2,4} (.+)$", re.MULTILINE)


@pytest.mark.parametrize("path", sorted(bundled_corpus_dir().glob("*.md")), ids=lambda p: p.name)
def test_no_section_is_a_stub(path) -> None:  # type: ignore[no-untyped-def]
    """A section of one short line ("The description above is taken from the component page.")
    is retrieved on its heading's words and then quoted as the whole answer."""
    body = path.read_text(encoding="utf-8").split("\n---", 1)[1]
    parts = _SECTION.split(body)
    stubs = [
        heading
        for heading, text in zip(parts[1::2], parts[2::2], strict=True)
        if text.strip() and len(text.split()) < 12
    ]
    assert stubs == []
