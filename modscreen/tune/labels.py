"""Labels from moderator decisions: pure functions over plain records.

A moderator decision on a screening labels every category scored on that screening:

- ``reject`` with reason code C: positive for C, negative for every other scored category
  (a reason code that is no category, such as ``other``, makes them all negative);
- ``approve``: negative for every scored category;
- ``escalate``: no label.

The latest decision wins. Decisions are grouped by revision (the same content): after a
re-screen the new screening inherits the labels given on the one it replaced.

Estimates are weighted so that the random quality-control sample of auto-approved posts speaks
for all auto-approved posts: the screenings are split in strata (language, automatic decision)
and each labelled item weighs N / n (screenings in its stratum / labelled ones).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from models.analytics_store import DecisionRecord, ScreeningRecord
from worker.categories import CATALOGUE, OTHER_REASON

REASON_CODES = (*(info.name for info in CATALOGUE if info.reject_reason), OTHER_REASON)
"""The categories a rejection can name (a reason code of the review app resolves to one), and ``other``."""
REASON_ALIASES = {**{info.reject_reason: info.name for info in CATALOGUE
                     if info.reject_reason and info.reject_reason != info.name},
                  "dangerous link": "links", "dangerous_links": "links", "dangerous-link": "links"}
UNKNOWN_LANGUAGE = "unknown"


def reason_category(reason_code: str | None) -> str | None:
    """The category a reject reason code names (aliases resolved), or None (``other``, no code)."""
    if not reason_code:
        return None
    code = reason_code.strip().lower()
    code = REASON_ALIASES.get(code, code)
    return None if code == OTHER_REASON else code


def category_labels(scored: Iterable[str], decision: str, reason_code: str | None) -> dict[str, int] | None:
    """{category: 1 positive / 0 negative} for every scored category, or None for no label (escalate)."""
    if decision == "approve":
        return {category: 0 for category in scored}
    if decision == "reject":
        positive = reason_category(reason_code)
        return {category: int(category == positive) for category in scored}
    return None


def latest(decisions: Iterable[DecisionRecord]) -> dict[int, DecisionRecord]:
    """The latest decision per revision (by time, then by id)."""
    chosen: dict[int, DecisionRecord] = {}
    for decision in decisions:
        current = chosen.get(decision.revision_id)
        if current is None or (decision.decided_at, decision.decision_id) >= (current.decided_at, current.decision_id):
            chosen[decision.revision_id] = decision
    return chosen


def language_of(value: str | None) -> str:
    return value or UNKNOWN_LANGUAGE


@dataclass(frozen=True, slots=True)
class Item:
    """A screened revision with its (optional) labels: the unit every figure counts."""

    screening_id: int
    revision_id: int
    post_id: str
    language: str
    scores: Mapping[str, float]
    decision: str
    """The automatic decision of the active screening."""
    failed: bool
    received_at: datetime
    labels: Mapping[str, int] | None = None
    moderator_decision: str | None = None
    reason_code: str | None = None
    decided_auto_decision: str | None = None
    auto_reject_categories: tuple[str, ...] = ()
    weight: float = 1.0
    """How many screenings this labelled item stands for in its stratum (1.0 when unlabelled)."""

    @property
    def labelled(self) -> bool:
        return self.labels is not None

    def label(self, category: str) -> int | None:
        return None if self.labels is None else self.labels.get(category)


@dataclass(frozen=True, slots=True)
class Dataset:
    items: tuple[Item, ...]
    days: int
    """Calendar days (UTC) the screenings span, at least 1: the denominator of every per-day figure."""
    strata: Mapping[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    """(language, automatic decision) -> (screenings, labelled ones)."""

    @property
    def labelled(self) -> list[Item]:
        return [item for item in self.items if item.labelled]

    def missing_qc(self) -> list[str]:
        """Languages whose auto-approved posts have no labelled sample: recall there is an upper bound."""
        return sorted(language for (language, decision), (total, labelled) in self.strata.items()
                      if decision == "approve" and total and not labelled)


def build_dataset(screenings: Sequence[ScreeningRecord], decisions: Iterable[DecisionRecord],
                  weighted: bool = True) -> Dataset:
    by_revision = latest(decisions)
    rows = []
    for s in screenings:
        d = by_revision.get(s.revision_id)
        labels = category_labels(d.scored, d.decision, d.reason_code) if d else None
        rows.append((s, d, labels))
    strata: Counter[tuple[str, str]] = Counter()
    labelled: Counter[tuple[str, str]] = Counter()
    for s, _, labels in rows:
        key = (language_of(s.language), s.decision)
        strata[key] += 1
        if labels is not None:
            labelled[key] += 1
    items = []
    for s, d, labels in rows:
        key = (language_of(s.language), s.decision)
        weight = strata[key] / labelled[key] if (weighted and labels is not None) else 1.0
        items.append(Item(
            s.screening_id, s.revision_id, s.post_id, language_of(s.language), s.scores, s.decision, s.failed,
            s.received_at, labels, d.decision if d else None, d.reason_code if d else None,
            d.auto_decision if d else None, d.auto_reject_categories if d else (), weight))
    return Dataset(tuple(items), span_days([s.received_at for s in screenings]),
                   {key: (strata[key], labelled[key]) for key in sorted(strata)})


def span_days(moments: Sequence[datetime]) -> int:
    if not moments:
        return 1
    days = [moment.astimezone(UTC).date() for moment in moments]
    return (max(days) - min(days)).days + 1
