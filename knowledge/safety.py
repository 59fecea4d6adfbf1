"""Spotting passages that try to instruct a model (prompt injection) so they can be flagged."""

from __future__ import annotations

import re

_PATTERNS = [
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(previous|prior|above|earlier|all|any|your)\b"
    r".{0,30}\b(instructions?|prompts?|rules|directions|guidelines|context)\b",
    r"\byou are now\b.{0,60}\b(assistant|ai|model|bot|chatgpt|dan)\b",
    r"\b(new|updated|revised|real)\s+(system\s+)?(instructions?|prompt)\s*[:\-]",
    r"\bsystem prompt\b",
    r"\b(do not|don't|never)\s+(tell|reveal|mention|cite)\b.{0,40}\b(user|sources?|instructions?)\b",
    r"\b(as an ai|language model)\b.{0,40}\b(must|should|will)\b",
    r"\b(respond|reply|answer)\s+only\s+with\b",
    r"\breveal\b.{0,30}\b(prompt|instructions?|secrets?|keys?|passwords?)\b",
    r"<\s*/?\s*(system|assistant|instructions?)\s*>",
]
_INJECTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE | re.DOTALL)


def looks_like_instructions(text: str) -> bool:
    """True when a passage reads as an instruction to an AI rather than as content."""
    return bool(_INJECTION.search(text))
