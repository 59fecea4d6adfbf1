"""Every text the assistant sends to a model: prompt templates as files, loaded through one function.

Templates live in `prompts/templates/<name>.md`. A folder given as `override_dir` (the
`IMPACT_PROMPTS_DIR` setting) is searched first, so an organisation can reword a prompt by
dropping a file of the same name there. Variables are written `{name}`; `{{name}}` gives a
literal `{name}`; any other brace is left alone, so templates can hold JSON or code examples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

__all__ = [
    "Intent",
    "IntentError",
    "Prompt",
    "PromptError",
    "available_prompts",
    "load_calibration",
    "load_intents",
    "load_prompt",
]

_SUFFIX = ".md"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
# `{{name}}` (a literal) is matched first so that it is never read as a variable.
_PLACEHOLDER = re.compile(r"\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


class PromptError(Exception):
    """A prompt file is missing or unreadable, or a template was rendered without a variable."""


@dataclass(frozen=True)
class Prompt:
    """One prompt template: its name, where it was read from and its text."""

    name: str
    text: str
    origin: str

    @property
    def variables(self) -> frozenset[str]:
        """The names of the `{variables}` the template needs."""
        return frozenset(m.group(2) for m in _PLACEHOLDER.finditer(self.text) if m.group(2))

    def render(self, **variables: object) -> str:
        """Fill in the `{variables}` in one pass (values are never re-expanded); extras are ignored."""
        missing = sorted(self.variables - variables.keys())
        if missing:
            raise PromptError(
                f"prompt '{self.name}' ({self.origin}) needs variable(s) {', '.join(missing)}; "
                f"given: {', '.join(sorted(variables)) or 'none'}"
            )

        def fill(match: re.Match[str]) -> str:
            if match.group(1):
                return "{" + match.group(1) + "}"
            return str(variables[match.group(2)])

        return _PLACEHOLDER.sub(fill, self.text)


def _packaged() -> dict[str, str]:
    folder = resources.files(__name__).joinpath("templates")
    return {
        entry.name[: -len(_SUFFIX)]: entry.name
        for entry in folder.iterdir()
        if entry.is_file() and entry.name.endswith(_SUFFIX)
    }


def _check_dir(override_dir: Path | None) -> Path | None:
    if override_dir is None:
        return None
    folder = Path(override_dir).expanduser()
    if not folder.is_dir():
        raise PromptError(
            f"the prompts folder {folder} does not exist or is not a folder: "
            "create it or unset IMPACT_PROMPTS_DIR"
        )
    return folder


def available_prompts(override_dir: Path | None = None) -> list[str]:
    """Names of the prompts that `load_prompt` can find, packaged and overridden."""
    names = set(_packaged())
    folder = _check_dir(override_dir)
    if folder is not None:
        names.update(p.stem for p in folder.glob(f"*{_SUFFIX}") if p.is_file())
    return sorted(names)


def load_prompt(name: str, override_dir: Path | None = None) -> Prompt:
    """The prompt called `name` (e.g. "answer_system"), from `override_dir` first, else packaged."""
    stem = name[: -len(_SUFFIX)] if name.endswith(_SUFFIX) else name
    folder = _check_dir(override_dir)
    if not _NAME.match(stem):
        raise PromptError(
            f"'{name}' is not a prompt name: use one of {', '.join(available_prompts(folder))}"
        )
    filename = stem + _SUFFIX
    if folder is not None and (folder / filename).is_file():
        path = folder / filename
        try:
            return Prompt(stem, path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError) as exc:
            raise PromptError(
                f"cannot read prompt file {path} ({exc.__class__.__name__}): "
                "save it as UTF-8 text, or remove it to use the packaged prompt"
            ) from exc
    if stem in _packaged():
        resource = resources.files(__name__).joinpath("templates").joinpath(filename)
        return Prompt(stem, resource.read_text(encoding="utf-8"), f"packaged {filename}")
    where = (
        f"{folder} or the packaged templates" if folder is not None else "the packaged templates"
    )
    raise PromptError(
        f"no prompt file {filename} in {where}: "
        f"valid names are {', '.join(available_prompts(folder))}"
    )


from prompts.intents import Intent, IntentError, load_intents  # noqa: E402


def load_calibration(name: str) -> dict:
    """A calibration file (prompts/calibration/<name>.yaml): weights and thresholds, as data."""
    from prompts.yamlfiles import load_yaml

    text = resources.files(__name__).joinpath("calibration").joinpath(f"{name}.yaml")
    return load_yaml(text.read_text(encoding="utf-8")) or {}
