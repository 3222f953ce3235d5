"""The analysts' report: how well each category's live thresholds do against moderator decisions.

Per category and language, over labelled screenings (moderator decisions, including the random
quality-control sample of auto-approved posts, weighted to stand for all auto-approved posts):
labels, positives, precision / recall / F1 of acting on the category (score at or above the
lower of its review_at and reject_at), precision of its automatic rejections, and the overturn
rate of those rejections (a moderator approved a post the category had rejected). Then the
volume of each automatic and moderator decision and the review-queue load per day.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC

from modscreen.tune.labels import Dataset
from modscreen.tune.metrics import SMALL, Confusion, Estimate, confusion, proportion
from modscreen.tune.policies import CATEGORIES
from worker.policy import Policy


@dataclass(frozen=True, slots=True)
class CategoryRow:
    category: str
    language: str
    """A language code, or 'all'."""
    review_at: float | None
    reject_at: float | None
    acting: Confusion
    """Predicted positive: score >= min(review_at, reject_at)."""
    rejecting: Confusion
    """Predicted positive: score >= reject_at."""
    auto_rejections_decided: int
    overturned: int
    overturn_rate: Estimate

    @property
    def small(self) -> bool:
        return self.acting.labels < SMALL

    def as_dict(self) -> dict:
        return {"category": self.category, "language": self.language, "review_at": self.review_at,
                "reject_at": self.reject_at, "acting": self.acting.as_dict(), "rejecting": self.rejecting.as_dict(),
                "auto_rejections_decided": self.auto_rejections_decided, "overturned": self.overturned,
                "overturn_rate": self.overturn_rate.as_dict(), "small": self.small}


@dataclass(frozen=True, slots=True)
class Report:
    policy_version: str
    days: int
    screenings: int
    labelled: int
    rows: tuple[CategoryRow, ...]
    automatic: dict[str, dict[str, int]]
    """language -> decision -> screenings."""
    moderator: dict[str, dict[str, int]]
    """language -> approve / reject / escalate -> revisions (latest decision each)."""
    review_per_day: dict[str, dict[str, int]]
    """day (ISO) -> language -> posts sent to review."""
    strata: dict[str, dict[str, list[int]]]
    """language -> automatic decision -> [screenings, labelled]: the quality-control sampling rates."""
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict:
        return {"policy_version": self.policy_version, "days": self.days, "screenings": self.screenings,
                "labelled": self.labelled, "rows": [row.as_dict() for row in self.rows],
                "automatic": self.automatic, "moderator": self.moderator, "review_per_day": self.review_per_day,
                "strata": self.strata, "notes": list(self.notes)}


def _thresholds(policy: Policy, category: str, language: str | None) -> tuple[float | None, float | None]:
    limits = policy.thresholds(category, None if language in (None, "all") else language)
    return limits.review_at, limits.reject_at


def _acting_threshold(review_at: float | None, reject_at: float | None) -> float | None:
    present = [t for t in (review_at, reject_at) if t is not None]
    return min(present) if present else None


def category_row(dataset: Dataset, policy: Policy, category: str, language: str) -> CategoryRow:
    items = [item for item in dataset.items if language == "all" or item.language == language]
    acting, rejecting = [], []
    overturns = []
    for item in items:
        y = item.label(category)
        if y is None or category not in item.scores:
            continue
        review_at, reject_at = _thresholds(policy, category, item.language)
        act = _acting_threshold(review_at, reject_at)
        score = item.scores[category]
        acting.append((item.weight, y, act is not None and score >= act))
        rejecting.append((item.weight, y, reject_at is not None and score >= reject_at))
        if category in item.auto_reject_categories and item.moderator_decision in ("approve", "reject"):
            overturns.append((1.0, item.moderator_decision == "approve"))
    review_at, reject_at = _thresholds(policy, category, language)
    rate = proportion(overturns)
    return CategoryRow(category, language, review_at, reject_at, confusion(acting), confusion(rejecting),
                       len(overturns), sum(1 for _, hit in overturns if hit), rate)


def build_report(dataset: Dataset, policy: Policy, categories: list[str] | None = None,
                 languages: list[str] | None = None) -> Report:
    langs = languages or sorted({item.language for item in dataset.items})
    cats = categories or [c for c in CATEGORIES if any(c in item.scores for item in dataset.items)]
    rows = []
    for category in cats:
        for language in ([*langs, "all"] if len(langs) > 1 else langs):
            rows.append(category_row(dataset, policy, category, language))
    automatic: dict[str, Counter] = defaultdict(Counter)
    moderator: dict[str, Counter] = defaultdict(Counter)
    per_day: dict[str, Counter] = defaultdict(Counter)
    for item in dataset.items:
        if item.language not in langs:
            continue
        automatic[item.language][item.decision] += 1
        if item.moderator_decision:
            moderator[item.language][item.moderator_decision] += 1
        if item.decision == "review":
            per_day[item.received_at.astimezone(UTC).date().isoformat()][item.language] += 1
    notes = []
    missing = [language for language in dataset.missing_qc() if language in langs]
    if missing:
        notes.append("no quality-control sample of auto-approved posts in " + ", ".join(missing)
                     + ": recall there counts only what was flagged (an upper bound)")
    if any(row.small for row in rows):
        notes.append(f"figures marked * rest on fewer than {SMALL} labels")
    strata: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for (language, decision), (total, labelled) in dataset.strata.items():
        if language in langs:
            strata[language][decision] = [total, labelled]
    return Report(policy.version, dataset.days, sum(1 for i in dataset.items if i.language in langs),
                  sum(1 for i in dataset.items if i.language in langs and i.labelled), tuple(rows),
                  {k: dict(v) for k, v in sorted(automatic.items())}, {k: dict(v) for k, v in sorted(moderator.items())},
                  {k: dict(v) for k, v in sorted(per_day.items())}, dict(strata), tuple(notes))
