"""Facilitation frameworks as YAML files: the schema, the loader and line-numbered validation.

A framework is sections (for NHS IMPACT, its components) of questions, and a rating scale with
level descriptors. Packaged frameworks live in `prompts/frameworks/<name>.yaml`; a folder given as
`override_dir` (the `IMPACT_FRAMEWORKS_DIR` setting) is searched first, so a board secretary adds
or replaces a framework by dropping a file there. Every problem in a file is reported with its
line number.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

__all__ = [
    "Framework",
    "FrameworkFileError",
    "FrameworkInfo",
    "Level",
    "Problem",
    "Question",
    "RatingScale",
    "Section",
    "available_frameworks",
    "framework_path",
    "load_framework",
    "parse_framework",
    "validate_framework_file",
]

_SUFFIXES = (".yaml", ".yml")
_SLUG = r"^[a-z0-9][a-z0-9_.-]{0,63}$"
_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a framework file: where (1-based line, 0 = whole file) and what."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class FrameworkFileError(Exception):
    """A framework is missing, unreadable or invalid; `problems` says where and what."""

    def __init__(self, origin: str, problems: Sequence[Problem], hint: str = "") -> None:
        self.origin = origin
        self.problems = list(problems)
        first = "; ".join(str(p) for p in self.problems[:3])
        more = f" (and {len(self.problems) - 3} more)" if len(self.problems) > 3 else ""
        super().__init__(f"{origin}: {first}{more}" + (f" {hint}" if hint else ""))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Level(_Strict):
    """One point of the rating scale."""

    value: int
    label: str = Field(min_length=1)
    descriptor: str = Field(min_length=1)


class RatingScale(_Strict):
    """Ordered levels; `note` says where the labels come from (and whether they are official)."""

    name: str = "maturity"
    note: str = ""
    levels: list[Level] = Field(min_length=2, max_length=10)

    @field_validator("levels")
    @classmethod
    def _consecutive(cls, levels: list[Level]) -> list[Level]:
        values = [level.value for level in levels]
        if values != list(range(values[0], values[0] + len(values))):
            raise ValueError(
                f"level values must be consecutive whole numbers in order, e.g. 1, 2, 3 (got "
                f"{', '.join(str(v) for v in values)})"
            )
        return levels

    @property
    def min(self) -> int:
        return self.levels[0].value

    @property
    def max(self) -> int:
        return self.levels[-1].value

    def level(self, value: int) -> Level | None:
        """The level with this value, or None when it is outside the scale."""
        return next((lv for lv in self.levels if lv.value == value), None)

    def label(self, value: int | None) -> str:
        """'Level 2', or '2 (In places)' when the label does not already say the number."""
        level = None if value is None else self.level(value)
        if level is None:
            return "-"
        return level.label if str(value) in level.label else f"{value} ({level.label})"


class Question(_Strict):
    """One discussion question: what to ask, why, follow-up probes and what good looks like."""

    id: str = Field(pattern=_ID)
    text: str = Field(min_length=1)
    intent: str = Field(min_length=1)
    probes: list[str] = Field(default_factory=list)
    good_looks_like: list[str] = Field(min_length=1)
    evidence_query: str = Field(min_length=1)
    rated: bool = False


class Section(_Strict):
    """A group of questions; `components` (NHS IMPACT 1-5) scope the evidence searched for them."""

    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1)
    summary: str = ""
    components: list[str] = Field(default_factory=list)
    questions: list[Question] = Field(min_length=1)

    @field_validator("components", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return [str(v) for v in value] if isinstance(value, list) else value


class Framework(_Strict):
    """A facilitation framework, validated."""

    name: str = Field(pattern=_SLUG)
    title: str = Field(min_length=1)
    version: str = "1"
    description: str = ""
    sources: list[str] = Field(default_factory=list)
    scale: RatingScale
    sections: list[Section] = Field(min_length=1)

    def questions(
        self, sections: Sequence[str] | None = None
    ) -> Iterator[tuple[Section, Question]]:
        """(section, question) pairs in order, only of `sections` when given."""
        for section in self.sections:
            if sections is None or section.id in sections:
                for question in section.questions:
                    yield section, question

    def find(self, question_id: str) -> tuple[Section, Question] | None:
        return next(((s, q) for s, q in self.questions() if q.id == question_id), None)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)


@dataclass(frozen=True)
class FrameworkInfo:
    """A framework as `impact frameworks list` shows it (an invalid file has `error` set)."""

    name: str
    title: str
    origin: str
    sections: int = 0
    questions: int = 0
    error: str | None = None


# -- parsing and validation ---------------------------------------------------------------------
def parse_framework(text: str, origin: str, name: str | None = None) -> Framework:
    """A Framework from YAML text; every problem is reported with its line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise FrameworkFileError(
            origin, [Problem(line, f"not valid YAML: {exc.problem or exc.context}")]
        ) from exc
    except yaml.YAMLError as exc:
        raise FrameworkFileError(origin, [Problem(0, f"not valid YAML: {exc}")]) from exc
    if root is None or not isinstance(data, dict):
        raise FrameworkFileError(
            origin,
            [Problem(1, "a framework file is a YAML mapping with name, title, scale and sections")],
        )
    problems = _duplicate_keys(root)
    if name is not None:
        given = data.get("name")
        if given is None:
            data["name"] = name
        elif given != name:
            problems.append(
                Problem(_line(root, ("name",)), f"name {given!r} must match the file name {name!r}")
            )
    framework: Framework | None = None
    try:
        framework = Framework.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            message = _message(loc, err["msg"])
            if err["type"] == "string_type" and isinstance(err.get("input"), bool):
                message += " (YAML reads an unquoted yes/no/on/off as true/false: put it in quotes)"
            problems.append(Problem(_line(root, loc), message))
    problems.extend(_semantic_problems(data, root))
    if problems:
        raise FrameworkFileError(origin, sorted(problems, key=lambda p: p.line))
    assert framework is not None
    return framework


