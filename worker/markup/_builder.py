"""The screened text of one field, and the builder every markup reader uses to make it.

A reader walks the submitted source once and appends either verbatim runs (each character
keeps its own source offset) or synthetic text (a decoded entity, a line break standing for
a ``<p>``) mapped onto the source range it replaces. Checks read ``text``; evidence is mapped
back to the source with ``to_source``.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from worker.types import FieldName

# C0 controls (NUL included) and DEL read as spaces: same length, so offsets hold.
_CONTROL_TO_SPACE = {code: " " for code in [*range(0, 9), 11, 12, *range(14, 32), 127]}


@dataclass(frozen=True, slots=True)
class Element:
    """A markup element as the author wrote it, with its source range (opening to closing token)."""

    name: str
    attrs: tuple[tuple[str, str], ...]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Link:
    """A link target found in markup (href, [url=], [text](url)) or written out in the text."""

    url: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class FieldText:
    name: FieldName
    source: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    elements: tuple[Element, ...] = ()
    links: tuple[Link, ...] = ()
    set_aside: tuple[tuple[int, int], ...] = ()
    """Source ranges of code blocks and quotes of other posts: not the author's own prose."""

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) range of ``text`` onto the submitted source."""
        if not self.text:
            return (0, 0)
        start = min(max(start, 0), len(self.text))
        end = min(max(end, start), len(self.text))
        if start == end:
            position = self.starts[start] if start < len(self.starts) else len(self.source)
            return (position, position)
        return (self.starts[start], self.ends[end - 1])

    def to_text(self, source_start: int, source_end: int) -> tuple[int, int]:
        """Map a range of the submitted source onto ``text`` (the part of it that is screened text)."""
        return (bisect_left(self.starts, source_start), bisect_left(self.starts, source_end))

    def in_set_aside(self, source_start: int) -> bool:
        return any(start <= source_start < end for start, end in self.set_aside)


class TextBuilder:
    def __init__(self, source: str) -> None:
        self.source = source
        self._parts: list[str] = []
        self._starts: list[int] = []
        self._ends: list[int] = []
        self.elements: list[Element] = []
        self.links: list[Link] = []
        self.set_aside: list[tuple[int, int]] = []

    def copy(self, start: int, end: int) -> None:
        """Append source[start:end] verbatim."""
        if end <= start:
            return
        self._parts.append(self.source[start:end])
        self._starts.extend(range(start, end))
        self._ends.extend(range(start + 1, end + 1))

    def put(self, text: str, start: int, end: int) -> None:
        """Append synthetic text standing for source[start:end]."""
        self._parts.append(text)
        self._starts.extend([start] * len(text))
        self._ends.extend([end] * len(text))

    def separate(self, start: int, end: int, separator: str = "\n") -> None:
        """Append a break unless the text already ends with whitespace."""
        if self._parts and not self._parts[-1][-1:].isspace():
            self.put(separator, start, end)

    def set_aside_range(self, start: int, end: int) -> None:
        self.set_aside.append((start, end))
        self.separate(start, end)

    def build(self, name: FieldName) -> FieldText:
        text = "".join(self._parts).translate(_CONTROL_TO_SPACE)
        return FieldText(
            name=name,
            source=self.source,
            text=text,
            starts=tuple(self._starts),
            ends=tuple(self._ends),
            elements=tuple(self.elements),
            links=tuple(self.links),
            set_aside=tuple(self.set_aside),
        )
