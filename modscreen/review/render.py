"""The post as its author wrote it, inert, with every evidence span highlighted in place.

Nothing here builds HTML: a field becomes a list of ``Piece``s (plain strings plus what kind of
piece they are) that the templates print with autoescaping on. Author markup is therefore shown
as text, exactly as submitted (the evidence offsets point into that text), and can never run.
Bidirectional overrides and invisible characters, which can make text read differently from
what it says, are replaced on screen by visible markers; personal data is masked until a
moderator asks to see it (each reveal is audited).
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from worker.categories import CATALOGUE, OTHER_REASON, reject_reason, severity_rank
from worker.categories import label as category_label

CATEGORY_LABELS = {info.name: info.label for info in CATALOGUE}
REJECT_REASONS = {**{info.reject_reason: info.reject_label for info in CATALOGUE if info.reject_reason},
                  OTHER_REASON: "Other (say why in the note)"}
"""The terms of use a rejection cites, harshest first; `other` needs a note."""


def category_stylesheet() -> str:
    """Each category's colours as CSS classes (background for highlights, border for badges)."""
    return "".join(f".cat-{info.name} {{ background: {info.background}; border-color: {info.border}; }}\n"
                   for info in CATALOGUE)


# bidi embeddings, overrides and isolates; marks; zero-width and other invisible format characters
INVISIBLE = {
    "\u202a": "LRE", "\u202b": "RLE", "\u202c": "PDF", "\u202d": "LRO", "\u202e": "RLO",
    "\u2066": "LRI", "\u2067": "RLI", "\u2068": "FSI", "\u2069": "PDI", "\u200e": "LRM", "\u200f": "RLM",
    "\u061c": "ALM", "\u200b": "ZWSP", "\u200c": "ZWNJ", "\u200d": "ZWJ", "\u2060": "WJ", "\ufeff": "BOM",
    "\u00ad": "SHY",
}


@dataclass
class Piece:
    text: str
    kind: str = "text"  # text | mark | mask | control
    categories: tuple[str, ...] = ()
    key: str = ""  # a masked span's identity (field:start:end), what a reveal names
    label: str = ""  # what a mask or a control marker stands for

    @property
    def css(self) -> str:
        return " ".join([*(f"cat-{name}" for name in self.categories), *(["multi"] if len(self.categories) > 1 else [])])


@dataclass
class Span:
    field: str
    start: int
    end: int
    category: str
    code: str


@dataclass
class Evidence:
    spans: list[Span] = field(default_factory=list)
    hidden: list[Span] = field(default_factory=list)
    """Text masked although no finding points at it: what was never screened for personal data
    (the check failed or stopped at its work cap; the body past the length cap). `code` is the label."""

    @classmethod
    def of(cls, reasons: list[Any], failures: list[Any] | None = None, truncated: bool = False,
           texts: dict[str, str | None] | None = None, body_cap: int = 100_000) -> Evidence:
        """The evidence spans of `reasons`, plus masks over whatever the screening could not vouch for."""
        spans = []
        for reason in reasons:
            for item in reason.evidence or []:
                if isinstance(item.get("start"), int) and isinstance(item.get("end"), int):
                    spans.append(Span(item.get("field", "body"), item["start"], item["end"], reason.category,
                                      reason.code))
        hidden = []
        texts = texts or {}
        if unscreened_for_personal_data(failures or []):
            # we do not know where the personal data is: hide the whole post until someone reveals it
            for name in ("title", "body"):
                if texts.get(name):
                    hidden.append(Span(name, 0, len(texts[name] or ""), "personal_data", UNSCREENED_LABEL))
        body = texts.get("body") or ""
        if truncated and body:
            # past the cap nothing was screened; if the cap does not fit the text, trust none of it
            start = body_cap if body_cap < len(body) else 0
            hidden.append(Span("body", start, len(body), "personal_data",
                               truncated_label(body_cap) if start else UNSCREENED_LABEL))
        return cls(spans, hidden)

    def masks(self, field_name: str, length: int) -> list[tuple[int, int, str]]:
        """Personal-data spans of a field, overlapping ones merged: (start, end, entity label)."""
        found = sorted([(max(0, s.start), min(length, s.end), _entity(s.code)) for s in self.spans
                        if s.field == field_name and s.category == "personal_data" and s.start < s.end]
                       + [(max(0, s.start), min(length, s.end), s.code) for s in self.hidden
                          if s.field == field_name and s.start < s.end])
        merged: list[tuple[int, int, str]] = []
        for start, end, label in found:
            if start >= end:
                continue
            if merged and start < merged[-1][1]:
                last = merged[-1]
                merged[-1] = (last[0], max(last[1], end), last[2] if label in last[2] else f"{last[2]}, {label}")
            else:
                merged.append((start, end, label))
        return merged


UNSCREENED_FAILURES = frozenset({"personal_data", "input"})
"""Failures after which the post was not (fully) screened for personal data."""
UNSCREENED_LABEL = "whole text: the personal-data check did not finish"


def unscreened_for_personal_data(failures: list[Any]) -> bool:
    return any(isinstance(f, dict) and f.get("check") in UNSCREENED_FAILURES for f in failures)


def truncated_label(body_cap: int) -> str:
    return f"text past {body_cap:,} characters: not screened"


def _entity(code: str) -> str:
    return code.split(".", 1)[-1].replace("_", " ") if "." in code else "personal data"


