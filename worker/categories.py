"""The category catalogue: the one place that lists the categories of the terms of use.

Each entry says how people see a category: its label, the reason code a moderator cites to
reject for it, and its colours on the review pages. The order of ``CATALOGUE`` is the severity
rank, harshest first: the review queue serves a threat before a bold word, a moderator gives
the gravest reason that applies, and highlights overlapping on one span take the harshest colour.

``worker.types.Category`` (the contract), the review app (labels, reject reasons, queue order,
colours) and the tuning tools (labels from decisions, the demo's moderators) all read this list;
adding a category is one entry here, its thresholds in ``config/policy.toml`` and its checks.
Anything that ranks categories goes through ``severity_rank``, which never raises: a name that
is not (or no longer) in the catalogue ranks after every known one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    name: str
    """The category as it appears in verdicts and the policy (snake_case)."""
    label: str
    """Lower-case words for badges and tables ("hate speech")."""
    reject_reason: str | None
    """The reason code a moderator's rejection cites for it; None: moderators use ``other`` and say why."""
    reject_label: str
    """How the reason reads in the rejection menu."""
    background: str
    """Highlight colour of its evidence (CSS hex)."""
    border: str
    """Badge and outline colour (CSS hex)."""


CATALOGUE: tuple[CategoryInfo, ...] = (
    CategoryInfo("threats", "threats", "threats", "Threats, intimidation, doxxing", "#f4a6c9", "#a3154f"),
    CategoryInfo("hate_speech", "hate speech", "hate_speech", "Hate speech", "#f7b6b0", "#c0392b"),
    CategoryInfo("offensive", "offensive", "offensive", "Offensive", "#f9c9a4", "#d35400"),
    CategoryInfo("personal_data", "personal data", "personal_data", "Personal data", "#d9c6f2", "#7d3c98"),
    CategoryInfo("links", "links", "dangerous_link", "Dangerous link", "#a9d4f5", "#1f6fb2"),
    CategoryInfo("advertising", "advertising", "advertising", "Advertising", "#f6e08a", "#b7950b"),
    CategoryInfo("language", "language", None, "Language", "#c9d1d9", "#566573"),
    CategoryInfo("off_topic", "off topic", "off_topic", "Off topic", "#b8e6df", "#16a085"),
    CategoryInfo("question_in_existing_topic", "question in existing topic", "question_in_existing_topic",
                 "Question in an existing topic", "#c6efce", "#239b56"),
    CategoryInfo("multiple_questions", "multiple questions", "multiple_questions", "Multiple questions",
                 "#fbd3e9", "#c2185b"),
    CategoryInfo("sms_language", "SMS language", "sms_language", "SMS language", "#ffe0b2", "#ef6c00"),
    CategoryInfo("unclear_title", "unclear title", "unclear_title", "Unclear title", "#d7ccc8", "#6d4c41"),
    CategoryInfo("formatting", "formatting", "formatting", "Formatting (bold, colour)", "#dcedc8", "#689f38"),
)

BY_NAME: dict[str, CategoryInfo] = {info.name: info for info in CATALOGUE}
NAMES: tuple[str, ...] = tuple(info.name for info in CATALOGUE)
"""Every category, harshest first."""
OTHER_REASON = "other"
"""The reject reason that names no category (a note says why)."""


def severity_rank(name: str) -> int:
    """0 for the harshest category; a name outside the catalogue ranks after all of them."""
    return _RANK.get(name, len(CATALOGUE))


def by_severity(names: Iterable[str]) -> list[str]:
    """The names, harshest first (unknown ones last, in their given order)."""
    return sorted(names, key=severity_rank)


def label(name: str) -> str:
    info = BY_NAME.get(name)
    return info.label if info else name.replace("_", " ")


def reject_reason(name: str) -> str:
    """The reason code a rejection for this category cites (``other`` when it has none or is unknown)."""
    info = BY_NAME.get(name)
    return info.reject_reason if info and info.reject_reason else OTHER_REASON


def category_of_reason(reason_code: str) -> str | None:
    """The category a reject reason code names, or None (``other``, or no category)."""
    return _CATEGORY_OF_REASON.get(reason_code)


_RANK = {name: rank for rank, name in enumerate(NAMES)}
_CATEGORY_OF_REASON = {info.reject_reason: info.name for info in CATALOGUE if info.reject_reason}
