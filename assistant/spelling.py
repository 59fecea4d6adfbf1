"""Misspelt words in a question read as the knowledge base's own words ("diagarm" as "diagram").

A word is corrected only when it is neither in the tenant's passages as written (nor with a
general English ending added to their word: "prioritises" where they say "prioritise") nor an
English word (pyspellchecker's word list: "fever" or "maternity" missing
from the passages is a fact about the question, not a typo), and one word the passages do use is
close to it in spelling: one slip (a letter added, dropped, changed or two swapped), or two in
a word of nine letters or more. The replacement always comes from the knowledge base's own
vocabulary. A capitalised word is corrected the same way and keeps its capital ("Natonal
Improvment Board" reads as "National Improvement Board"), and must be in the passages as
written, not only by its stem; a name the passages lack that is an English word or no slip away
from one of theirs is left as written. Acronyms, short words and
numbers are left alone.
"""

from __future__ import annotations

import difflib
import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.questions import ACRONYM, MONTH_NAMES, PREPOSITIONS, STOPWORDS, english, stems

if TYPE_CHECKING:
    from knowledge import KnowledgeBase

__all__ = ["Correction", "Speller"]

MIN_LENGTH = 5  # shorter words have too many close neighbours to correct safely
MONTH_ALONE = True  # a month in a question typed in small letters is capitalised on its own
_MONTHS = frozenset(m.lower() for m in MONTH_NAMES) - STOPWORDS  # ("may" is a word too)
SIMILARITY = 0.8  # difflib ratio a vocabulary word needs (one or two letters off)
# A slip no word of the passages is close to is read as the English word one slip away whose
# stem they use ("chiared": "chaired" beside their "chair"; own14 +1 fact)
STEM_SLIPS = True
LONG_WORD = 9  # from this length a word may be two edits off its correction; shorter, one
_WORD = re.compile(r"[A-Za-z][a-z]+")
_VOCAB_WORD = re.compile(r"[a-z]{4,}")
_NAME_WORD = re.compile(r"\b[A-Za-z][a-z'-]{2,}\b")
# Two to six capitalised words, with small joining words between them ("of", "in", "and", "for")
# and perhaps an acronym inside ("East London NHS Foundation Trust")
_SPELT_NAME = re.compile(
    r"\b[A-Z][a-z]+(?:\s+(?:(?:of|in|and|for|the)\s+)?(?:[A-Z][a-z]+|[A-Z]{2,5}(?=\s+[A-Z])))"
    r"{1,5}\b"
)


@dataclass(frozen=True)
class Correction:
    text: str  # the question with its misspelt words replaced
    changes: tuple[tuple[str, str], ...]  # (as written, as read)

    def notice(self) -> str | None:
        if not self.changes:
            return None
        read = ", ".join(f"\u201c{a}\u201d as \u201c{b}\u201d" for a, b in self.changes)
        return f"Read {read}."


@dataclass(frozen=True)
class _Tables:
    by_length: dict[int, list[tuple[str, int]]]  # the passages' words by length, with counts
    words: frozenset[str]  # the passages' words as written
    names: dict[str, str]  # words only ever written with a capital: small letters -> written
    spelt: dict[str, str]  # initials -> the name of capitalised words they spell


