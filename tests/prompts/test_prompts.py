"""Prompt templates are files, found through one function and overridable from a folder."""

from __future__ import annotations

from pathlib import Path

import pytest

import prompts
from prompts import Prompt, PromptError, available_prompts, load_prompt

PACKAGED = {"answer_system", "answer_user", "condense"}


def test_the_packaged_templates_are_found() -> None:
    assert set(available_prompts()) >= PACKAGED
    for name in PACKAGED:
        prompt = load_prompt(name)
        assert prompt.name == name and prompt.origin == f"packaged {name}.md"
        assert prompt.text.strip()


def test_each_packaged_template_needs_the_variables_the_code_gives_it() -> None:
    assert load_prompt("answer_system").variables == frozenset()
    assert load_prompt("answer_user").variables == {"question", "evidence"}
    assert load_prompt("condense").variables == {"history", "question"}


def test_the_answer_prompts_say_what_the_board_relies_on() -> None:
    system = load_prompt("answer_system").render().lower()
    for phrase in ("only", "[1]", "does not cover", "150 words", "untrusted", "never reveal"):
        assert phrase in system
    user = load_prompt("answer_user").render(question="Q?", evidence='<evidence n="1">x</evidence>')
    assert "<untrusted_evidence>\n<evidence" in user and user.count("</untrusted_evidence>") == 1


def test_a_name_may_be_given_with_its_suffix() -> None:
    assert load_prompt("condense.md").text == load_prompt("condense").text


def test_the_override_folder_wins(tmp_path: Path) -> None:
    (tmp_path / "condense.md").write_text("Make {question} stand alone.", encoding="utf-8")
    prompt = load_prompt("condense", tmp_path)
    assert prompt.origin == str(tmp_path / "condense.md")
    assert prompt.render(question="it") == "Make it stand alone."
    assert load_prompt("answer_user", tmp_path).origin == "packaged answer_user.md"


def test_an_override_folder_may_add_prompts(tmp_path: Path) -> None:
    (tmp_path / "summarise_component.md").write_text("Summarise {component}.", encoding="utf-8")
    assert "summarise_component" in available_prompts(tmp_path)
    assert load_prompt("summarise_component", tmp_path).render(component="4") == "Summarise 4."


def test_a_missing_prompt_names_the_file_and_the_valid_names() -> None:
    with pytest.raises(PromptError) as caught:
        load_prompt("answer_sytem")
    message = str(caught.value)
    assert "answer_sytem.md" in message
    assert "answer_system, answer_user, condense" in message


@pytest.mark.parametrize("name", ["../secrets", "templates/condense", "", ".hidden"])
def test_a_name_that_is_not_a_plain_name_is_refused(name: str) -> None:
    with pytest.raises(PromptError, match="not a prompt name"):
        load_prompt(name)


def test_a_missing_override_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(PromptError, match="does not exist.*IMPACT_PROMPTS_DIR"):
        load_prompt("condense", tmp_path / "nowhere")


def test_an_override_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    (tmp_path / "condense.md").write_bytes(b"caf\xe9 {question}")
    with pytest.raises(PromptError, match="condense.md.*UTF-8"):
        load_prompt("condense", tmp_path)


def test_a_missing_variable_is_named() -> None:
    with pytest.raises(PromptError) as caught:
        load_prompt("answer_user").render(question="Q?")
    assert "needs variable(s) evidence" in str(caught.value)
    assert "answer_user" in str(caught.value)


def test_rendering_fills_each_variable_once_and_leaves_other_braces() -> None:
    prompt = Prompt("t", 'Q: {question} | JSON: {"a": 1} | literal {{question}} | {x}', "test")
    assert prompt.variables == {"question", "x"}
    text = prompt.render(question="{x}", x="X", unused="ignored")
    assert text == 'Q: {x} | JSON: {"a": 1} | literal {question} | X'


def test_the_package_names_its_public_surface() -> None:
    assert set(prompts.__all__) == {
        "Intent",
        "IntentError",
        "Prompt",
        "PromptError",
        "available_prompts",
        "load_calibration",
        "load_intents",
        "load_prompt",
    }
