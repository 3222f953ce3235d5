"""Outcomes: one type built from a verdict or a moderator decision, one wire form, one publish path."""

from datetime import UTC, datetime

import pytest

from queues.publish import InMemoryPublisher
from worker.outcome import ModeratorOutcome, ScreeningOutcome, reason_record
from worker.types import CheckFailure, Decision, Evidence, Reason, Verdict

AT = datetime(2026, 12, 2, 7, 30, tzinfo=UTC)


def verdict(truncated: bool = False) -> Verdict:
    evidence = (Evidence("body", 0, 42, "Comment exporter les appels en CSV ?"),)
    reason = Reason("multiple_questions", "multiple_questions.several", 0.876543, 0.7, Decision.REVIEW,
                    "Le message pose 2 questions différentes.", evidence)
    return Verdict(post_id="fr-multi-1", revision=2, decision=Decision.REVIEW, language="fr",
                   scores={"multiple_questions": 0.876543, "formatting": 0.0}, reasons=(reason,),
                   failures=(CheckFailure("links", "timeout"),), policy_version="2026.11.27-2",
                   content_hash="sha256:abc", checks={"multiple_questions": "1.0.0"}, truncated=truncated)


def test_when_a_verdict_becomes_a_line_then_scores_are_rounded_and_truncated_appears_only_when_true():
    line = ScreeningOutcome.from_verdict(verdict()).as_line()
    assert line["scores"] == {"multiple_questions": 0.8765, "formatting": 0.0}
    assert line["reasons"][0]["score"] == 0.8765 and line["reasons"][0]["action"] == "review"
    assert line["reasons"][0]["evidence"] == [{"field": "body", "start": 0, "end": 42,
                                               "text": "Comment exporter les appels en CSV ?"}]
    assert line["failures"] == [{"check": "links", "error": "timeout"}]
    assert "truncated" not in line and "screening_id" not in line
    assert ScreeningOutcome.from_verdict(verdict(truncated=True)).as_line()["truncated"] is True


def test_when_a_verdict_is_stored_then_its_reasons_keep_the_whole_score():
    outcome = ScreeningOutcome.from_verdict(verdict())
    assert outcome.reasons[0]["score"] == 0.876543  # replaying thresholds needs the whole score
    assert outcome.scores["multiple_questions"] == 0.876543


def test_when_a_stored_reason_row_lost_its_evidence_text_then_its_record_keeps_the_offsets_only():
    class PurgedRow:  # what models/store.py reads back after `modscreen purge`
        category, code, score, threshold, action = "offensive", "offensive.insult", 0.91234, 0.8, "reject"
        message, evidence = "Insult.", [{"field": "body", "start": 3, "end": 9}]

    record = reason_record(PurgedRow())
    assert record == {"category": "offensive", "code": "offensive.insult", "score": 0.9123, "threshold": 0.8,
                      "action": "reject", "message": "Insult.", "evidence": [{"field": "body", "start": 3, "end": 9}]}


def test_when_a_screening_is_not_stored_then_it_cannot_be_published():
    with pytest.raises(ValueError):
        ScreeningOutcome.from_verdict(verdict()).as_published()
    published = ScreeningOutcome.from_verdict(verdict(), screening_id=12, screened_at=AT).as_published()
    assert published["screening_id"] == 12 and published["source"] == "worker"
    assert published["screened_at"] == "2026-12-02T07:30:00+00:00" and published["truncated"] is False


def moderator(decision_id: int, decision: str = "reject") -> ModeratorOutcome:
    return ModeratorOutcome(decision_id=decision_id, screening_id=12, post_id="fr-multi-1", revision=2,
                            decision=decision, reason_code="multiple_questions", note=None, moderator="chloe",
                            decided_at=AT, screening_decision="review", content_hash="sha256:abc")


def test_each_outcome_kind_has_its_own_event_ids():
    screening = ScreeningOutcome.from_verdict(verdict(), screening_id=12, screened_at=AT)
    assert (screening.kind, screening.event_id) == ("screening", "screening-12")
    assert (moderator(12).kind, moderator(12).event_id) == ("moderator", "moderator-12")
    assert moderator(12).as_published()["source"] == "moderator"


def test_when_the_same_event_is_published_twice_then_the_in_memory_publisher_keeps_it_once():
    publisher = InMemoryPublisher()
    assert publisher.publish([moderator(1), moderator(2)]) == 2
    assert publisher.publish([moderator(2), moderator(3)]) == 1
    assert [outcome.decision_id for outcome in publisher.published] == [1, 2, 3]
