"""Precision, recall and review-queue volume of one category at every threshold, from stored scores.

No post is screened again: each labelled item's stored score is compared with each candidate
threshold. The queue volume counts every screening (labelled or not): with the category's
``review_at`` at t and every other threshold as in the live policy, how many posts a day would
go to review (and how many would be rejected with its ``reject_at`` at t).

``recommend`` picks, for an analyst's targets:
- ``reject_at``: the lowest threshold from which precision stays at or above the target at
  every higher threshold (so one lucky point does not decide);
- ``review_at``: the highest threshold whose recall is still at or above the target (the
  fewest posts to review for the recall asked), never above the recommended ``reject_at``.

``SliderData.point`` is the JSON-able answer for a page's threshold slider.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from modscreen.tune.labels import Dataset
from modscreen.tune.metrics import SMALL, Estimate, estimate_from_sums
from modscreen.tune.policies import action
from worker.policy import Policy


def grid(step: float = 0.01) -> list[float]:
    count = round(1 / step)
    return [round(i * step, 6) for i in range(count + 1)]


@dataclass(frozen=True, slots=True)
class SweepPoint:
    threshold: float
    flagged_labels: int
    """Labelled items at or above the threshold."""
    tp: float
    fp: float
    fn: float
    precision: Estimate
    recall: Estimate
    f1: float | None
    flagged_per_day: float
    """Screenings (labelled or not) whose score is at or above the threshold, per day."""
    review_per_day: float
    """Posts sent to review per day if the category's review_at were this threshold."""
    reject_per_day: float
    """Posts rejected per day if the category's reject_at were this threshold."""

    def as_dict(self) -> dict:
        out = asdict(self)
        out["precision"], out["recall"] = self.precision.as_dict(), self.recall.as_dict()
        return out


@dataclass(frozen=True, slots=True)
class Recommendation:
    review_at: float | None
    reject_at: float | None
    review_recall: float | None
    reject_precision: float | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Sweep:
    category: str
    language: str | None
    days: int
    screenings: int
    labels: int
    positives: int
    current_review_at: float | None
    current_reject_at: float | None
    points: tuple[SweepPoint, ...]
    recommendation: Recommendation
    notes: tuple[str, ...] = field(default=())

    def at(self, threshold: float) -> SweepPoint:
        return min(self.points, key=lambda p: abs(p.threshold - threshold))

    def as_dict(self) -> dict:
        return {"category": self.category, "language": self.language, "days": self.days,
                "screenings": self.screenings, "labels": self.labels, "positives": self.positives,
                "current_review_at": self.current_review_at, "current_reject_at": self.current_reject_at,
                "recommendation": asdict(self.recommendation), "notes": list(self.notes),
                "points": [p.as_dict() for p in self.points]}


