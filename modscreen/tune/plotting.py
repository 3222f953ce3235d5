"""The sweep's picture: precision-recall curve (current and recommended thresholds marked) and volume."""

from __future__ import annotations

import csv
from pathlib import Path

from modscreen.tune.sweep import Sweep


def write_csv(result: Sweep, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["threshold", "precision", "precision_low", "precision_high", "recall", "recall_low",
                         "recall_high", "f1", "flagged_labels", "tp", "fp", "fn", "flagged_per_day",
                         "review_per_day", "reject_per_day"])
        for p in result.points:
            writer.writerow([f"{p.threshold:g}", _n(p.precision.value), _n(p.precision.low), _n(p.precision.high),
                             _n(p.recall.value), _n(p.recall.low), _n(p.recall.high), _n(p.f1), p.flagged_labels,
                             _n(p.tp), _n(p.fp), _n(p.fn), _n(p.flagged_per_day), _n(p.review_per_day),
                             _n(p.reject_per_day)])


def _n(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


def write_png(result: Sweep, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = [p for p in result.points if p.precision.value is not None and p.recall.value is not None]
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
    left.plot([p.recall.value for p in points], [p.precision.value for p in points], color="tab:blue", lw=1.5,
              label="threshold swept 0 → 1")
    marks = [("current review_at", result.current_review_at, "tab:orange", "o"),
             ("current reject_at", result.current_reject_at, "tab:red", "o"),
             ("recommended review_at", result.recommendation.review_at, "tab:orange", "*"),
             ("recommended reject_at", result.recommendation.reject_at, "tab:red", "*")]
    for label, threshold, colour, marker in marks:
        if threshold is None:
            continue
        p = result.at(threshold)
        if p.precision.value is None or p.recall.value is None:
            continue
        left.scatter([p.recall.value], [p.precision.value], color=colour, marker=marker, s=120 if marker == "*" else 60,
                     zorder=3, label=f"{label} {threshold:g}")
    left.set_xlabel("recall")
    left.set_ylabel("precision")
    left.set_xlim(0, 1.02)
    left.set_ylim(0, 1.02)
    language = f" ({result.language})" if result.language else ""
    left.set_title(f"{result.category}{language}: {result.labels} labels, {result.positives} positive")
    left.legend(loc="lower left", fontsize=8)
    left.grid(alpha=0.3)
    xs = [p.threshold for p in result.points]
    right.plot(xs, [p.review_per_day for p in result.points], label="review queue / day (review_at = t)",
               color="tab:orange")
    right.plot(xs, [p.reject_per_day for p in result.points], label="auto-rejected / day (reject_at = t)",
               color="tab:red")
    right.plot(xs, [p.flagged_per_day for p in result.points], label="score ≥ t / day", color="tab:gray", ls="--")
    for threshold, colour in ((result.current_review_at, "tab:orange"), (result.current_reject_at, "tab:red")):
        if threshold is not None:
            right.axvline(threshold, color=colour, ls=":", lw=1)
    right.set_xlabel("threshold")
    right.set_ylabel(f"posts per day (over {result.days} day(s))")
    right.set_title("volume against threshold")
    right.legend(fontsize=8)
    right.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