def _message(loc: tuple[Any, ...], msg: str) -> str:
    where = ".".join(str(p) for p in loc) or "file"
    msg = msg.replace("Value error, ", "")
    if msg == "Field required":
        return f"{where}: required, but missing"
    if msg == "Extra inputs are not permitted":
        return f"{where}: unknown field (check the spelling)"
    return f"{where}: {msg}"


def _semantic_problems(data: dict[str, Any], root: yaml.Node) -> list[Problem]:
    """Ids used twice (checked on the raw data, so they are reported with any other problem)."""
    problems: list[Problem] = []
    seen_sections: set[str] = set()
    seen_questions: set[str] = set()
    sections = data.get("sections")
    for i, section in enumerate(sections if isinstance(sections, list) else []):
        if not isinstance(section, dict):
            continue
        sid = section.get("id")
        if isinstance(sid, str | int) and str(sid) in seen_sections:
            problems.append(
                Problem(_line(root, ("sections", i, "id")), f"section id {sid!r} is used twice")
            )
        seen_sections.add(str(sid))
        questions = section.get("questions")
        for j, question in enumerate(questions if isinstance(questions, list) else []):
            qid = question.get("id") if isinstance(question, dict) else None
            if qid is None:
                continue
            if str(qid) in seen_questions:
                problems.append(
                    Problem(
                        _line(root, ("sections", i, "questions", j, "id")),
                        f"question id {qid!r} is used twice (ids are unique in a framework)",
                    )
                )
            seen_questions.add(str(qid))
    return problems


def _duplicate_keys(node: yaml.Node) -> list[Problem]:
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    problems.append(
                        Problem(key.start_mark.line + 1, f"{key.value!r} is given twice here")
                    )
                seen.add(key.value)
            problems.extend(_duplicate_keys(value))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            problems.extend(_duplicate_keys(item))
    return problems


def _line(root: yaml.Node, loc: tuple[Any, ...]) -> int:
    """The 1-based line of the deepest node on `loc` that exists (its parent for a missing key)."""
    node = root
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    child = value if not isinstance(value, yaml.ScalarNode) else key
                    if isinstance(value, yaml.ScalarNode):
                        return key.start_mark.line + 1
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            child = node.value[part]
        if child is None:
            break
        node = child
    return node.start_mark.line + 1


# -- finding files ------------------------------------------------------------------------------
def _packaged_dir() -> Path:
    return Path(str(resources.files(__name__.rsplit(".", 1)[0]).joinpath("frameworks")))


def _files(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.iterdir()) if p.is_file() and p.suffix in _SUFFIXES}


def _check_dir(override_dir: Path | None) -> Path | None:
    if override_dir is None:
        return None
    folder = Path(override_dir).expanduser()
    if not folder.is_dir():
        raise FrameworkFileError(
            str(folder),
            [Problem(0, "the frameworks folder does not exist or is not a folder")],
            "Create it or unset IMPACT_FRAMEWORKS_DIR.",
        )
    return folder


def _all_files(override_dir: Path | None) -> dict[str, Path]:
    files = _files(_packaged_dir())
    folder = _check_dir(override_dir)
    if folder is not None:
        files.update(_files(folder))  # a file in the folder replaces a packaged one
    return files


def framework_path(name: str, override_dir: Path | None = None) -> Path:
    """The file that `load_framework(name)` reads."""
    files = _all_files(override_dir)
    stem = Path(name).stem if Path(name).suffix in _SUFFIXES else name
    if stem not in files:
        known = ", ".join(sorted(files)) or "none"
        raise FrameworkFileError(
            name, [Problem(0, f"no framework called {name!r}")], f"Known frameworks: {known}."
        )
    return files[stem]


def validate_framework_file(path: Path) -> Framework:
    """Read and validate one framework file (its name is its file name)."""
    path = Path(path)
    if path.suffix not in _SUFFIXES:
        raise FrameworkFileError(str(path), [Problem(0, "a framework file ends in .yaml or .yml")])
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise FrameworkFileError(str(path), [Problem(0, "no such file")]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkFileError(
            str(path), [Problem(0, f"cannot be read ({exc.__class__.__name__}): save it as UTF-8")]
        ) from exc
    return parse_framework(text, str(path), name=path.stem)


def load_framework(name: str, override_dir: Path | None = None) -> Framework:
    """The framework called `name`, from `override_dir` first, else packaged."""
    return validate_framework_file(framework_path(name, override_dir))


def available_frameworks(override_dir: Path | None = None) -> list[FrameworkInfo]:
    """Every framework file that can be found; one that does not validate carries its error."""
    infos = []
    for stem, path in sorted(_all_files(override_dir).items()):
        origin = str(path)
        try:
            fw = validate_framework_file(path)
        except FrameworkFileError as exc:
            infos.append(FrameworkInfo(stem, "", origin, error=str(exc)))
            continue
        count = sum(1 for _ in fw.questions())
        infos.append(FrameworkInfo(fw.name, fw.title, origin, len(fw.sections), count))
    return infos
