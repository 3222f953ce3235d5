"""Outcomes: what modscreen tells the backend about a post, as one type with one wire form.

A ``ScreeningOutcome`` is a verdict (built here from a ``Verdict``, or by the store from the
rows it saved); a ``ModeratorOutcome`` is a moderator's decision on a screening. Both are
published on the outcome stream and the webhook, each with its ``kind`` and ``event_id``.
``reason_record`` is the one mapping of a reason to its JSON form: the `modscreen screen` line,
the stored reason rows and the published outcome all use it.

Nothing here knows of the database or the queue (the import contract): persistence is in
``models/``, publishing in ``queues/publish.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from worker.types import Evidence, Verdict

SCORE_DIGITS = 4
"""Scores are published rounded to 4 digits; they are stored whole (replaying thresholds needs them)."""


def evidence_record(item: Evidence | Mapping[str, Any]) -> dict[str, Any]:
    """An evidence span as JSON; a stored one (a mapping) is kept as stored (a purged post's has no `text`)."""
    if isinstance(item, Mapping):
        return dict(item)
    return {"field": item.field, "start": item.start, "end": item.end, "text": item.text}


def reason_record(reason: Any, *, rounded: bool = True) -> dict[str, Any]:
    """A reason as JSON: from a ``Reason`` or a stored reason row (the same fields; its `action` a string)."""
    return {
        "category": reason.category,
        "code": reason.code,
        "score": round(reason.score, SCORE_DIGITS) if rounded else reason.score,
        "threshold": reason.threshold,
        "action": str(reason.action),  # a Decision (a StrEnum) or its stored value
        "message": reason.message,
        "evidence": [evidence_record(item) for item in reason.evidence],
    }


@dataclass(frozen=True, slots=True)
class ScreeningOutcome:
    """A verdict as the backend receives it. Built from a ``Verdict`` (``from_verdict``), or from the rows
    a store saved it in, which add the screening's id and time."""

    post_id: str
    revision: int
    decision: str
    language: str | None
    scores: dict[str, float]
    reasons: tuple[dict[str, Any], ...]
    """Reason records (``reason_record``), scores whole."""
    failures: tuple[dict[str, str], ...]
    policy_version: str
    content_hash: str
    checks: dict[str, str]
    truncated: bool = False
    screening_id: int | None = None
    screened_at: datetime | None = None

    kind: ClassVar[str] = "screening"

    @classmethod
    def from_verdict(cls, verdict: Verdict, *, screening_id: int | None = None,
                     screened_at: datetime | None = None) -> ScreeningOutcome:
        return cls(
            post_id=verdict.post_id, revision=verdict.revision, decision=verdict.decision.value,
            language=verdict.language, scores=verdict.scores,
            reasons=tuple(reason_record(reason, rounded=False) for reason in verdict.reasons),
            failures=tuple({"check": failure.check, "error": failure.error} for failure in verdict.failures),
            policy_version=verdict.policy_version, content_hash=verdict.content_hash, checks=verdict.checks,
            truncated=verdict.truncated, screening_id=screening_id, screened_at=screened_at,
        )

    @property
    def event_id(self) -> str:
        return f"{self.kind}-{self.screening_id}"

    def as_line(self) -> dict[str, Any]:
        """`modscreen screen`'s output line (the README's "Output"): scores rounded, `truncated` only when true."""
        record: dict[str, Any] = {
            "post_id": self.post_id, "revision": self.revision, "decision": self.decision, "language": self.language,
            "scores": {category: round(score, SCORE_DIGITS) for category, score in self.scores.items()},
            "reasons": [_rounded(reason) for reason in self.reasons],
            "failures": [dict(failure) for failure in self.failures],
            "policy_version": self.policy_version, "content_hash": self.content_hash, "checks": self.checks,
        }
        if self.truncated:
            record["truncated"] = True
        return record

    def as_published(self) -> dict[str, Any]:
        """A stored screening as the outcome stream, the webhook and `GET /v1/posts/{id}` show it."""
        if self.screening_id is None or self.screened_at is None:
            raise ValueError("only a stored screening (with its id and time) is published")
        return {
            "screening_id": self.screening_id, "post_id": self.post_id, "revision": self.revision,
            "decision": self.decision, "language": self.language, "scores": self.scores,
            "reasons": [_rounded(reason) for reason in self.reasons], "failures": list(self.failures),
            "policy_version": self.policy_version, "content_hash": self.content_hash, "checks": self.checks,
            "truncated": self.truncated, "screened_at": self.screened_at.isoformat(), "source": "worker",
        }


@dataclass(frozen=True, slots=True)
class ModeratorOutcome:
    """A moderator's decision on a screening: the backend's final word on the post (``escalate`` is never published)."""

    decision_id: int
    screening_id: int
    post_id: str
    revision: int
    decision: str
    reason_code: str | None
    note: str | None
    moderator: str
    decided_at: datetime
    screening_decision: str
    """What the screening had decided (the moderator may overturn it)."""
    content_hash: str

    kind: ClassVar[str] = "moderator"

    @property
    def event_id(self) -> str:
        return f"{self.kind}-{self.decision_id}"

    def as_published(self) -> dict[str, Any]:
        return {"decision_id": self.decision_id, "screening_id": self.screening_id, "post_id": self.post_id,
                "revision": self.revision, "decision": self.decision, "reason_code": self.reason_code,
                "note": self.note, "moderator": self.moderator, "decided_at": self.decided_at.isoformat(),
                "screening_decision": self.screening_decision, "content_hash": self.content_hash,
                "source": "moderator"}


Outcome = ScreeningOutcome | ModeratorOutcome


def _rounded(reason: Mapping[str, Any]) -> dict[str, Any]:
    return {**reason, "score": round(reason["score"], SCORE_DIGITS)}
