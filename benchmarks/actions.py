"""Action notes drafted from board notes: precision, recall, owner and due-date accuracy.

Data: benchmarks/data/action_notes.yaml, 65 realistic board notes with the actions a board
secretary would log (owner, due), written before the extractor existed. A fixed random split
(seed 2025) gives a development half, used while writing the rules, and a test half, reported
here and never tuned on. `--split dev` shows the development figures; `--show` lists every
miss and false action of the chosen split.

Scoring: a drafted action matches an expected one when its source quote contains the expected
anchor phrase (case and spacing ignored), one to one, in order. Precision = matched drafts / all
drafts; recall = matched expected / all expected. Owner and due-date accuracy are over matched
pairs: owners compared case-insensitively without a leading "the"; "no owner" must match "no
owner" (a guessed owner is wrong), and likewise for dates. "Quiet notes" = notes with no
commitment that produced no draft.

Same-run baseline (the issue's): every sentence with "will", or "to" followed by a word that is
not a determiner or "be", is an action; its owner is the words before that trigger (up to five)
and its due date the first absolute date in the sentence (relative dates are not resolved).

    .venv/bin/python benchmarks/actions.py [--split test|dev|all] [--show]

Prints a table and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.actions import extract_actions, normalise_space  # noqa: E402
from assistant.duedates import absolute_due  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "action_notes.yaml"
SEED = 2025
DEV_SIZE = 33


@dataclass(frozen=True)
class Predicted:
    quote: str
    owner: str | None
    due: date | None


def load_notes() -> list[dict[str, Any]]:
    notes = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    for note in notes:
        flat = normalise_space(note["text"]).lower()
        for action in note["actions"]:
            if normalise_space(action["anchor"]).lower() not in flat:
                raise SystemExit(f"{note['id']}: anchor {action['anchor']!r} is not in the note")
    return notes


def split(notes: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    ids = [n["id"] for n in notes]
    dev = set(random.Random(SEED).sample(ids, DEV_SIZE))
    return {
        "dev": [n for n in notes if n["id"] in dev],
        "test": [n for n in notes if n["id"] not in dev],
    }


# -- the two systems ----------------------------------------------------------------------------
def rules(note: dict[str, Any]) -> list[Predicted]:
    drafts = extract_actions(
        note["text"], note["meeting"], note.get("next_board"), note.get("participants") or ()
    )
    return [Predicted(d.quote, d.owner, d.due) for d in drafts]


_TRIGGER = re.compile(
    r"\bwill\b|\bto\s+(?!(?:the|a|an|be|our|their|his|her|its|this|that|these|those|all|each|"
    r"every|some|any|\d)\b)[a-z]+",
    re.I,
)


def baseline(note: dict[str, Any]) -> list[Predicted]:
    out = []
    text = " ".join(line.strip() for line in note["text"].splitlines())
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        match = _TRIGGER.search(sentence)
        if not match:
            continue
        before = sentence[: match.start()].split()[-5:]
        due = absolute_due(sentence, note["meeting"])
        out.append(Predicted(normalise_space(sentence), " ".join(before) or None, due and due.date))
    return out


# -- scoring ----------------------------------------------------------------------------------
def _owner_key(owner: str | None) -> str | None:
    if owner is None:
        return None
    key = normalise_space(owner).casefold()
    return re.sub(r"^the\s+", "", key)


def score(notes: list[dict[str, Any]], system, show: bool = False) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    predicted = expected = matched = owners_ok = dues_ok = quiet = quiet_ok = 0
    for note in notes:
        drafts = system(note)
        predicted += len(drafts)
        expected += len(note["actions"])
        if not note["actions"]:
            quiet += 1
            quiet_ok += not drafts
        used: set[int] = set()
        for want in note["actions"]:
            anchor = normalise_space(want["anchor"]).casefold()
            hit = next(
                (
                    i
                    for i, d in enumerate(drafts)
                    if i not in used and anchor in normalise_space(d.quote).casefold()
                ),
                None,
            )
            if hit is None:
                if show:
                    print(f"  MISS  {note['id']}: {want['anchor']!r}")
                continue
            used.add(hit)
            matched += 1
            got = drafts[hit]
            owner_ok = _owner_key(got.owner) == _owner_key(want["owner"])
            due_ok = got.due == want["due"]
            owners_ok += owner_ok
            dues_ok += due_ok
            if show and not (owner_ok and due_ok):
                print(
                    f"  WRONG {note['id']}: {want['anchor']!r} owner {got.owner!r} "
                    f"(want {want['owner']!r}), due {got.due} (want {want['due']})"
                )
        if show:
            for i, d in enumerate(drafts):
                if i not in used:
                    print(f"  EXTRA {note['id']}: {d.quote!r} (owner {d.owner!r}, due {d.due})")
    return {
        "notes": len(notes),
        "expected": expected,
        "drafted": predicted,
        "matched": matched,
        "precision": round(matched / predicted, 3) if predicted else 0.0,
        "recall": round(matched / expected, 3) if expected else 0.0,
        "owner_accuracy": round(owners_ok / matched, 3) if matched else 0.0,
        "due_accuracy": round(dues_ok / matched, 3) if matched else 0.0,
        "quiet_notes_kept_quiet": f"{quiet_ok}/{quiet}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("test", "dev", "all"), default="test")
    parser.add_argument("--show", action="store_true", help="list misses and extra drafts")
    args = parser.parse_args()
    notes = load_notes()
    parts = split(notes)
    chosen = notes if args.split == "all" else parts[args.split]
    print(f"{len(notes)} notes: {len(parts['dev'])} development, {len(parts['test'])} test")
    print(f"reporting the {args.split} split ({len(chosen)} notes)")

    started = time.perf_counter()
    if args.show:
        print("\nrules:")
    ours = score(chosen, rules, args.show)
    elapsed_ms = (time.perf_counter() - started) * 1000
    if args.show:
        print("\nbaseline:")
    base = score(chosen, baseline, args.show)

    keys = [
        "drafted",
        "matched",
        "precision",
        "recall",
        "owner_accuracy",
        "due_accuracy",
        "quiet_notes_kept_quiet",
    ]
    width = max(len(k) for k in keys)
    print(f"\n{'':{width}}  {'rules':>10}  {'baseline':>10}")
    print(f"{'expected actions':{width}}  {ours['expected']:>10}  {base['expected']:>10}")
    for key in keys:
        print(f"{key:{width}}  {ours[key]!s:>10}  {base[key]!s:>10}")
    print(f"\nrules: {elapsed_ms / max(len(chosen), 1):.2f} ms per note")
    print(json.dumps({"split": args.split, "rules": ours, "baseline": base}, default=str))


if __name__ == "__main__":
    main()
