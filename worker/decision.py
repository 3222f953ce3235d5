"""Findings to a decision under a policy: the one place scores are aggregated and thresholds applied.

The engine decides every post it screens here; a shadow policy re-decides the same verdict's
findings here too (``redecide``), so a shadow verdict costs no check run and can never drift
from what the engine would have decided under that policy.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from worker.checks import registered_checks
from worker.policy import Policy
from worker.types import CheckFailure, Decision, Finding, Reason, Verdict


@dataclass(frozen=True, slots=True)
class Decided:
    decision: Decision
    reasons: tuple[Reason, ...]
    scores: dict[str, float]
    """Every category that ran -> its score, sorted by name (a category that found nothing scores 0)."""


def decide(policy: Policy, findings: Sequence[Finding], failures: Sequence[CheckFailure], language: str | None,
           categories_ran: Collection[str]) -> Decided:
    decision, reasons = policy.decide(findings, failures, language)
    return Decided(decision, reasons, policy.category_scores(findings, categories_ran))


def redecide(verdict: Verdict, policy: Policy) -> Verdict:
    """The verdict's findings decided again under ``policy``, as if the engine had screened with it.

    The findings, versions and category scores of checks that ``policy`` disables are dropped: a
    disabled check would not have run. Failures are kept (a human still has to look).
    """
    return redecide_all([verdict], policy)[0]


def redecide_all(verdicts: Sequence[Verdict], policy: Policy) -> list[Verdict]:
    """``redecide`` for a batch: the registry is read once, not once per post."""
    category_of = {name: check.category for name, check in registered_checks().items()}
    return [_redecided(verdict, policy, category_of) for verdict in verdicts]


def _redecided(verdict: Verdict, policy: Policy, category_of: dict[str, str]) -> Verdict:
    findings = [finding for finding in verdict.findings if finding.check not in policy.disabled_checks]
    ran = {category_of[name] for name in verdict.checks if name in category_of and name not in policy.disabled_checks}
    decided = decide(policy, findings, verdict.failures, verdict.language, ran)
    checks = {name: version for name, version in verdict.checks.items() if name not in policy.disabled_checks}
    return dataclasses.replace(verdict, decision=decided.decision, reasons=decided.reasons, scores=decided.scores,
                               findings=tuple(findings), checks=checks, policy_version=policy.version)
