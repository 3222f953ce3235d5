"""Read a BBCode body: prose without the tags, elements with ranges, links, code and quotes set aside.

Only known tags are markup; anything else in brackets (``[SOLVED]``, ``[0]``) stays text.
"""

from __future__ import annotations

import regex

from worker.markup._builder import Element, FieldText, Link, TextBuilder
from worker.types import FieldName

_TAG = regex.compile(r"\[(/?)([A-Za-z*]{1,10})(?:=([^\]\n]{0,300}))?\]")
_KNOWN = frozenset(
    "b i u s strike color colour size font url img quote code list * center left right "
    "email spoiler hr sub sup highlight indent table tr td li ol ul pre".split()
)
_SET_ASIDE = frozenset({"quote", "code", "pre"})
_BLOCK = frozenset({"list", "*", "li", "center", "left", "right", "hr", "table", "tr", "quote", "code"})
_MAX_STACK_SEARCH = 64


def read_bbcode(source: str, name: FieldName, timeout: float) -> FieldText:
    builder = TextBuilder(source)
    open_tags: list[tuple[str, tuple[tuple[str, str], ...], int, int]] = []
    position = 0
    for tag in list(_TAG.finditer(source, timeout=timeout)):
        if tag.start() < position or tag.group(2).lower() not in _KNOWN:
            continue
        closing, tag_name = tag.group(1) == "/", tag.group(2).lower()
        builder.copy(position, tag.start())
        position = tag.end()
        if tag_name in _BLOCK:
            builder.separate(tag.start(), tag.end())
        if closing:
            _close(builder, open_tags, tag_name, tag.end())
            continue
        value = (tag.group(3) or "").strip().strip("\"'")
        attrs = (("value", value),) if value else ()
        if tag_name in _SET_ASIDE:
            position = _set_aside(builder, tag, tag_name, timeout)
            continue
        if tag_name in ("url", "img", "email") and value:
            builder.links.append(Link(value, tag.start(3), tag.end(3)))
        open_tags.append((tag_name, attrs, tag.start(), tag.end()))
    builder.copy(position, len(source))
    for tag_name, attrs, start, _ in open_tags:
        builder.elements.append(Element(tag_name, attrs, start, len(source)))
    return builder.build(name)


def _set_aside(builder: TextBuilder, opening: regex.Match[str], tag_name: str, timeout: float) -> int:
    # quotes nest ([quote][quote]…[/quote][/quote]); count depth to find the matching close
    pattern = regex.compile(rf"\[(/?){tag_name}(?:=[^\]\n]{{0,300}})?\]", regex.IGNORECASE)
    depth = 1
    for tag in list(pattern.finditer(builder.source, opening.end(), timeout=timeout)):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            builder.set_aside_range(opening.start(), tag.end())
            builder.elements.append(Element(tag_name, (), opening.start(), tag.end()))
            return tag.end()
    builder.set_aside_range(opening.start(), len(builder.source))
    return len(builder.source)


def _close(builder: TextBuilder, open_tags: list, tag_name: str, end: int) -> None:
    lowest = max(0, len(open_tags) - _MAX_STACK_SEARCH)
    for index in range(len(open_tags) - 1, lowest - 1, -1):
        name, attrs, start, opening_end = open_tags[index]
        if name == tag_name or (name, tag_name) in {("colour", "color"), ("color", "colour")}:
            if name in ("url", "img", "email") and not attrs:
                target = builder.source[opening_end : end - len(tag_name) - 3].strip()
                if target:
                    builder.links.append(Link(target, opening_end, end - len(tag_name) - 3))
            builder.elements.append(Element(name, attrs, start, end))
            del open_tags[index]
            return
