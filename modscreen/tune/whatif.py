"""What-if: replay stored scores under a candidate policy, against the baseline (the live policy).

No post is screened again: each active screening's per-category scores are decided under both
policies (the same rule as ``Policy.decide``). Reported: how many decisions change in each
direction, per category how many posts it newly flags or stops flagging, the estimated
precision / recall of acting on it before and after (from moderator labels, with Wilson
intervals), the review queue per day before and after, and a sample of changed items.

A change to ``disabled_checks`` or ``limits`` cannot be replayed from scores: it is reported,
and the replay ignores it (re-screen to see its effect).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import asdict, dataclass, field

from modscreen.tune.labels import Dataset, Item
from modscreen.tune.metrics import Confusion, confusion
from modscreen.tune.policies import CATEGORIES, ThresholdChange, action, decide, other_changes, threshold_changes
from worker.policy import Policy


@dataclass(frozen=True, slots=True)
class CategoryChange:
    category: str
    flagged_before: int
    flagged_after: int
    newly_flagged: int
    no_longer_flagged: int
    rejected_before: int
    rejected_after: int
    before: Confusion
    after: Confusion
    caught_per_day_before: float
    """Weighted true positives acted on, per day (labelled items stand for their stratum)."""
    caught_per_day_after: float

    def as_dict(self) -> dict:
        out = {k: v for k, v in asdict(self).items() if k not in ("before", "after")}
        return {**out, "before": self.before.as_dict(), "after": self.after.as_dict()}


@dataclass(frozen=True, slots=True)
class ChangedItem:
    screening_id: int
    revision_id: int
    post_id: str
    language: str
    before: str
    after: str
    scores: dict[str, float]
    label: dict[str, int] | None
    moderator_decision: str | None
    reason_code: str | None
    text: str = ""


@dataclass(frozen=True, slots=True)
class WhatIf:
    baseline_version: str
    candidate_version: str
    days: int
    screenings: int
    changed: int
    transitions: dict[str, int]
    """'approve->review' -> count (only changes)."""
    review_per_day_before: float
    review_per_day_after: float
    reject_per_day_before: float
    reject_per_day_after: float
    categories: tuple[CategoryChange, ...]
    threshold_changes: tuple[ThresholdChange, ...]
    sample: tuple[ChangedItem, ...]
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict:
        return {**{k: getattr(self, k) for k in ("baseline_version", "candidate_version", "days", "screenings",
                                                  "changed", "transitions", "review_per_day_before",
                                                  "review_per_day_after", "reject_per_day_before",
                                                  "reject_per_day_after")},
                "categories": [c.as_dict() for c in self.categories],
                "threshold_changes": [asdict(c) for c in self.threshold_changes],
                "sample": [asdict(s) for s in self.sample], "notes": list(self.notes)}


def _acts(policy: Policy, category: str, item: Item) -> str | None:
    return action(policy, category, item.scores.get(category), item.language)


def category_change(dataset: Dataset, baseline: Policy, candidate: Policy, category: str) -> CategoryChange:
    flagged_before = flagged_after = newly = dropped = rejected_before = rejected_after = 0
    rows_before, rows_after = [], []
    for item in dataset.items:
        if category not in item.scores:
            continue
        a, b = _acts(baseline, category, item), _acts(candidate, category, item)
        flagged_before += a is not None
        flagged_after += b is not None
        newly += a is None and b is not None
        dropped += a is not None and b is None
        rejected_before += a == "reject"
        rejected_after += b == "reject"
        y = item.label(category)
        if y is not None:
            rows_before.append((item.weight, y, a is not None))
            rows_after.append((item.weight, y, b is not None))
    before, after = confusion(rows_before), confusion(rows_after)
    return CategoryChange(category, flagged_before, flagged_after, newly, dropped, rejected_before, rejected_after,
                          before, after, before.tp / dataset.days, after.tp / dataset.days)


def whatif(dataset: Dataset, baseline: Policy, candidate: Policy, sample_size: int = 10, seed: int = 0,
           categories: list[str] | None = None) -> WhatIf:
    transitions: Counter[str] = Counter()
    changed: list[tuple[Item, str, str]] = []
    review = [0, 0]
    reject = [0, 0]
    for item in dataset.items:
        a = decide(baseline, item.scores, item.language, item.failed)
        b = decide(candidate, item.scores, item.language, item.failed)
        review[0] += a == "review"
        review[1] += b == "review"
        reject[0] += a == "reject"
        reject[1] += b == "reject"
        if a != b:
            transitions[f"{a}->{b}"] += 1
            changed.append((item, a, b))
    changes = threshold_changes(baseline, candidate)
    wanted = categories or sorted({c.category for c in changes}, key=CATEGORIES.index)
    per_category = tuple(category_change(dataset, baseline, candidate, c) for c in wanted)
    picked = random.Random(seed).sample(changed, min(sample_size, len(changed)))
    picked.sort(key=lambda entry: entry[0].screening_id)
    sample = tuple(ChangedItem(i.screening_id, i.revision_id, i.post_id, i.language, a, b, dict(i.scores),
                               dict(i.labels) if i.labels is not None else None, i.moderator_decision, i.reason_code)
                   for i, a, b in picked)
    notes = [f"not replayed (needs a re-screen): {note}" for note in other_changes(baseline, candidate)]
    missing = dataset.missing_qc()
    if missing:
        notes.append("no quality-control sample of auto-approved posts in " + ", ".join(missing)
                     + ": recall there is an upper bound")
    days = dataset.days
    return WhatIf(baseline.version, candidate.version, days, len(dataset.items), len(changed),
                  dict(sorted(transitions.items())), review[0] / days, review[1] / days, reject[0] / days,
                  reject[1] / days, per_category, tuple(changes), sample, tuple(notes))


def with_texts(result: WhatIf, texts: dict[int, dict]) -> WhatIf:
    """The sample with each post's title and body (cut to 300 characters) for inspection."""
    import dataclasses

    sample = []
    for item in result.sample:
        payload = texts.get(item.revision_id, {})
        text = " — ".join(part for part in (payload.get("title"), payload.get("body")) if part)
        sample.append(dataclasses.replace(item, text=text[:300] if text else "(text purged)"))
    return dataclasses.replace(result, sample=tuple(sample))


def headline(result: WhatIf) -> list[str]:
    """One line per changed category: the answer to 'how many more posts, how much more caught?'."""
    lines = []
    delta = result.review_per_day_after - result.review_per_day_before
    lines.append(f"review queue: {result.review_per_day_before:.1f} -> {result.review_per_day_after:.1f} posts/day "
                 f"({delta:+.1f}/day); auto-rejected: {result.reject_per_day_before:.1f} -> "
                 f"{result.reject_per_day_after:.1f}/day; {result.changed} of {result.screenings} decisions change "
                 f"over {result.days} day(s)")
    for c in result.categories:
        extra = c.caught_per_day_after - c.caught_per_day_before
        lines.append(
            f"{c.category}: flags {c.flagged_before} -> {c.flagged_after} posts ({c.newly_flagged} new, "
            f"{c.no_longer_flagged} dropped); recall {c.before.recall.text()} -> {c.after.recall.text()}; "
            f"precision {c.before.precision.text()} -> {c.after.precision.text()}; "
            f"caught {c.caught_per_day_before:.2f} -> {c.caught_per_day_after:.2f}/day ({extra:+.2f}/day, estimated)")
    return lines
