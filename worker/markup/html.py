"""Read an HTML body: text with entities decoded, elements with their ranges, links.

A single forward scan with bounded look-ahead (no backtracking regex over the whole body, no
recursion), so 10,000 nested levels or a body of unclosed ``<`` cost linear time.
``<script>``/``<style>`` content is dropped; ``<pre>``/``<code>``/``<blockquote>`` are set
aside (not the author's prose, and markup inside them is not counted).
"""

from __future__ import annotations

import html

import regex

from worker.markup._builder import Element, FieldText, Link, TextBuilder
from worker.types import FieldName

_TAG = regex.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9]{0,31})((?:\s+[^\s=>/\"']{1,64}(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>\"']*))?)*)\s*/?>"
)
_ATTR = regex.compile(r"([^\s=>/\"']{1,64})(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']*)))?")
_ENTITY = regex.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_MAX_TAG_LENGTH = 4096
_MAX_STACK_SEARCH = 64
_DROPPED = frozenset({"script", "style", "template", "noscript", "iframe", "object"})
_SET_ASIDE = frozenset({"pre", "code", "blockquote", "q", "samp", "kbd"})
_BLOCK = frozenset(
    "p br div li ul ol h1 h2 h3 h4 h5 h6 tr td th table hr section article header footer dt dd".split()
)
_VOID = frozenset("br hr img input meta link area base col embed source track wbr".split())
_LINK_ATTRS = {"a": "href", "img": "src", "area": "href", "iframe": "src", "embed": "src", "form": "action"}


def read_html(source: str, name: FieldName, timeout: float) -> FieldText:
    builder = TextBuilder(source)
    open_elements: list[tuple[str, tuple[tuple[str, str], ...], int]] = []
    position, length = 0, len(source)
    next_close = source.find(">")
    while position < length:
        less_than = source.find("<", position)
        if less_than < 0:
            _copy_text(builder, position, length, timeout)
            break
        _copy_text(builder, position, less_than, timeout)
        if next_close != -1 and next_close < less_than:
            next_close = source.find(">", less_than)
        if next_close < 0 or next_close - less_than > _MAX_TAG_LENGTH:
            builder.copy(less_than, less_than + 1)
            position = less_than + 1
            continue
        if source.startswith("<!--", less_than):
            comment_end = source.find("-->", less_than + 4)
            position = length if comment_end < 0 else comment_end + 3
            continue
        tag = _TAG.fullmatch(source, less_than, next_close + 1, timeout=timeout)
        if tag is None:
            if source.startswith(("<!", "<?"), less_than):
                position = next_close + 1  # doctype, processing instruction
            else:
                builder.copy(less_than, less_than + 1)
                position = less_than + 1
            continue
        position = _handle_tag(builder, tag, open_elements, timeout)
    for tag_name, attrs, start in open_elements:  # unclosed: the element runs to the end
        builder.elements.append(Element(tag_name, attrs, start, length))
    return builder.build(name)


def _handle_tag(builder: TextBuilder, tag: regex.Match[str], open_elements: list, timeout: float) -> int:
    source = builder.source
    closing, tag_name, start, end = tag.group(1) == "/", tag.group(2).lower(), tag.start(), tag.end()
    if tag_name in _BLOCK:
        builder.separate(start, end)
    if closing:
        _close(builder, open_elements, tag_name, end)
        return end
    attrs = tuple(
        (m.group(1).lower(), html.unescape(m.group(2) or m.group(3) or m.group(4) or ""))
        for m in _ATTR.finditer(tag.group(3), timeout=timeout)
    )
    link_attr = _LINK_ATTRS.get(tag_name)
    for key, value in attrs:
        if key == link_attr and value.strip():
            builder.links.append(Link(value.strip(), start, end))
    if tag_name in _DROPPED or tag_name in _SET_ASIDE:
        close = regex.compile(rf"</{tag_name}\s*>", regex.IGNORECASE).search(source, end, timeout=timeout)
        block_end = close.end() if close else len(source)
        if tag_name in _SET_ASIDE:
            builder.set_aside_range(start, block_end)
        builder.elements.append(Element(tag_name, attrs, start, block_end))
        return block_end
    if tag_name in _VOID or tag.group(0).endswith("/>"):
        builder.elements.append(Element(tag_name, attrs, start, end))
    else:
        open_elements.append((tag_name, attrs, start))
    return end


def _close(builder: TextBuilder, open_elements: list, tag_name: str, end: int) -> None:
    lowest = max(0, len(open_elements) - _MAX_STACK_SEARCH)
    for index in range(len(open_elements) - 1, lowest - 1, -1):
        if open_elements[index][0] == tag_name:
            for name, attrs, start in open_elements[index:]:
                builder.elements.append(Element(name, attrs, start, end))
            del open_elements[index:]
            return


def _copy_text(builder: TextBuilder, start: int, end: int, timeout: float) -> None:
    source = builder.source
    position = start
    while position < end:
        ampersand = source.find("&", position, end)
        if ampersand < 0:
            builder.copy(position, end)
            return
        builder.copy(position, ampersand)
        entity = _ENTITY.match(source, ampersand, min(end, ampersand + 40), timeout=timeout)
        if entity is None:
            builder.copy(ampersand, ampersand + 1)
            position = ampersand + 1
        else:
            builder.put(html.unescape(entity.group(0)), entity.start(), entity.end())
            position = entity.end()
