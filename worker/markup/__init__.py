"""Turn a submitted field into screened text with an offset map, whatever its format."""

from __future__ import annotations

from dataclasses import replace

import regex

from worker.markup._builder import Element, FieldText, Link, TextBuilder
from worker.markup.bbcode import read_bbcode
from worker.markup.html import read_html
from worker.markup.markdown import read_markdown
from worker.types import FieldName, PostFormat

__all__ = ["Element", "FieldText", "Link", "read_field"]

# Written-out URLs: a scheme or "www." then anything that cannot end a URL in prose.
_URL = regex.compile(
    r"(?i)(?<![\w@.])(?:[a-z][a-z0-9+.-]{1,15}://\[[0-9a-f:.]{2,45}\][^\s<>\"'`\[\]{}|\\^]{0,2048}"
    r"|(?:[a-z][a-z0-9+.-]{1,15}://|www\.)[^\s<>\"'`\[\]{}|\\^]{1,2048})"
)
_TRAILING = ".,;:!?)»*_'\""


def read_field(source: str, post_format: PostFormat, name: FieldName, timeout: float) -> FieldText:
    if post_format is PostFormat.HTML:
        field = read_html(source, name, timeout)
    elif post_format is PostFormat.MARKDOWN:
        field = read_markdown(source, name, timeout)
    elif post_format is PostFormat.BBCODE:
        field = read_bbcode(source, name, timeout)
    else:
        builder = TextBuilder(source)
        builder.copy(0, len(source))
        field = builder.build(name)
    return _with_written_urls(field, timeout)


def _with_written_urls(field: FieldText, timeout: float) -> FieldText:
    if "://" not in field.text and "www." not in field.text.lower():  # most posts: skip the scan
        return field
    known = {(link.start, link.end) for link in field.links}
    found = []
    for match in list(_URL.finditer(field.text, timeout=timeout)):
        url = match.group(0).rstrip(_TRAILING)
        if url.count("(") < url.count(")") and url.endswith(")"):
            url = url[:-1]
        start, end = field.to_source(match.start(), match.start() + len(url))
        if (start, end) not in known and not any(s <= start < e for s, e in known):
            found.append(Link(url, start, end))
    if not found:
        return field
    return replace(field, links=field.links + tuple(found))
