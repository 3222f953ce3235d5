"""The post as its author wrote it, inert, with every evidence span highlighted in place.

Nothing here builds HTML: a field becomes a list of ``Piece``s (plain strings plus what kind of
piece they are) that the templates print with autoescaping on. Author markup is therefore shown
as text, exactly as submitted (the evidence offsets point into that text), and can never run.
Bidirectional overrides and invisible characters, which can make text read differently from
what it says, are replaced on screen by visible markers; personal data is masked until a
moderator asks to see it (each reveal is audited).
"""

from __future__ import annotations

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

    @classmethod
    def of(cls, reasons: list[Any]) -> Evidence:
        spans = []
        for reason in reasons:
            for item in reason.evidence or []:
                if isinstance(item.get("start"), int) and isinstance(item.get("end"), int):
                    spans.append(Span(item.get("field", "body"), item["start"], item["end"], reason.category,
                                      reason.code))
        return cls(spans)

    def masks(self, field_name: str, length: int) -> list[tuple[int, int, str]]:
        """Personal-data spans of a field, overlapping ones merged: (start, end, entity label)."""
        found = sorted((max(0, s.start), min(length, s.end), _entity(s.code)) for s in self.spans
                       if s.field == field_name and s.category == "personal_data" and s.start < s.end)
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


def _entity(code: str) -> str:
    return code.split(".", 1)[-1].replace("_", " ") if "." in code else "personal data"


def pieces(text: str | None, field_name: str, evidence: Evidence, revealed: set[str] | frozenset = frozenset(),
           highlight: bool = True) -> list[Piece]:
    """Split `text` at every evidence boundary; each piece knows its categories; masks stand in for personal data."""
    if not text:
        return []
    length = len(text)
    spans = [s for s in evidence.spans if s.field == field_name and 0 <= s.start < s.end] if highlight else []
    masks = [m for m in evidence.masks(field_name, length) if f"{field_name}:{m[0]}:{m[1]}" not in revealed]
    cuts = {0, length}
    for span in spans:
        cuts.update((min(span.start, length), min(span.end, length)))
    for start, end, _ in masks:
        cuts.update((start, end))
    ordered = sorted(cuts)
    out: list[Piece] = []
    for start, end in zip(ordered, ordered[1:], strict=False):
        mask = next((m for m in masks if m[0] <= start < m[1]), None)
        if mask is not None:
            if start == mask[0]:
                out.append(Piece("\u2022" * 6, "mask", ("personal_data",), f"{field_name}:{mask[0]}:{mask[1]}",
                                 mask[2]))
            continue
        categories = tuple(sorted({s.category for s in spans if s.start <= start and end <= s.end},
                                  key=severity_rank))
        out.extend(_visible(text[start:end], categories))
    return out


def _visible(text: str, categories: tuple[str, ...]) -> list[Piece]:
    """Plain runs, and a visible marker for each invisible or direction-changing character."""
    kind = "mark" if categories else "text"
    out: list[Piece] = []
    run: list[str] = []
    for char in text:
        name = INVISIBLE.get(char) or (f"U+{ord(char):04X}" if _is_control(char) else None)
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


def _is_control(char: str) -> bool:
    code = ord(char)
    return (code < 32 and char not in "\n\t") or 0x7F <= code < 0xA0


def masked_text(text: str, field_name: str, evidence: Evidence, revealed: set[str] | frozenset = frozenset()) -> str:
    """A plain string with personal data masked and invisible characters shown: for titles in lists."""
    return "".join(p.text if p.kind != "mask" else f"[{p.label}]" for p in pieces(text, field_name, evidence, revealed,
                                                                                 highlight=False))


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
    for item in reason.evidence or []:
        start, end, name = item.get("start"), item.get("end"), item.get("field", "body")
        source = text_of.get(name) or ""
        if not isinstance(start, int) or not isinstance(end, int):
            continue
        quoted = masked_text(source[start:end], name, Evidence([Span(name, s.start - start, s.end - start,
                                                                      s.category, s.code)
                                                                 for s in evidence.spans if s.field == name]),
                             {_shift(key, start) for key in revealed}) if source else "(text purged)"
        out.append(quoted)
    return out


def _shift(key: str, by: int) -> str:
    name, start, end = key.split(":")
    return f"{name}:{int(start) - by}:{int(end) - by}"