def pieces(text: str | None, field_name: str, evidence: Evidence, revealed: set[str] | frozenset = frozenset(),
           highlight: bool = True) -> list[Piece]:
    """Split `text` at every evidence boundary; each piece knows its categories; masks stand in for personal data.

    One sweep over the sorted boundaries: a post with thousands of findings renders in O(n log n).
    """
    if not text:
        return []
    length = len(text)
    spans = [s for s in evidence.spans if s.field == field_name and 0 <= s.start < s.end] if highlight else []
    masks = [m for m in evidence.masks(field_name, length) if f"{field_name}:{m[0]}:{m[1]}" not in revealed]
    opening: dict[int, list[str]] = {}
    closing: dict[int, list[str]] = {}
    cuts = {0, length}
    for span in spans:
        start, end = min(span.start, length), min(span.end, length)
        if start < end:
            opening.setdefault(start, []).append(span.category)
            closing.setdefault(end, []).append(span.category)
            cuts.update((start, end))
    for start, end, _ in masks:
        cuts.update((start, end))
    ordered = sorted(cuts)
    active: Counter[str] = Counter()
    out: list[Piece] = []
    next_mask = 0
    for start, end in zip(ordered, ordered[1:], strict=False):
        for category in closing.get(start, ()):
            active[category] -= 1
        for category in opening.get(start, ()):
            active[category] += 1
        while next_mask < len(masks) and masks[next_mask][1] <= start:
            next_mask += 1
        mask = masks[next_mask] if next_mask < len(masks) and masks[next_mask][0] <= start else None
        if mask is not None:
            if start == mask[0]:
                out.append(Piece("\u2022" * 6, "mask", ("personal_data",), f"{field_name}:{mask[0]}:{mask[1]}",
                                 mask[2]))
            continue
        categories = tuple(sorted((c for c, n in active.items() if n > 0), key=severity_rank))
        out.extend(_visible(text[start:end], categories))
    return out


def visible(text: Any, single_line: bool = True) -> list[Piece]:
    """Any post-supplied string (id, topic, author, audit subject) as pieces with markers for what is invisible.

    In a one-line field, line breaks and tabs are shown as markers too."""
    if text is None:
        return []
    return _visible(str(text), (), single_line=single_line)


def visible_text(text: Any) -> str:
    """The same, flattened to a plain string: for <title>, <option> and attribute values."""
    return "".join(piece.text for piece in visible(text))


def _visible(text: str, categories: tuple[str, ...], single_line: bool = False) -> list[Piece]:
    """Plain runs, and a visible marker for each invisible or direction-changing character."""
    kind = "mark" if categories else "text"
    out: list[Piece] = []
    run: list[str] = []
    for char in text:
        name = INVISIBLE.get(char) or (f"U+{ord(char):04X}" if _is_control(char, single_line) else None)
        if name is None:
            run.append(char)
            continue
        if run:
            out.append(Piece("".join(run), kind, categories))
            run = []
        out.append(Piece(f"[{name}]", "control", categories, label=f"invisible character U+{ord(char):04X}"))
    if run:
        out.append(Piece("".join(run), kind, categories))
    return out


_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cn"})


def _is_control(char: str, single_line: bool = False) -> bool:
    """Control, format (bidi, zero-width, tags), line-separator, private-use and unassigned characters."""
    if char in "\n\t":
        return single_line
    if char.isprintable() or char == " ":
        return False
    return unicodedata.category(char) in _HIDDEN_CATEGORIES


def masked_text(text: str, field_name: str, evidence: Evidence, revealed: set[str] | frozenset = frozenset(),
                single_line: bool = False) -> str:
    """A plain string with personal data masked and invisible characters shown: for titles in lists."""
    shown = "".join(p.text if p.kind != "mask" else f"[{p.label}]"
                    for p in pieces(text, field_name, evidence, revealed, highlight=False))
    return visible_text(shown) if single_line else shown


def reason_words(reason: Any) -> str:
    """'hate speech 0.91 — rejects at 0.85 or above'."""
    words = category_label(reason.category)
    verb = "rejects" if reason.action == "reject" else "sends to review"
    return f"{words} {reason.score:.2f} \u2014 {verb} at {reason.threshold:.2f} or above"


def suggested_reason(reasons: list[Any]) -> str:
    """The rejection reason matching the screening's first finding (reject before review, then the surest)."""
    for reason in sorted(reasons, key=lambda r: r.position):
        return reject_reason(reason.category)
    return OTHER_REASON


def evidence_summary(reason: Any, text_of: dict[str, str], evidence: Evidence, revealed: set[str]) -> list[str]:
    """Each evidence span of a reason as quoted text (masked when personal data is hidden)."""
    out = []
    merged = {name: evidence.masks(name, len(text_of.get(name) or "")) for name in ("title", "body")}
    ends = {name: [mask[1] for mask in masks] for name, masks in merged.items()}  # sorted: masks never overlap
    for item in reason.evidence or []:
        start, end, name = item.get("start"), item.get("end"), item.get("field", "body")
        source = text_of.get(name) or ""
        if not isinstance(start, int) or not isinstance(end, int):
            continue
        if not source:
            out.append("(text purged)")
            continue
        start, end = max(0, start), min(len(source), end)
        masks = merged.get(name, [])
        first = bisect_right(ends.get(name, []), start)
        parts, at = [], start
        for mask_start, mask_end, label in masks[first:]:
            if mask_start >= end:
                break
            if f"{name}:{mask_start}:{mask_end}" in revealed:
                continue
            parts.append(visible_text_of(source[at:max(at, mask_start)]))
            parts.append(f"[{label}]")
            at = max(at, mask_end)
        parts.append(visible_text_of(source[at:end]) if at < end else "")
        out.append("".join(parts))
    return out


def visible_text_of(text: str) -> str:
    """Body text with markers for invisible characters (line breaks kept)."""
    return "".join(piece.text for piece in _visible(text, ()))
