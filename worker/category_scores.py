"""Category scores: how the findings of several checks in one category become one score.

Checks report their own scores on their own scales (a near-binary word-list hit at 0.9, a model's
probability, a rule's confidence); the category score is what the policy compares with its
thresholds and what analysts sweep, so it must *rank* posts well. Taking the highest score does
not: a near-binary 0.9 outranks every model probability below it, whatever the model says
(issue 11: the offensive category ranked the Kaggle insults set at AUC 0.73 against 0.815 for the
insults model alone).

A category without a ``[scoring.<category>]`` table in the policy keeps the highest finding score
(``combine = "max"``, the historical behaviour). With ``combine = "logistic"``, the category score is

    noisy-OR( sigmoid(scale * (bias + Σ_c [present_c + weight_c * logit(s_c)])),
              sigmoid(present_a + weight_a * logit(s_a)) for every check a listed with alone = true,
              s_u for every check u not listed )

* the listed checks ``c`` (``[scoring.<category>.checks.<check>]``) form one learned logistic
  combination, over the highest score ``s_c`` each reported: ``weight`` calibrates the check's
  score, ``present`` is what the check firing at all is worth (rules that always report the same
  score). A listed check that reported nothing adds nothing; when none reported, the term is 0.
  Checks whose scores are correlated (a swear-word list and an insult model) belong here: the fit
  learns how much one adds once the other is known;
* a check listed with ``alone = true`` is calibrated on its own (Platt scaling: its score becomes
  a probability) and joins by noisy-OR: a rule that is nearly always right when it fires is never
  vetoed by a model that reads the post as harmless;
* every check of the category that is *not* listed (a check another engineer adds later) joins by
  noisy-OR with its own score, so it can only raise the category, never lower it, and a new check
  acts at least as it would under ``max``: the combination works for any set of checks;
* ``scale`` maps the learned log-odds to the community's probability without changing the ranking.

The weights are data, fitted by ``python -m training category_scores`` (see that module) and
pasted into ``config/policy.toml``; they are part of the policy version like thresholds.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from worker.types import Finding

_EDGE = 1e-4  # scores are clipped to [_EDGE, 1 - _EDGE] before logit: 0 and 1 have no finite log-odds
Real = Annotated[float, Field(allow_inf_nan=False, ge=-50.0, le=50.0)]


class CheckWeight(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    weight: Annotated[float, Field(allow_inf_nan=False, ge=0.0, le=50.0)] = 1.0
    """Slope on the check's log-odds; never negative, so a higher check score never lowers the category."""
    present: Real = 0.0
    alone: bool = False
    """Calibrated on its own and joined by noisy-OR, instead of inside the learned combination."""

    def calibrated(self, score: float) -> float:
        return _sigmoid(self.present + self.weight * logit(score))


class CategoryScoring(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    combine: Literal["max", "logistic"] = "max"
    bias: Real = 0.0
    scale: Annotated[float, Field(allow_inf_nan=False, gt=0.0, le=50.0)] = 1.0
    checks: dict[str, CheckWeight] = {}

    def score(self, findings: Sequence[Finding]) -> float:
        """The category score of one post's findings in this category."""
        best = _best_by_check(findings)
        if not best:
            return 0.0
        if self.combine == "max":
            return max(best.values())
        survive = 1.0  # noisy-OR: the chance that no term says "violation"
        if any(self.is_grouped(name) for name in best):
            survive *= 1.0 - self.learned(best)
        for name, score in best.items():
            if not self.is_grouped(name):
                survive *= 1.0 - self.term(name, score)
        return min(1.0, max(0.0, 1.0 - survive))

    def learned(self, best: Mapping[str, float]) -> float:
        log_odds = self.bias + sum(self.contribution(name, score) for name, score in best.items() if self.is_grouped(name))
        return _sigmoid(self.scale * log_odds)

    def term(self, check: str, score: float) -> float:
        """The probability a check joins the noisy-OR with: calibrated when listed alone, else its own score."""
        weight = self.checks.get(check)
        return score if weight is None else weight.calibrated(score)

    def contribution(self, check: str, score: float) -> float:
        """What one check's score adds to the log-odds (a check outside the group: its own term's log-odds)."""
        if not self.is_grouped(check):
            return logit(self.term(check, score))
        weight = self.checks[check]
        return weight.present + weight.weight * logit(score)

    def is_grouped(self, check: str) -> bool:
        weight = self.checks.get(check)
        return weight is not None and not weight.alone


def logit(score: float) -> float:
    clipped = min(1.0 - _EDGE, max(_EDGE, score))
    return math.log(clipped / (1.0 - clipped))


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


def _best_by_check(findings: Sequence[Finding]) -> dict[str, float]:
    best: dict[str, float] = {}
    for finding in findings:
        best[finding.check] = max(best.get(finding.check, 0.0), finding.score)
    return best


def strongest_first(scoring: CategoryScoring, findings: Sequence[Finding]) -> list[Finding]:
    """The category's findings that pushed its score up (positive contribution), strongest first.

    When none did (the bias alone carried the score), the single strongest one: a reason always
    has a code and a message.
    """
    ranked = sorted(findings, key=lambda f: (-scoring.contribution(f.check, f.score), f.code))
    if scoring.combine == "max":
        return ranked
    pushing = [f for f in ranked if not scoring.is_grouped(f.check) or scoring.contribution(f.check, f.score) > 0.0]
    return pushing or ranked[:1]


def unknown_checks(scoring: Mapping[str, CategoryScoring], known: Collection[str]) -> list[str]:
    return [f"scoring.{category}.checks.{name}" for category, table in scoring.items()
            for name in table.checks if name not in known]
