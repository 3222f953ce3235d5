"""Weighted precision, recall, F1 and their Wilson score intervals: pure functions.

A proportion estimated from weighted labels uses the Kish effective sample size
n_eff = (sum w)^2 / sum w^2 in the Wilson interval; with unit weights it is the textbook interval.
Any figure resting on fewer than ``SMALL`` labels is marked ``small``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass

Z95 = 1.959963984540054
SMALL = 30


@dataclass(frozen=True, slots=True)
class Estimate:
    value: float | None
    """None when nothing is in the denominator."""
    low: float | None
    high: float | None
    labels: int
    """Labels in the denominator (raw count)."""
    weighted_hits: float = 0.0
    weighted_total: float = 0.0

    @property
    def small(self) -> bool:
        return self.labels < SMALL

    def as_dict(self) -> dict:
        return {**asdict(self), "small": self.small}

    def short(self) -> str:
        """'78% [65–88]', with '*' when it rests on fewer than SMALL labels."""
        if self.value is None:
            return "–"
        return f"{100 * self.value:.0f}% [{100 * self.low:.0f}–{100 * self.high:.0f}]{'*' if self.small else ''}"

    def text(self, digits: int = 1) -> str:
        if self.value is None:
            return "n/a (no labels)"
        mark = f" (<{SMALL} labels: {self.labels})" if self.small else ""
        return (f"{100 * self.value:.{digits}f}% [{100 * self.low:.{digits}f}–{100 * self.high:.{digits}f}]"
                f"{mark}")


def wilson(p: float, n: float, z: float = Z95) -> tuple[float, float]:
    if n <= 0:
        return 0.0, 1.0
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def proportion(pairs: Iterable[tuple[float, bool]]) -> Estimate:
    """pairs: (weight, counted as a hit) for every label in the denominator."""
    total = squares = hits = 0.0
    count = 0
    for weight, hit in pairs:
        total += weight
        squares += weight * weight
        hits += weight if hit else 0.0
        count += 1
    if count == 0 or total <= 0:
        return Estimate(None, None, None, 0)
    p = hits / total
    low, high = wilson(p, total * total / squares)
    return Estimate(p, low, high, count, hits, total)


@dataclass(frozen=True, slots=True)
class Confusion:
    """Weighted counts of one category's labelled items at one operating point, and raw counts."""

    tp: float = 0.0
    fp: float = 0.0
    fn: float = 0.0
    tn: float = 0.0
    labels: int = 0
    positives: int = 0
    precision: Estimate = Estimate(None, None, None, 0)
    recall: Estimate = Estimate(None, None, None, 0)

    @property
    def f1(self) -> float | None:
        p, r = self.precision.value, self.recall.value
        if p is None or r is None or p + r == 0:
            return None
        return 2 * p * r / (p + r)

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn, "labels": self.labels,
                "positives": self.positives, "precision": self.precision.as_dict(), "recall": self.recall.as_dict(),
                "f1": self.f1}


def confusion(rows: Iterable[tuple[float, int, bool]]) -> Confusion:
    """rows: (weight, label 1/0, predicted positive) for every labelled item of one category."""
    rows = list(rows)
    tp = sum(w for w, y, p in rows if y and p)
    fp = sum(w for w, y, p in rows if not y and p)
    fn = sum(w for w, y, p in rows if y and not p)
    tn = sum(w for w, y, p in rows if not y and not p)
    precision = proportion((w, bool(y)) for w, y, p in rows if p)
    recall = proportion((w, p) for w, y, p in rows if y)
    return Confusion(tp, fp, fn, tn, len(rows), sum(1 for _, y, _ in rows if y), precision, recall)


def estimate_from_sums(hits: float, total: float, squares: float, count: int) -> Estimate:
    """The same Estimate as ``proportion`` from running sums (for vectorised sweeps)."""
    if count == 0 or total <= 0:
        return Estimate(None, None, None, 0)
    p = hits / total
    low, high = wilson(p, total * total / squares)
    return Estimate(p, low, high, int(count), float(hits), float(total))
