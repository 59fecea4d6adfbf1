"""Facilitation frameworks are YAML files: validated, line-numbered errors, overridable by folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from prompts.frameworks import (
    FrameworkFileError,
    available_frameworks,
    load_framework,
    parse_framework,
    validate_framework_file,
)

MINIMAL = """\
name: tiny
title: A tiny framework
scale:
  levels:
    - {value: 1, label: Low, descriptor: Not yet}
    - {value: 2, label: High, descriptor: We are there}
sections:
  - id: s1
    title: Only section
    questions:
      - id: q1
        text: Are we there yet?
        intent: To find out.
        good_looks_like: [We are there.]
        evidence_query: are we there
        rated: true
"""


def _problems(text: str, name: str | None = None) -> list[tuple[int, str]]:
    with pytest.raises(FrameworkFileError) as caught:
        parse_framework(text, "board.yaml", name=name)
    return [(p.line, p.message) for p in caught.value.problems]


def test_both_packaged_frameworks_validate() -> None:
    names = {info.name: info for info in available_frameworks()}
    assert {"nhs-impact", "conditions-for-success"} <= set(names)
    assert all(info.error is None for info in names.values())


def test_nhs_impact_has_the_five_components_in_published_order() -> None:
    fw = load_framework("nhs-impact")
    assert [s.components for s in fw.sections] == [["1"], ["2"], ["3"], ["4"], ["5"]]
    assert [s.title for s in fw.sections] == [
        "Building a shared purpose and vision",
        "Investing in people and culture",
        "Developing leadership behaviours",
        "Building improvement capability and capacity",
        "Embedding improvement into management systems and processes",
    ]
    for section in fw.sections:
        rated = [q for q in section.questions if q.rated]
        assert len(rated) == 1, section.id
        assert any("move up one level" in p for p in rated[0].probes)
        assert all(q.good_looks_like and q.evidence_query for q in section.questions)


def test_nhs_impact_never_presents_its_level_names_as_nhs_englands() -> None:
    fw = load_framework("nhs-impact")
    note = fw.scale.note.lower()
    assert "not nhs england's" in note and "replace" in note
    assert [lv.label for lv in fw.scale.levels] == [f"Level {n}" for n in range(1, 6)]
    raw = Path(fw_path := "prompts/frameworks/nhs-impact.yaml").read_text(encoding="utf-8")
    assert "NOT NHS England's" in raw, fw_path


def test_conditions_for_success_covers_the_seed_themes() -> None:
    fw = load_framework("conditions-for-success")
    titles = " ".join(s.title.lower() for s in fw.sections)
    for theme in ("optimism, hope and belief", "peer-to-peer", "learning", "board"):
        assert theme in titles
    assert 8 <= sum(1 for _ in fw.questions()) <= 14  # shorter than the full framework


def test_a_valid_file_loads() -> None:
    fw = parse_framework(MINIMAL, "tiny.yaml", name="tiny")
    assert fw.scale.min == 1 and fw.scale.max == 2 and fw.find("q1") is not None


def test_a_missing_field_is_reported_at_its_line() -> None:
    text = MINIMAL.replace("        intent: To find out.\n", "")
    assert _problems(text) == [(11, "sections.0.questions.0.intent: required, but missing")]


def test_a_misspelt_field_is_reported_at_its_line() -> None:
    text = MINIMAL.replace("rated: true", "ratd: true")
    assert _problems(text) == [
        (16, "sections.0.questions.0.ratd: unknown field (check the spelling)")
    ]


def test_every_problem_is_listed_not_only_the_first() -> None:
    text = (
        MINIMAL
        + """\
  - id: s2
    title: Second
    questions:
      - id: q1
        text: Again?
        intent: x
        good_looks_like: []
        evidence_query: y
"""
    )
    problems = _problems(text)
    assert (20, "question id 'q1' is used twice (ids are unique in a framework)") in problems
    assert any(line == 23 and "good_looks_like" in msg for line, msg in problems)


def test_levels_must_be_consecutive() -> None:
    text = MINIMAL.replace("{value: 2, label: High", "{value: 3, label: High")
    [(line, message)] = _problems(text)
    assert line == 5 and "consecutive" in message


def test_broken_yaml_gets_the_line_of_the_fault() -> None:
    [(line, message)] = _problems(MINIMAL.replace("title: Only section", "title: [Only section"))
    assert line in (10, 11) and "not valid YAML" in message


def test_a_key_given_twice_is_reported() -> None:
    text = MINIMAL.replace("title: A tiny framework\n", "title: A tiny framework\ntitle: Again\n")
    assert (3, "'title' is given twice here") in _problems(text)


def test_the_name_must_match_the_file(tmp_path: Path) -> None:
    path = tmp_path / "other.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(FrameworkFileError, match="must match the file name 'other'"):
        validate_framework_file(path)


def test_a_board_secretary_adds_a_framework_by_dropping_a_file(tmp_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("name: broken\ntitle: [\n", encoding="utf-8")
    infos = {info.name: info for info in available_frameworks(tmp_path)}
    assert infos["tiny"].error is None and infos["tiny"].questions == 1
    assert "not valid YAML" in (infos["broken"].error or "")
    assert "nhs-impact" in infos  # the packaged ones are still there
    assert load_framework("tiny", tmp_path).title == "A tiny framework"


def test_a_file_in_the_folder_replaces_the_packaged_one(tmp_path: Path) -> None:
    replacement = MINIMAL.replace("name: tiny", "name: nhs-impact").replace(
        "A tiny framework", "Our own wording"
    )
    (tmp_path / "nhs-impact.yaml").write_text(replacement, encoding="utf-8")
    assert load_framework("nhs-impact", tmp_path).title == "Our own wording"


def test_an_unknown_framework_names_the_known_ones() -> None:
    with pytest.raises(
        FrameworkFileError, match="Known frameworks: conditions-for-success, nhs-impact"
    ):
        load_framework("nhs-impakt")


def test_a_missing_frameworks_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FrameworkFileError, match="IMPACT_FRAMEWORKS_DIR"):
        available_frameworks(tmp_path / "nowhere")


def test_an_unquoted_yes_gets_a_hint_to_quote_it() -> None:
    [(line, message)] = _problems(MINIMAL.replace("label: High", "label: Yes"))
    assert line == 6 and "put it in quotes" in message
