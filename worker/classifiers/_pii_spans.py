"""Span geometry for the personal_data classifier: where NER runs, which names count, overlaps.

Everything here is O(n log n) in the number of findings (sorted starts, running maximum of
ends, bisection): a post with thousands of candidate matches must not cost a quadratic scan.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable

import regex
from presidio_analyzer import RecognizerResult

CONTACT = frozenset({"EMAIL_ADDRESS", "PHONE_NUMBER", "STREET_ADDRESS"})

_NAME_WORD = regex.compile(r"\p{Lu}[\p{Ll}'’]+(?:-?\p{Lu}[\p{Ll}'’]+)?")  # "Jean-Pierre", "McDonald"
_INITIAL = regex.compile(r"\p{Lu}\.?")  # "Jane Q. Doe", "Julieta S Almeida"
_BETWEEN = regex.compile(r"[^\S\n]+(?:[\p{L}.'’-]{1,40}[^\S\n]+){0,4}")  # initials, particles, names: no punctuation


class Intervals:
    """Sorted intervals answering "does any of them overlap / come near [start, end)?" in O(log n)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [start for start, _ in ordered]
        self._max_ends: list[int] = []
        for _, end in ordered:
            self._max_ends.append(max(end, self._max_ends[-1]) if self._max_ends else end)

    def overlaps(self, start: int, end: int, margin: int = 0) -> bool:
        """Whether an interval lies within ``margin`` characters of [start, end) (overlapping when 0)."""
        count = bisect_left(self._starts, end + margin) if margin == 0 else bisect_right(self._starts, end + margin)
        return count > 0 and (self._max_ends[count - 1] > start - margin if margin == 0
                              else self._max_ends[count - 1] >= start - margin)


def full_name(text: str, result: RecognizerResult, not_names: frozenset[str], particles: frozenset[str]) -> RecognizerResult | None:
    """The name on its first line if it looks like a full name: 2–4 capitalised words, initials and particles inside.

    fr_core_news_sm on English text also tags "Could you" or "Hello I" as PER; "thanks, Marie"
    is a first name alone. Both are dropped here. Stop words apply to whole words: the initial
    "M." of "Janka M. Szász" is no "M." (monsieur).
    """
    value = text[result.start:result.end]
    first_line = value.strip().split("\n")[0].strip().lstrip(">?").strip().rstrip(",.;:")
    words = first_line.split()
    inner = words[1:-1]
    named = [w for w in words if w not in particles]
    if not 2 <= len(named) <= 4 or len(words) - len(named) > 2 or not _NAME_WORD.fullmatch(words[0]) or not _NAME_WORD.fullmatch(words[-1]):
        return None
    if any(not (_NAME_WORD.fullmatch(w) or _INITIAL.fullmatch(w) or w in particles) for w in inner):
        return None
    if any(w.lower() in not_names for w in words if _NAME_WORD.fullmatch(w)):
        return None
    start = result.start + value.index(first_line)
    return RecognizerResult("PERSON", start, start + len(first_line), result.score,
                            recognition_metadata=result.recognition_metadata)


def near_contacts(text: str, results: list[RecognizerResult], window: int, not_names: frozenset[str],
                  particles: frozenset[str]) -> list[RecognizerResult]:
    """Keep names that are full names, close to a contact detail, and not inside another finding."""
    others = [r for r in results if r.entity_type != "PERSON"]
    contacts = Intervals((r.start, r.end) for r in others if r.entity_type in CONTACT)
    owned = Intervals((r.start, r.end) for r in others)
    kept = list(others)
    for r in results:
        if r.entity_type != "PERSON" or (r := full_name(text, r, not_names, particles)) is None:
            continue
        # a town on an address line is tagged PER by NER; the address finding owns that text
        if contacts.overlaps(r.start, r.end, margin=window) and not owned.overlaps(r.start, r.end):
            kept.append(r)
    return kept


def ner_slices(text: str, results: list[RecognizerResult], *, context: int, window: int, max_chars: int,
               not_names: frozenset[str], gap: int, timeout: float) -> list[tuple[int, int]]:
    """The parts of a field worth handing to NER: around contact details, where a full name could still be found.

    A slice is dropped when no two capitalised words stand close together on one line, outside
    other findings, within ``window`` of a contact: no NER name could then pass ``near_contacts``.
    The slices of one field add up to at most ``max_chars``: a name matters only next to contact
    details, and a post with more contact blocks than that is sent to review by the contacts alone.
    """
    contacts = sorted((r.start, r.end) for r in results if r.entity_type in CONTACT)
    owned = Intervals((r.start, r.end) for r in results if r.entity_type != "PERSON")
    near = Intervals(contacts)
    merged: list[tuple[int, int]] = []
    for start, end in contacts:
        start, end = max(0, start - context), min(len(text), end + context)
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    kept: list[tuple[int, int]] = []
    budget = max_chars
    for start, end in merged:
        if budget <= 0:
            break
        end = min(end, start + budget)
        if _has_name_pair(text, start, end, near, owned, window, not_names, gap, timeout):
            kept.append((start, end))
            budget -= end - start
    return kept


def _has_name_pair(text: str, start: int, end: int, near: Intervals, owned: Intervals, window: int,
                   not_names: frozenset[str], gap: int, timeout: float) -> bool:
    """Two usable capitalised words on one line, close enough to open and close one full name near a contact."""
    words = [m.span() for m in _NAME_WORD.finditer(text, start, end, timeout=timeout)]
    previous: tuple[int, int] | None = None
    for word_start, word_end in words:
        if text[word_start:word_end].lower() in not_names or owned.overlaps(word_start, word_end):
            continue
        if (previous is not None and word_start - previous[1] <= gap
                and _BETWEEN.fullmatch(text, previous[1], word_start, timeout=timeout) is not None
                and near.overlaps(previous[0], word_end, margin=window)):
            return True
        previous = (word_start, word_end)
    return False


def resolve(results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Overlapping findings of any types: keep the best scored, then the longest."""
    starts: list[int] = []
    ends: dict[int, int] = {}  # kept findings never overlap, so a start identifies one
    kept: list[RecognizerResult] = []
    for r in sorted(results, key=lambda r: (-r.score, -(r.end - r.start), r.start)):
        position = bisect_right(starts, r.start)
        if position and ends[starts[position - 1]] > r.start:
            continue
        if position < len(starts) and starts[position] < r.end:
            continue
        insort(starts, r.start)
        ends[r.start] = r.end
        kept.append(r)
    return sorted(kept, key=lambda r: r.start)
