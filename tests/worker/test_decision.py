"""Re-deciding a verdict's findings under another policy (a shadow) gives what the engine would have decided."""

from __future__ import annotations

import dataclasses

import pytest

from worker.decision import redecide
from worker.engine import Engine
from worker.policy import Thresholds
from worker.types import CheckFailure, Decision, Post

TWO_QUESTIONS = [
    Post(id="en", title="Export and IVR", language="en",
         body="How do I export the call log? Where is the IVR menu editor?"),
    Post(id="fr", title="Export CSV et SIP", language="fr",
         body="Comment exporter les appels en CSV ? Et pourquoi le SIP renvoie 503 ?"),
]


@pytest.fixture(scope="module")
def engine(policy, checks):
    return Engine([checks["multiple_questions"], checks["links"], checks["sms_language"]], policy)


@pytest.fixture(scope="module")
def verdicts(engine):
    screened = engine.screen_many(TWO_QUESTIONS)
    assert [v.decision for v in screened] == [Decision.REVIEW, Decision.REVIEW]  # what the shadows below change
    return screened


def test_when_redecided_under_the_engines_own_policy_then_the_verdict_is_unchanged(engine, verdicts):
    assert [redecide(verdict, engine.policy) for verdict in verdicts] == verdicts


def test_when_a_shadow_policy_disables_a_check_then_its_findings_are_dropped_from_the_shadow_verdict(policy, verdicts):
    shadow = policy.model_copy(update={"version": "shadow-1", "disabled_checks": frozenset({"multiple_questions"})})
    for verdict in verdicts:
        assert any(f.check == "multiple_questions" for f in verdict.findings)
        shadowed = redecide(verdict, shadow)
        assert (shadowed.decision, shadowed.reasons, shadowed.policy_version) == (Decision.APPROVE, (), "shadow-1")
        assert not any(f.check == "multiple_questions" for f in shadowed.findings)
        assert "multiple_questions" not in shadowed.scores and "multiple_questions" not in shadowed.checks
        assert shadowed.scores == {name: score for name, score in verdict.scores.items() if name != "multiple_questions"}


def test_when_a_shadow_policy_stops_reviewing_a_category_then_the_post_is_approved_with_its_score_kept(policy, verdicts):
    shadow = policy.model_copy(update={"version": "shadow-2",
                                       "categories": {**policy.categories, "multiple_questions": Thresholds()}})
    for verdict in verdicts:
        shadowed = redecide(verdict, shadow)
        assert shadowed.decision is Decision.APPROVE
        assert shadowed.findings == verdict.findings and shadowed.scores == verdict.scores


def test_when_a_check_failed_then_the_shadow_verdict_still_sends_the_post_to_review(policy, verdicts):
    shadow = policy.model_copy(update={"version": "shadow-1", "disabled_checks": frozenset({"multiple_questions"})})
    failed = dataclasses.replace(verdicts[1], failures=(CheckFailure("links", "TimeoutError: regex"),))
    assert redecide(failed, shadow).decision is Decision.REVIEW