class Speller:
    """The visible passages' vocabulary, rebuilt when the catalog changes."""

    def __init__(self, kb: KnowledgeBase, tenants: Sequence[str]) -> None:
        self.kb = kb
        self.tenants = list(tenants)
        self._lock = threading.Lock()
        self._tables: tuple[int, _Tables] | None = None

    def _vocabulary(self) -> dict[int, list[tuple[str, int]]]:
        """The passages' words by length, with how often each is used."""
        return self._built().by_length

    def _words(self) -> frozenset[str]:
        """The passages' words as written, to look one up at once."""
        return self._built().words

    def _name_words(self) -> dict[str, str]:
        """The words the passages only ever write with a capital ("Shah", "Fillingham"), in
        small letters, with their written form."""
        return self._built().names

    def _spelt_out(self) -> dict[str, str]:
        """Names of two to six capitalised words in the passages ("Early Intervention in
        Psychosis"), by the capitals of their initials ("EIP"): the most used name for each."""
        return self._built().spelt

    def _built(self) -> _Tables:
        """The tables above, from one read of the visible passages, again only when the catalog
        has changed."""
        generation = self.kb.catalog.generation()
        with self._lock:
            if self._tables is None or self._tables[0] != generation:
                counts: Counter[str] = Counter()
                capital: dict[str, str] = {}
                small: set[str] = set()
                named: Counter[str] = Counter()
                for row in self.kb.catalog.iter_index_rows(tenants=self.tenants):
                    counts.update(_VOCAB_WORD.findall(row.text.lower()))
                    for word in _NAME_WORD.findall(row.text):
                        if word[0].isupper():
                            capital.setdefault(word.lower(), word)
                        else:
                            small.add(word)
                    named.update(m.group(0) for m in _SPELT_NAME.finditer(row.text))
                by_length: dict[int, list[tuple[str, int]]] = {}
                for word, n in counts.items():
                    by_length.setdefault(len(word), []).append((word, n))
                spelt: dict[str, str] = {}
                for name, _ in named.most_common():
                    initials = "".join(w[0] for w in name.split() if w[0].isupper())
                    spelt.setdefault(initials, name)
                    # a short form may leave out the acronym inside the name ("ELFT")
                    inner = "".join(
                        w[0] for w in name.split() if w[0].isupper() and w[1:].islower()
                    )
                    spelt.setdefault(inner, name)
                names = {w: c for w, c in capital.items() if w not in small}
                self._tables = (generation, _Tables(by_length, frozenset(counts), names, spelt))
            return self._tables[1]

    def spell_out(self, text: str) -> str:
        """The question with each acronym no passage uses followed by the name the passages
        write whose initials it is ("What was EIP performance?" -> "What was EIP (Early
        Intervention in Psychosis) performance?"), so that the passages that say it are found."""
        acronyms = [a for a in dict.fromkeys(ACRONYM.findall(text))]
        if not acronyms:
            return text
        freq, _ = self.kb.lexical.doc_freq(" ".join(acronyms), self.tenants)
        spelt = self._spelt_out()
        out = text
        for acronym in acronyms:
            tokens = self.kb.lexical.tokens(acronym)
            name = spelt.get(acronym)
            if name and tokens and all(freq.get(t, 0) == 0 for t in tokens):
                out = re.sub(rf"\b{acronym}\b", f"{acronym} ({name})", out, count=1)
        return out

    def recase(self, text: str) -> str:
        """A question typed all in small letters ("who is amar shah") with the names the
        passages write with capitals written so ("who is Amar Shah"): two or more such words in
        a row, none of them a stop word, so that one word that happens to open sentences is
        left alone."""
        if any(ch.isupper() for ch in text):
            return text
        names = self._name_words()
        runs: list[list[re.Match[str]]] = [[]]
        months: list[re.Match[str]] = []
        before = ""  # the word before ("in" of "in may")
        for m in re.finditer(r"[a-z][a-z'-]*", text):
            word = m.group(0)
            month = word in _MONTHS or word == "may" and before in PREPOSITIONS
            before = re.findall(r"[a-z]+", word)[-1]
            if MONTH_ALONE and month:
                # "the september quality and safety committee": a month is written with its
                # capital, and is no part of the name after it ("September Quality ..."); "may"
                # is one after a preposition ("in may", "end of may"), not after "we"
                months.append(m)
                runs.append([])
            elif word not in names or word in STOPWORDS:
                runs.append([])
            elif runs[-1] and text[runs[-1][-1].end() : m.start()].strip():
                runs.append([m])  # a comma or a dash between them: a new run
            else:
                runs[-1].append(m)
        out = text
        for m in months:
            out = out[: m.start()] + m.group(0).capitalize() + out[m.end() :]
        for run in (r for r in runs if len(r) >= 2):
            for m in run:  # the same length, so the places of the others stay right
                out = out[: m.start()] + names[m.group(0)] + out[m.end() :]
        return out

    def _unknown(self, words: list[str]) -> list[str]:
        """The words no visible passage holds: by the lexical index's own analysis, and as
        written, give or take an ending ("componant" shares the stem of "component" but no
        passage writes it; "prioritises" is their "prioritise" with an ending). A name is
        looked up the same way ("Improvment Board" shares a stem with "Improvement Board", but
        no passage mentions it)."""
        lexical = self.kb.lexical
        freq, _ = lexical.doc_freq(" ".join(words), self.tenants)
        known = self._words()
        out = []
        for word in words:
            tokens = lexical.tokens(word)
            low = word.lower()
            as_written = any(form in known for form in _forms(low))
            if tokens and (all(freq.get(t, 0) == 0 for t in tokens) or not as_written):
                out.append(word)
        return out

    def correct(self, text: str) -> Correction:
        asked = _question_word(text)
        if asked is not None:
            # "wat are the 5 componants ...": the slip of a question word, read as it
            fixed = self.correct(text.replace(asked[0], asked[1], 1))
            return Correction(fixed.text, ((asked[0], asked[1]), *fixed.changes))
        candidates = [
            m.group(0)
            for m in _WORD.finditer(text)
            if m.group(0)[1:].islower() and len(m.group(0)) >= MIN_LENGTH
        ]
        shortened = self._shortened(text)
        if not candidates:
            return _applied(text, shortened)
        unknown = self._unknown(list(dict.fromkeys(candidates)))
        if unknown:
            words_en = english()  # loaded on the first word the knowledge base lacks
            unknown = [w for w in unknown if w.lower() in words_en.unknown([w])]
        if not unknown:
            return _applied(text, shortened)
        vocab = self._vocabulary()
        changes: list[tuple[str, str]] = list(shortened)
        for word in unknown:
            best = _closest(word.lower(), vocab)
            if best is None and STEM_SLIPS and word.islower():
                best = self._slip_of_stem(word, words_en)
            if best is not None and word[0].isupper() and _edits(word.lower(), best) > 1:
                continue  # a name is one slip from the passages' word or is someone else's
                # ("Wes Streeting" is not "Treating")
            if best is not None and best not in STOPWORDS:
                # a slip of a content word is another content word: "intro" is not "into"
                changes.append((word, best.capitalize() if word[0].isupper() else best))
        return _applied(text, changes)

    def _slip_of_stem(self, word: str, english: Any) -> str | None:
        """The English word one slip from `word` whose stem the passages use, when no word they
        write is that close: "chiared" read as "chaired" where the passages write only "chair"
        and "chairs" ("chirred", also one slip away, is no word of theirs). The most common in
        English when several are."""
        # the same length: two letters swapped or one changed ("statin" is not "stating" with
        # a letter dropped, but a drug the question names)
        options = [
            c
            for c in english.candidates(word) or ()
            if c != word and len(c) == len(word) and _edits(word, c) <= 1
        ]
        if not options:
            return None
        lexical = self.kb.lexical
        freq, _ = lexical.doc_freq(" ".join(options), self.tenants)
        held = [
            c
            for c in options
            if (tokens := lexical.tokens(c)) and all(freq.get(t, 0) > 0 for t in tokens)
        ]
        return max(held, key=english.word_usage_frequency) if held else None

    def _shortened(self, text: str) -> list[tuple[str, str]]:
        """(as written, as read) for each word typed short that no passage uses ("chief exec"):
        a rare English word, or none, of three to six small letters that begins words of the
        passages which all share one stem ("executive", "executives"): read as the shortest of
        them. A common word ("car"), a word that a passage's word extends by an English ending
        ("clinic" of "clinicians") or a start shared by words of different stems ("dev":
        "development", "devolved") is left as written."""
        words = [
            w
            for w in dict.fromkeys(_SHORT.findall(text))
            if w not in STOPWORDS and not any(f in self._words() for f in _forms(w))
        ]
        if not words:
            return []
        words_en = english()
        out = []
        for word in words:
            if words_en.word_usage_frequency(word) > COMMON_SHORT:
                continue
            longer = [
                (n, candidate)
                for length, entries in self._vocabulary().items()
                if length >= len(word) + 3
                for candidate, n in entries
                if candidate.startswith(word)
            ]
            if any(c[len(word) :] in _SUFFIXES for _, c in longer):
                continue  # "clinic" of "clinicians": a word of its own, not one typed short
            if longer and len({tuple(stems(c)) for _, c in longer}) == 1:
                out.append((word, min(longer, key=lambda p: (len(p[1]), -p[0]))[1]))
        return out


