"""Shadow report: where a shadow policy (stored beside the live one, never acted on) disagrees.

Live and shadow screenings are paired by revision. For each pair: both decisions, and per
category whether each acted. Where moderators labelled a disagreeing post, the report says
which side they agreed with (a post 'should be acted on' when a label is positive for any
category, and approved otherwise).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import asdict, dataclass, field

from models.analytics_store import DecisionRecord, ScreeningRecord
from modscreen.tune.labels import category_labels, language_of, latest
from modscreen.tune.metrics import Confusion, confusion
from modscreen.tune.policies import CATEGORIES, action
from worker.policy import Policy


@dataclass(frozen=True, slots=True)
class Disagreement:
    post_id: str
    revision_id: int
    language: str
    live: str
    shadow: str
    categories: tuple[str, ...]
    """Categories acted on by one side only."""
    moderator_decision: str | None
    reason_code: str | None


@dataclass(frozen=True, slots=True)
class ShadowReport:
    live_version: str
    shadow_version: str | None
    pairs: int
    agree: int
    transitions: dict[str, int]
    by_category: dict[str, int]
    """category -> posts it acted on under one policy only."""
    labelled_disagreements: int
    live_right: int
    shadow_right: int
    live: dict[str, Confusion]
    shadow: dict[str, Confusion]
    sample: tuple[Disagreement, ...]
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict:
        out = {k: getattr(self, k) for k in ("live_version", "shadow_version", "pairs", "agree", "transitions",
                                             "by_category", "labelled_disagreements", "live_right", "shadow_right")}
        out["live"] = {k: v.as_dict() for k, v in self.live.items()}
        out["shadow"] = {k: v.as_dict() for k, v in self.shadow.items()}
        out["sample"] = [asdict(d) for d in self.sample]
        out["notes"] = list(self.notes)
        return out


def shadow_report(live_rows: list[ScreeningRecord], shadow_rows: list[ScreeningRecord],
                  decisions: list[DecisionRecord], live_policy: Policy, shadow_policy: Policy | None,
                  sample_size: int = 10, seed: int = 0) -> ShadowReport:
    shadows = {row.revision_id: row for row in shadow_rows}
    labels_of = latest(decisions)
    transitions: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    disagreements: list[Disagreement] = []
    rows_live: dict[str, list] = {c: [] for c in CATEGORIES}
    rows_shadow: dict[str, list] = {c: [] for c in CATEGORIES}
    pairs = agree = labelled = live_right = shadow_right = 0
    for live in live_rows:
        shadow = shadows.get(live.revision_id)
        if shadow is None:
            continue
        pairs += 1
        decision = labels_of.get(live.revision_id)
        labels = category_labels(decision.scored, decision.decision, decision.reason_code) if decision else None
        differing = []
        for category in CATEGORIES:
            a = action(live_policy, category, live.scores.get(category), live.language)
            b = (action(shadow_policy, category, shadow.scores.get(category), shadow.language) if shadow_policy
                 else None)
            if shadow_policy is not None and (a is None) != (b is None):
                differing.append(category)
            y = labels.get(category) if labels else None
            if y is not None:
                rows_live[category].append((1.0, y, a is not None))
                if shadow_policy is not None:
                    rows_shadow[category].append((1.0, y, b is not None))
        by_category.update(differing)
        if live.decision == shadow.decision:
            agree += 1
            continue
        transitions[f"{live.decision}->{shadow.decision}"] += 1
        if labels is not None:
            labelled += 1
            should_act = any(labels.values())
            live_right += (live.decision != "approve") == should_act
            shadow_right += (shadow.decision != "approve") == should_act
        disagreements.append(Disagreement(live.post_id, live.revision_id, language_of(live.language), live.decision,
                                          shadow.decision, tuple(differing),
                                          decision.decision if decision else None,
                                          decision.reason_code if decision else None))
    picked = sorted(random.Random(seed).sample(disagreements, min(sample_size, len(disagreements))),
                    key=lambda d: d.revision_id)
    notes = []
    if not shadow_rows:
        notes.append("no shadow screenings stored: start one with `modscreen policy shadow FILE` and let workers run")
    versions = sorted({row.policy_version for row in shadow_rows})
    return ShadowReport(
        live_policy.version, shadow_policy.version if shadow_policy else (versions[-1] if versions else None),
        pairs, agree, dict(sorted(transitions.items())), dict(by_category.most_common()), labelled, live_right,
        shadow_right, {c: confusion(r) for c, r in rows_live.items() if r},
        {c: confusion(r) for c, r in rows_shadow.items() if r}, tuple(picked), tuple(notes))
