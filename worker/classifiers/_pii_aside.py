"""The text a post sets aside (code blocks, log lines, pasted JSON/CSV, quotes), for personal_data.

Setting code aside is right for most checks (an identifier is no insult, a ``?`` in a URL no
question) and wrong for personal data: a customer's e-mail in a pasted webhook payload is
published all the same. ``AsideText`` joins a field's set-aside source ranges into one text
(one scan per field, whatever the number of ranges, so the cost stays linear) separated by
blank lines that no pattern crosses, and maps a finding in it back to source offsets.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from worker.markup import FieldText

_JOIN = "\n\n"
_SEPARATORS = str.maketrans({";": "\n", "|": "\n", "=": " "})


@dataclass(frozen=True, slots=True)
class AsideText:
    text: str
    offsets: tuple[int, ...]
    """Where each set-aside range starts in ``text``."""
    ranges: tuple[tuple[int, int], ...]
    """The source range of each, in order."""

    @classmethod
    def of(cls, field: FieldText) -> AsideText | None:
        """The field's set-aside text, or None when it sets nothing aside."""
        parts, offsets, ranges, length, last_end = [], [], [], 0, -1
        for start, end in sorted(field.set_aside):
            start = max(start, last_end)  # ranges never nest, but never read a character twice
            if end <= start:
                continue
            offsets.append(length)
            ranges.append((start, end))
            parts.append(field.source[start:end])
            length += end - start + len(_JOIN)
            last_end = end
        if not parts:
            return None
        # CSV cells read as lines and key=value as words (same length: offsets hold), so that
        # "c_1201;Marion Leblanc;06 11 22 33 44" or "customer=Jane Doe" shows its name as a name
        return cls(_JOIN.join(parts).translate(_SEPARATORS), tuple(offsets), tuple(ranges))

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets of [start, end) of ``text``, cut at the end of the range it starts in."""
        index = bisect_right(self.offsets, start) - 1
        offset = self.offsets[index]
        source_start, source_end = self.ranges[index]
        begin = min(source_end, source_start + start - offset)
        return begin, max(begin, min(source_end, source_start + end - offset))