class SliderData:
    """One category's items as arrays: any threshold's figures in microseconds (for a page's slider)."""

    def __init__(self, dataset: Dataset, policy: Policy, category: str, language: str | None = None) -> None:
        self.category, self.language, self.days, self.policy = category, language, dataset.days, policy
        items = [item for item in dataset.items if language is None or item.language == language]
        self.screenings = len(items)
        self.scores = np.array([item.scores.get(category, -1.0) for item in items], dtype=float)
        own_reject = [policy.thresholds(category, item.language).reject_at for item in items]
        self.own_reject_at = np.array([np.inf if r is None else r for r in own_reject], dtype=float)
        self.other_reject = np.zeros(len(items), dtype=bool)
        self.other_review = np.zeros(len(items), dtype=bool)
        for i, item in enumerate(items):
            actions = {action(policy, c, s, item.language) for c, s in item.scores.items() if c != category}
            self.other_reject[i] = "reject" in actions
            self.other_review[i] = "review" in actions or item.failed
        labelled = [item for item in items if item.label(category) is not None and category in item.scores]
        self.labels = len(labelled)
        self.l_scores = np.array([item.scores[category] for item in labelled], dtype=float)
        self.l_y = np.array([item.label(category) for item in labelled], dtype=bool)
        self.l_w = np.array([item.weight for item in labelled], dtype=float)
        self.positives = int(self.l_y.sum())
        base = policy.thresholds(category, language)
        self.current_review_at, self.current_reject_at = base.review_at, base.reject_at

    def point(self, threshold: float) -> SweepPoint:
        t = float(threshold)
        flagged = self.l_scores >= t
        w, y = self.l_w, self.l_y
        tp, fp = float(w[flagged & y].sum()), float(w[flagged & ~y].sum())
        fn = float(w[~flagged & y].sum())
        precision = estimate_from_sums(tp, tp + fp, float((w[flagged] ** 2).sum()), int(flagged.sum()))
        recall = estimate_from_sums(tp, tp + fn, float((w[y] ** 2).sum()), int(y.sum()))
        p, r = precision.value, recall.value
        f1 = None if p is None or r is None or p + r == 0 else 2 * p * r / (p + r)
        above = self.scores >= t
        rejected = self.other_reject | (self.scores >= self.own_reject_at)
        review = ~rejected & (self.other_review | above)
        rejected_if = self.other_reject | above
        return SweepPoint(t, int(flagged.sum()), tp, fp, fn, precision, recall, f1,
                          float(above.sum()) / self.days, float(review.sum()) / self.days,
                          float(rejected_if.sum()) / self.days)

    def slider(self, threshold: float) -> dict:
        """JSON for a page: the figures at `threshold` next to those at the current review_at."""
        now = self.point(self.current_review_at) if self.current_review_at is not None else None
        new = self.point(threshold)
        return {"category": self.category, "language": self.language, "threshold": threshold,
                "current_review_at": self.current_review_at, "current_reject_at": self.current_reject_at,
                "labels": self.labels, "small_sample": self.labels < SMALL,
                "at_threshold": new.as_dict(), "at_current": now.as_dict() if now else None}


def sweep(dataset: Dataset, policy: Policy, category: str, language: str | None = None, step: float = 0.01,
          reject_precision: float | None = None, review_recall: float | None = None) -> Sweep:
    data = SliderData(dataset, policy, category, language)
    points = tuple(data.point(t) for t in grid(step))
    notes = []
    if data.labels < SMALL:
        notes.append(f"only {data.labels} labelled {category} items (< {SMALL}): every figure is uncertain")
    if data.positives == 0:
        notes.append(f"no positive {category} label: recall cannot be estimated")
    missing = dataset.missing_qc()
    if missing:
        notes.append("no quality-control sample of auto-approved posts in " + ", ".join(missing)
                     + ": recall there is an upper bound")
    if language is None and any(category in o.categories for o in policy.languages.values()):
        notes.append(f"the live policy overrides {category} for some languages; a sweep over all languages "
                     "applies one threshold everywhere (use --language)")
    return Sweep(category, language, dataset.days, data.screenings, data.labels, data.positives,
                 data.current_review_at, data.current_reject_at, points,
                 recommend(points, reject_precision, review_recall), tuple(notes))


def recommend(points: tuple[SweepPoint, ...], reject_precision: float | None,
              review_recall: float | None) -> Recommendation:
    notes = []
    reject_at = None
    if reject_precision is not None:
        ordered = sorted(points, key=lambda p: p.threshold)
        candidate = None
        for point in reversed(ordered):  # from the top down, while precision holds
            if point.precision.value is None:
                continue
            if point.precision.value >= reject_precision:
                candidate = point
            else:
                break
        if candidate is None:
            notes.append(f"no threshold reaches precision {reject_precision:g}: do not auto-reject on this category")
        else:
            reject_at = candidate.threshold
            if candidate.precision.small:
                notes.append(f"reject_at {reject_at:g} rests on {candidate.precision.labels} labels (< {SMALL})")
    review_at = None
    if review_recall is not None:
        reaching = [p for p in points if p.recall.value is not None and p.recall.value >= review_recall]
        if not reaching:
            notes.append(f"no threshold reaches recall {review_recall:g}")
        else:
            best = max(reaching, key=lambda p: p.threshold)
            review_at = best.threshold
            if reject_at is not None and review_at > reject_at:
                notes.append(f"recall {review_recall:g} holds up to {review_at:g}, above the recommended reject_at: "
                             f"review_at set to reject_at {reject_at:g}")
                review_at = reject_at
            if best.recall.small:
                notes.append(f"review_at {review_at:g} rests on {best.recall.labels} positive labels (< {SMALL})")
    return Recommendation(review_at, reject_at, review_recall, reject_precision, tuple(notes))