def _applied(text: str, changes: Sequence[tuple[str, str]]) -> Correction:
    corrected = text
    for wrong, right in changes:
        corrected = re.sub(rf"\b{re.escape(wrong)}\b", right, corrected)
    return Correction(corrected, tuple(changes))


# General English endings that make a longer word of a whole one ("clinic" -> "clinicians",
# "ward" -> "wardens"): a word they extend was typed in full, not short ("exec" -> "executive").
_SUFFIXES = frozenset((
    "s", "es", "ed", "ing", "er", "ers", "en", "ens", "an", "ans", "ian", "ians", "al", "als",
    "ally", "ic", "ics", "ical", "ist", "ists", "ism", "ity", "ities", "ness", "ment", "ments",
    "ly", "ship", "ships",
))  # fmt: skip
# a word typed short: three to six small letters ("exec", "info")
_SHORT = re.compile(r"(?<![\w'-])[a-z]{3,6}(?![\w'-])")


# A short word used this often in English stands on its own, not typed short: "net" (8.8e-6, as in
# "net zero") is not "network"; "exec" (5.9e-7) is typed short for "executive"
COMMON_SHORT = 5e-6
COMMON_WORD = (
    1e-5  # an English word this frequent is not taken for a slip ("hat" 2.7e-5, "wat" 4e-7)
)
_QUESTION_WORDS = ("what", "which", "who", "when", "where", "why", "how")
# what follows a question word that opens a question: a verb of asking, or its subject's article
_ASKING_NEXT = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "do",
        "does",
        "did",
        "can",
        "could",
        "should",
        "would",
        "will",
        "has",
        "have",
        "had",
        "the",
        "a",
        "an",
    ]
)


