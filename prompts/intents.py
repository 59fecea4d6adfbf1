"""Intent exemplars: example messages per kind of request, kept as YAML files in prompts/intents/.

Each file names an intent, says whether the assistant answers or declines it (with the reason
it gives), lists `examples` that teach the classifier and `held_out` examples that only
evaluate it. A folder given as `override_dir` is read instead of the packaged one.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from prompts.yamlfiles import load_yaml

__all__ = ["Intent", "IntentError", "load_intents"]


ACTIONS = ("answer", "decline", "own-documents", "own-papers-only")


class IntentError(Exception):
    """An intent file is missing a field or is not valid YAML."""


@dataclass(frozen=True)
class Intent:
    name: str
    # "answer", "decline", "own-documents" (a question about "our" figures: answered only from
    # the user's papers) or "own-papers-only" (answered only from the user's papers, "our" or not)
    action: str
    reason: str
    examples: tuple[str, ...]
    held_out: tuple[str, ...]


def _parse(text: str, origin: str) -> Intent:
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise IntentError(f"{origin}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict) or not data.get("name") or not data.get("examples"):
        raise IntentError(f"{origin}: needs `name` and a list of `examples`")
    action = data.get("action", "decline")
    if action not in ACTIONS:
        raise IntentError(f"{origin}: `action` must be one of {', '.join(ACTIONS)}, not {action!r}")
    if action != "answer" and not data.get("reason"):
        raise IntentError(f"{origin}: a declined intent needs a `reason` to show the user")
    return Intent(
        name=str(data["name"]),
        action=action,
        reason=str(data.get("reason", "")),
        examples=tuple(str(e) for e in data["examples"]),
        held_out=tuple(str(e) for e in data.get("held_out") or ()),
    )


def load_intents(override_dir: Path | None = None) -> list[Intent]:
    """Every intent, sorted by name: from `override_dir/intents` if it exists, else packaged."""
    if override_dir is not None and (Path(override_dir) / "intents").is_dir():
        files = sorted((Path(override_dir) / "intents").glob("*.yaml"))
        return [_parse(f.read_text(encoding="utf-8"), str(f)) for f in files]
    folder = resources.files(__package__ or "prompts").joinpath("intents")
    entries = sorted(
        (e for e in folder.iterdir() if e.name.endswith(".yaml")), key=lambda e: e.name
    )
    return [_parse(e.read_text(encoding="utf-8"), f"packaged intents/{e.name}") for e in entries]
