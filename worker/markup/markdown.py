"""Read a Markdown body: prose without the markers, emphasis elements, links, code set aside.

Line by line, and within a line by pairing delimiter runs found with a linear scan, so no
pattern ever backtracks over the body. Covers what forum editors emit: fenced and indented
code, inline code, ``>`` quotes, ``#`` headings, ``**strong**``/``__strong__``, ``[text](url)``
and ``<https://autolinks>``. Raw HTML inside Markdown is left as text.
"""

from __future__ import annotations

import regex

from worker.markup._builder import Element, FieldText, Link, TextBuilder
from worker.types import FieldName

_FENCE = regex.compile(r" {0,3}(`{3,}|~{3,})")
_QUOTE = regex.compile(r" {0,3}>")
_HEADING = regex.compile(r" {0,3}#{1,6}(?:[ \t]+|$)")
_LIST_MARKER = regex.compile(r" {0,3}(?:[-+*]|\d{1,9}[.)])[ \t]+")
_INLINE = regex.compile(r"`+|\*\*|__|\[|<(?=https?://)")
_LINK_TAIL = regex.compile(r"\]\(\s*<?([^\s()<>]{1,2048})>?(?:\s+\"[^\"\n]{0,300}\")?\s*\)")
_AUTOLINK = regex.compile(r"<(https?://[^\s<>]{1,2048})>")


def read_markdown(source: str, name: FieldName, timeout: float) -> FieldText:
    builder = TextBuilder(source)
    lines = _line_ranges(source)
    index, previous_blank = 0, True
    while index < len(lines):
        start, end = lines[index]
        line = source[start:end]
        fence = _FENCE.match(line, timeout=timeout)
        if fence:
            index = _set_aside_fence(builder, lines, index, fence.group(1))
            continue
        if (line.startswith("    ") or line.startswith("\t")) and previous_blank and line.strip():
            block_end = index
            while block_end + 1 < len(lines) and _is_indented_or_blank(source, lines[block_end + 1]):
                block_end += 1
            builder.set_aside_range(start, lines[block_end][1])
            index = block_end + 1
            continue
        if _QUOTE.match(line, timeout=timeout):
            builder.set_aside_range(start, end)
        else:
            marker = _HEADING.match(line, timeout=timeout) or _LIST_MARKER.match(line, timeout=timeout)
            _read_inline(builder, start + (marker.end() if marker else 0), end, timeout)
        builder.separate(end, min(end + 1, len(source)))
        previous_blank = not line.strip()
        index += 1
    return builder.build(name)


def _line_ranges(source: str) -> list[tuple[int, int]]:
    ranges, start = [], 0
    while True:
        newline = source.find("\n", start)
        if newline < 0:
            ranges.append((start, len(source)))
            return ranges
        ranges.append((start, newline))
        start = newline + 1


def _is_indented_or_blank(source: str, line: tuple[int, int]) -> bool:
    text = source[line[0] : line[1]]
    return not text.strip() or text.startswith(("    ", "\t"))


def _set_aside_fence(builder: TextBuilder, lines: list[tuple[int, int]], index: int, fence: str) -> int:
    source = builder.source
    for closing in range(index + 1, len(lines)):
        text = source[lines[closing][0] : lines[closing][1]].strip()
        if text.startswith(fence[0] * len(fence)) and not text.strip(fence[0]):
            builder.set_aside_range(lines[index][0], lines[closing][1])
            return closing + 1
    builder.set_aside_range(lines[index][0], len(source))  # unclosed fence: code to the end
    return len(lines)


def _read_inline(builder: TextBuilder, start: int, end: int, timeout: float) -> None:
    source = builder.source
    open_strong: dict[str, int] = {}
    position = start
    for token in list(_INLINE.finditer(source, start, end, timeout=timeout)):
        if token.start() < position:
            continue
        mark = token.group(0)
        builder.copy(position, token.start())
        position = token.end()
        if mark.startswith("`"):
            close = source.find(mark, token.end(), end)
            if close >= 0:
                builder.set_aside_range(token.start(), close + len(mark))
                position = close + len(mark)
            else:
                builder.copy(token.start(), token.end())
        elif mark in ("**", "__"):
            position = _strong_delimiter(builder, open_strong, mark, token.start(), end)
        elif mark == "[":
            position = _link(builder, token.start(), end, timeout)
        else:
            autolink = _AUTOLINK.match(source, token.start(), end, timeout=timeout)
            if autolink:
                builder.links.append(Link(autolink.group(1), autolink.start(1), autolink.end(1)))
                builder.copy(autolink.start(1), autolink.end(1))
                position = autolink.end()
            else:
                builder.copy(token.start(), token.end())
    builder.copy(position, end)


def _strong_delimiter(builder: TextBuilder, open_strong: dict[str, int], mark: str, at: int, end: int) -> int:
    source = builder.source
    after = source[at + 2 : at + 3]
    before = source[at - 1 : at] if at > 0 else ""
    if mark in open_strong and before and not before.isspace():
        builder.elements.append(Element(mark, (), open_strong.pop(mark), at + 2))
    elif after and not after.isspace() and not (mark == "__" and before.isalnum()):
        open_strong[mark] = at
    else:
        builder.copy(at, at + 2)  # a lone "**" or "__" is just text
    return at + 2


def _link(builder: TextBuilder, at: int, end: int, timeout: float) -> int:
    source = builder.source
    close = source.find("]", at + 1, min(end, at + 1000))
    tail = _LINK_TAIL.match(source, close, end, timeout=timeout) if close >= 0 else None
    if tail is None:
        builder.copy(at, at + 1)
        return at + 1
    builder.links.append(Link(tail.group(1), tail.start(1), tail.end(1)))
    builder.elements.append(Element("a", (("href", tail.group(1)),), at, tail.end()))
    builder.copy(at + 1, close)  # the link text is prose; the target is a link
    return tail.end()
