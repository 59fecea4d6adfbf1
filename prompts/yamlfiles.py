"""Reading the YAML data files that ship in prompts/ (intents, calibration, gap exemplars)."""

from __future__ import annotations

from typing import Any

import yaml

# libyaml's parser when PyYAML has it (its wheels do): a tenth of the pure-Python parser's time,
# which every new `impact ask` pays for the files it reads.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """The data in a YAML text, read with a safe loader (raises yaml.YAMLError when invalid)."""
    return yaml.load(text, Loader=_Loader)
