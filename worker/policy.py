"""The policy: per-category thresholds (with per-language overrides) that turn scores into a decision.

Reject when any score reaches its ``reject_at``; review when any reaches ``review_at`` or any
check failed; approve otherwise. Only this module compares scores with thresholds.

A category with a ``[scoring.<category>]`` table (see ``worker.category_scores``) is decided on its
combined category score, with one reason carrying the evidence of the findings that pushed it up;
any other category on each finding's own score, one reason per finding (its score is the highest).
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from worker.category_scores import CategoryScoring, strongest_first, unknown_checks
from worker.errors import PolicyError
from worker.types import CheckFailure, Decision, Finding, Reason

Score = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]


class Thresholds(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    review_at: Score | None = None
    reject_at: Score | None = None

    @model_validator(mode="after")
    def _review_before_reject(self) -> Thresholds:
        if self.review_at is not None and self.reject_at is not None and self.review_at > self.reject_at:
            raise ValueError(f"review_at ({self.review_at}) is above reject_at ({self.reject_at})")
        return self

    def merged_with(self, override: Thresholds) -> Thresholds:
        return Thresholds.model_construct(**(self.model_dump() | override.model_dump(exclude_unset=True)))


class LanguageOverrides(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    categories: dict[str, Thresholds] = {}


class Limits(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    max_body_chars: int = Field(default=100_000, ge=1_000, le=10_000_000)
    check_seconds_per_post: float = Field(default=2.0, gt=0, le=60)
    regex_timeout_seconds: float = Field(default=1.0, gt=0, le=10)


class Policy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: Annotated[str, Field(min_length=1, max_length=64)]
    disabled_checks: frozenset[str] = frozenset()
    limits: Limits = Limits()
    categories: dict[str, Thresholds]
    languages: dict[str, LanguageOverrides] = {}
    scoring: dict[str, CategoryScoring] = {}

    def category_scores(self, findings: Sequence[Finding], categories: Collection[str]) -> dict[str, float]:
        """Every category that ran (``categories``) -> its score from these findings, sorted by name."""
        grouped = _by_category(findings)
        names = set(categories) | set(grouped)
        return {name: self.scoring.get(name, _HIGHEST).score(grouped.get(name, [])) for name in sorted(names)}

    def thresholds(self, category: str, language: str | None) -> Thresholds:
        base = self.categories.get(category, Thresholds())
        override = self.languages.get(language or "", LanguageOverrides()).categories.get(category)
        return base.merged_with(override) if override else base

    def decide(
        self, findings: Sequence[Finding], failures: Sequence[CheckFailure], language: str | None
    ) -> tuple[Decision, tuple[Reason, ...]]:
        reasons = []
        for category, found in _by_category(findings).items():
            scoring = self.scoring.get(category)
            if scoring is None or scoring.combine == "max":
                for finding in found:
                    reason = self._reason(category, finding.score, [finding], language)
                    if reason is not None:
                        reasons.append(reason)
                continue
            reason = self._reason(category, scoring.score(found), strongest_first(scoring, found), language)
            if reason is not None:
                reasons.append(reason)
        reasons.sort(key=lambda reason: (-reason.action.severity, -reason.score, reason.code))
        if reasons and reasons[0].action is Decision.REJECT:
            return Decision.REJECT, tuple(reasons)
        if reasons or failures:  # a failed check never lets a post through unseen
            return Decision.REVIEW, tuple(reasons)
        return Decision.APPROVE, ()

    def _reason(self, category: str, score: float, found: Sequence[Finding], language: str | None) -> Reason | None:
        """A reason when `score` crosses a threshold: the first finding's code and message, all their evidence."""
        limits = self.thresholds(category, language)
        if limits.reject_at is not None and score >= limits.reject_at:
            action, threshold = Decision.REJECT, limits.reject_at
        elif limits.review_at is not None and score >= limits.review_at:
            action, threshold = Decision.REVIEW, limits.review_at
        else:
            return None
        evidence = tuple(dict.fromkeys(item for finding in found for item in finding.evidence))
        return Reason(category, found[0].code, score, threshold, action, found[0].message, evidence)


_HIGHEST = CategoryScoring()  # a category without a scoring table: its highest finding score


def _by_category(findings: Sequence[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.category, []).append(finding)
    return grouped


def load_policy(path: Path, known_categories: Collection[str], known_checks: Collection[str]) -> Policy:
    """Read and validate a policy file; every error names the offending key."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PolicyError(f"{path}: cannot read the policy: {error.strerror or error}") from None
    return parse_policy(text, str(path), known_categories, known_checks)


def parse_policy(text: str, source: str, known_categories: Collection[str], known_checks: Collection[str]) -> Policy:
    """Validate policy TOML text (a file's, or a stored version's); errors name `source` and the key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"{source}: not valid TOML: {error}") from None
    try:
        policy = Policy.model_validate(data)
    except ValidationError as error:
        problem = error.errors()[0]
        key = ".".join(str(part) for part in problem["loc"] if not str(part).startswith("function-after"))
        raise PolicyError(f"{source}: {key}: {problem['msg']}") from None
    _check_names(source, policy, set(known_categories), set(known_checks))
    return policy


def _check_names(path: str, policy: Policy, categories: set[str], checks: set[str]) -> None:
    for name in policy.categories:
        if name not in categories:
            raise PolicyError(f"{path}: categories.{name}: unknown category (known: {', '.join(sorted(categories))})")
    for language, overrides in policy.languages.items():
        for name in overrides.categories:
            if name not in categories:
                raise PolicyError(f"{path}: languages.{language}.categories.{name}: unknown category")
            merged = policy.thresholds(name, language)  # an override may break review <= reject
            if merged.review_at is not None and merged.reject_at is not None and merged.review_at > merged.reject_at:
                raise PolicyError(f"{path}: languages.{language}.categories.{name}: review_at is above reject_at")
    for name in policy.scoring:
        if name not in categories:
            raise PolicyError(f"{path}: scoring.{name}: unknown category")
    for key in unknown_checks(policy.scoring, checks):
        raise PolicyError(f"{path}: {key}: unknown check")
    for name in policy.disabled_checks:
        if name not in checks:
            raise PolicyError(f"{path}: disabled_checks: unknown check {name!r}")
    for name in categories - set(policy.categories):
        raise PolicyError(f"{path}: categories.{name}: missing (give thresholds, or an empty table to never act)")
