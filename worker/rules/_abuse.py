"""What the offensive-category rules share: folded text, quotations, negation, phrase patterns.

* Text is folded with ``worker.text.fold_in_place(text, base="unaccented")``: lower case, accents
  stripped, curly apostrophes made straight, *one character for one* so that offsets found in the
  folded text are offsets in the screened text.
* ``quoted_ranges``: spans inside quotation marks ("…", “…”, «…», '…'): a word quoted is usually
  reported ("a caller called the agent « connard »"), not said by the poster to someone.
* ``reported_speech``: the words just before a match say someone else said it ("called us",
  "traité de", "told our agent", "left a message saying").
* ``negated``: a negation in the few words before a match ("you're not an idiot", "ce n'est pas nul").
* ``compile_frames``: per-language regex templates from the check's TOML, with ``{name}``
  placeholders filled by the check's word lists as literal alternations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import regex

from worker.text import fold_in_place

_QUOTED = regex.compile(
    r"\"[^\"\n]{1,300}\"|“[^”\n]{1,300}”|«[^»\n]{1,300}»|„[^“”\n]{1,300}[“”]|(?<!\w)'[^'\n]{1,200}'(?!\w)"
)
_WORD = regex.compile(r"[\w'-]+")
WORD = regex.compile(r"\w+")


def quoted_ranges(text: str, timeout: float) -> list[tuple[int, int]]:
    return [match.span() for match in _QUOTED.finditer(text, timeout=timeout)]


def words_before(folded: str, start: int, count: int) -> list[str]:
    """The `count` words before offset `start`, stopping at a sentence end."""
    window = folded[max(0, start - 80):start]
    for stop in ".!?\n;":
        window = window.rsplit(stop, 1)[-1]
    return _WORD.findall(window)[-count:]


def negated(folded: str, start: int, negators: frozenset[str], count: int = 3) -> bool:
    for word in words_before(folded, start, count):
        if word in negators or word.endswith("n't") or word.startswith("n'"):
            return True
    return False


def reported_speech(folded: str, start: int, cues: Sequence[str], count: int = 6) -> bool:
    """Whether one of `cues` ("called us", "traite de"), as whole words, is among the `count` words before `start`."""
    before = " " + " ".join(words_before(folded, start, count)) + " "
    return any(f" {cue.strip()} " in before for cue in cues)


def alternation(phrases: Sequence[str]) -> str:
    """Literal phrases (folded) as one regex alternation, longest first; spaces match spaces, hyphens, apostrophes."""
    parts = sorted({fold_in_place(p.strip(), base="unaccented") for p in phrases if p.strip()}, key=len, reverse=True)
    escaped = [r"[\s'-]{1,3}".join(regex.escape(word) for word in regex.split(r"[\s'-]+", part)) for part in parts]
    return "(?:" + ("|".join(escaped) or "(?!)") + ")"


def key_words(phrases: Sequence[str]) -> frozenset[str]:
    """The folded longest word of each phrase: a post holding none of them cannot match any phrase.

    The longest word is the rarest in practice ("clowns" in "des clowns", "crooks" in "bunch of
    crooks"), so the gate stays shut on most posts.
    """
    folded = (fold_in_place(p, base="unaccented") for p in phrases)
    return frozenset(max(words, key=len) for f in folded if (words := WORD.findall(f)))


def pick(lists: Mapping[str, list[str]], language: str | None) -> list[str]:
    """The post's language's entries, or every language's when it is unknown or has no list."""
    if language in lists:
        return list(lists[language])
    return [entry for entries in lists.values() for entry in entries]


def compile_frames(templates: Sequence[str], fills: Mapping[str, Sequence[str]]) -> regex.Pattern[str] | None:
    """One pattern matching any template, ``{name}`` replaced by the alternation of ``fills[name]``.

    Each template becomes a named group-free alternative; matching is on folded text, on word
    boundaries. Templates are reviewed data: only bounded repeats (``{0,3}``), never nested ones.
    """
    if not templates:
        return None
    filled = {name: alternation(words) for name, words in fills.items()}
    alternatives = []
    for template in templates:
        alternatives.append("(?:" + regex.sub(r"\{(\w+)\}", lambda m: filled[m.group(1)], template) + ")")
    return regex.compile(r"(?<![\w*@])(?:" + "|".join(alternatives) + r")(?![\w*@])")