def _question_word(text: str) -> tuple[str, str] | None:
    """(as written, as read) when the question opens with a one-letter slip of a question word
    ("wat are the ...", "wen did ...") followed by a verb or an article; else None. Only the
    opening word: inside a sentence "wat" and "wen" may be words of their own."""
    words = text.split()
    if len(words) < 3 or words[1].lower() not in _ASKING_NEXT:
        return None
    first = words[0]
    low = first.lower()
    if not low.isalpha() or not 2 <= len(low) <= 6 or low.startswith(_QUESTION_WORDS):
        return None  # "whats", "whos": the word with its "is" run on
    near = [w for w in _QUESTION_WORDS if _edits(low, w) == 1]
    if len(near) != 1:
        return None
    # (the English word list is loaded only for a word one slip from a question word)
    if english().word_usage_frequency(low) > COMMON_WORD:
        return None  # "Now are ...", "Her ...": a common word of its own
    return first, near[0].capitalize() if first[0].isupper() else near[0]


# General English inflections: a word is the passages' own when they hold it without one
# ("prioritises" where they say "prioritise"), whatever the English word list knows.
_INFLECTIONS = ("s", "es", "d", "ed", "ing")


def _forms(word: str) -> list[str]:
    forms = [word]
    for ending in _INFLECTIONS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            forms += [stem, f"{stem}e"]
    return forms


def _closest(word: str, vocab: dict[int, list[tuple[str, int]]]) -> str | None:
    """The vocabulary word most like `word` (ties: the more frequent), if close enough."""
    best: tuple[float, int, str] | None = None
    matcher = difflib.SequenceMatcher(b=word, autojunk=False)
    for length in range(len(word) - 2, len(word) + 3):
        for candidate, n in vocab.get(length, ()):
            matcher.set_seq1(candidate)
            if matcher.real_quick_ratio() < SIMILARITY or matcher.quick_ratio() < SIMILARITY:
                continue
            ratio = matcher.ratio()
            if (
                ratio >= SIMILARITY
                and (best is None or (ratio, n) > best[:2])
                and _edits(word, candidate) <= (2 if len(word) >= LONG_WORD else 1)
            ):
                best = (ratio, n, candidate)
    return best[2] if best else None


def _edits(a: str, b: str) -> int:
    """Letters added, dropped, changed or swapped with a neighbour to turn a into b.

    A typo is usually one slip ("diagarm", "helth"); "statin" is two letters from "starting"
    and is a word the question means (a drug), not a slip.
    """
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]
