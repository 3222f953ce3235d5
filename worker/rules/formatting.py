"""formatting: bold and coloured text, which the community reserves for moderators.

Codes:
- ``formatting.bold``: HTML ``<b>``/``<strong>`` or any element whose ``style`` sets a bold
  ``font-weight`` (``bold``, ``bolder``, 600-900, also in the ``font`` shorthand); Markdown
  ``**strong**``/``__strong__``; BBCode ``[b]``.
- ``formatting.colour``: HTML ``color`` attributes (``<font color="red">``) and ``color`` or
  ``background-color`` styles; BBCode ``[color=…]``/``[colour=…]``.

Why: moderators use bold and colour for official notices, so members must not mimic them.
What counts is data in ``config/checks/formatting.toml`` (tag names per format, CSS properties,
neutral colour values). Reads the markup elements of the body and the title; markup inside code
blocks and quotes of other posts is never read as markup by the readers, and ``text``-format
posts show markup literally, so they are never flagged.

Score: 1.0 (deterministic). Evidence: the formatted text of every element (at most 100 spans;
``details`` gives the total); an element with no visible text gets an empty span at its place.

Example: ``"<p>Read this <b>before posting</b></p>"`` flags ``formatting.bold`` on
"before posting".

Known false positives: pasted word-processor content that sets a visible but harmless colour
(dark grey text) or bold table headers; a post quoting a moderator notice outside a quote block.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from worker.checks import Check, CheckSettings, register
from worker.document import Document
from worker.markup import Element, FieldText
from worker.text import position_inside
from worker.types import Hit, PostFormat, Span

# a post can hold thousands of elements; moderators need a few highlights, not all of them
_MAX_SPANS = 100


class PerFormat(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    html: list[str] = []
    markdown: list[str] = []
    bbcode: list[str] = []


class Css(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    colour_attributes: list[str]
    bold_properties: list[str]
    bold_keywords: list[str]
    min_bold_weight: int = 600
    colour_properties: list[str]
    background_properties: list[str] = []
    neutral_colours: list[str] = []
    neutral_backgrounds: list[str] = []


class Settings(CheckSettings):
    bold_elements: PerFormat
    colour_elements: PerFormat
    css: Css


_MESSAGES = {
    "formatting.bold": "Bold text is reserved for moderators; remove the bold formatting from the post.",
    "formatting.colour": "Coloured text is reserved for moderators; remove the colour formatting from the post.",
}


@register
class Formatting(Check[Settings]):
    name = "formatting"
    category = "formatting"
    version = "1.0.0"
    codes = frozenset(_MESSAGES)

    def __init__(self, settings: Settings, regex_timeout: float = 0.25) -> None:
        super().__init__(settings, regex_timeout)
        css = settings.css
        self._bold = {fmt: frozenset(n.lower() for n in getattr(settings.bold_elements, fmt.value, []))
                      for fmt in PostFormat}
        self._colour = {fmt: frozenset(n.lower() for n in getattr(settings.colour_elements, fmt.value, []))
                        for fmt in PostFormat}
        self._colour_attributes = frozenset(a.lower() for a in css.colour_attributes)
        self._bold_properties = frozenset(p.lower() for p in css.bold_properties)
        self._bold_keywords = frozenset(k.lower() for k in css.bold_keywords)
        self._colour_properties = frozenset(p.lower() for p in css.colour_properties)
        self._background_properties = frozenset(p.lower() for p in css.background_properties)
        self._neutral_colours = frozenset(_squash(c) for c in css.neutral_colours)
        self._neutral_backgrounds = frozenset(_squash(c) for c in css.neutral_backgrounds)

    def check(self, doc: Document) -> Iterator[Hit]:
        post_format = doc.post.format
        if post_format is PostFormat.TEXT:  # markup shows literally: nothing is bold or coloured
            return
        spans: dict[str, dict[Span, None]] = {code: {} for code in _MESSAGES}
        for field in (doc.title, doc.body):
            if field is None:
                continue
            aside = sorted(field.set_aside)
            aside_starts = [start for start, _ in aside]
            for element in field.elements:
                if position_inside(aside, aside_starts, element.start):
                    continue
                for code in self._codes(element, post_format):
                    spans[code][_text_span(field, element)] = None
        for code, found in spans.items():
            if found:
                yield Hit(
                    code=code,
                    score=1.0,
                    message=_MESSAGES[code],
                    spans=tuple(found)[:_MAX_SPANS],
                    details=(("elements", str(len(found))),),
                )

    def _codes(self, element: Element, post_format: PostFormat) -> Iterator[str]:
        name = element.name.lower()
        attrs = dict(element.attrs)
        if name in self._bold[post_format]:
            yield "formatting.bold"
        if name in self._colour[post_format] and not self._neutral(attrs.get("value", ""), self._neutral_colours):
            yield "formatting.colour"
        if post_format is not PostFormat.HTML:
            return
        bold, colour = False, False
        for key, value in element.attrs:
            if key in self._colour_attributes and not self._neutral(value, self._neutral_colours):
                colour = True
        for prop, value in _declarations(attrs.get("style", "")):
            if prop in self._bold_properties and self._is_bold(value):
                bold = True
            elif prop in self._colour_properties and not self._neutral(value, self._neutral_colours):
                colour = True
            elif prop in self._background_properties and not self._neutral(value, self._neutral_backgrounds):
                colour = True
        if bold and name not in self._bold[post_format]:
            yield "formatting.bold"
        if colour:
            yield "formatting.colour"

    def _is_bold(self, value: str) -> bool:
        # the `font` shorthand mixes the weight with sizes and faces: look at each token
        for token in value.replace(",", " ").split():
            if token in self._bold_keywords:
                return True
            if token.isascii() and token.isdigit() and len(token) <= 4 and int(token) >= self.settings.css.min_bold_weight:
                return True
        return False

    @staticmethod
    def _neutral(value: str, neutral: frozenset[str]) -> bool:
        squashed = _squash(value)
        return not squashed or squashed in neutral


def _declarations(style: str) -> Iterator[tuple[str, str]]:
    for declaration in style.split(";"):
        prop, colon, value = declaration.partition(":")
        if colon:
            yield prop.strip().lower(), value.lower().replace("!important", "").strip()


def _squash(value: str) -> str:
    return "".join(value.lower().split()).strip("\"'")


def _text_span(field: FieldText, element: Element) -> Span:
    start, end = field.to_text(element.start, element.end)
    # an element with no visible text (<b></b>, [b][/b]) still gets a place in the text
    return Span(field.name, start, max(start, end))
