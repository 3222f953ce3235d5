"""Screening outcomes and revisions as rows, and back: the one place the store's row shapes are mapped.

Used by models/store.py only; a stored outcome reads back exactly as the outcome it was saved from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Row

from models.db import aware
from worker.outcome import ScreeningOutcome, reason_record
from worker.serialize import describe_validation_error
from worker.types import Post


@dataclass(frozen=True, slots=True)
class PendingPost:
    revision_id: int
    post_id: str
    revision: int
    content_hash: str
    post: Post | None
    """None when the stored payload is no longer a valid post (then `error` says why)."""
    error: str | None
    received_at: datetime
    attempts: int = 0


def screening_values(pending: PendingPost, outcome: ScreeningOutcome, at: datetime, role: str) -> dict[str, Any]:
    live = role == "live"
    return {
        "revision_id": pending.revision_id, "post_id": outcome.post_id, "revision": outcome.revision, "role": role,
        "decision": outcome.decision, "language": outcome.language, "scores": outcome.scores,
        "failures": list(outcome.failures), "checks": outcome.checks,
        "policy_version": outcome.policy_version, "content_hash": outcome.content_hash, "truncated": outcome.truncated,
        "is_current": False, "review_state": "open" if live else "shadow", "version": 1,
        "screened_at": at, "latency_ms": (at - pending.received_at).total_seconds() * 1000,
        "published_at": None if live else at,  # a shadow verdict is never published
    }


def pending_from_row(row: Row[Any]) -> PendingPost:
    post, error = None, None
    try:
        post = Post.model_validate(row.payload)
    except ValidationError as problem:  # stored by an older version, or tampered with
        error = describe_validation_error(problem)
    return PendingPost(row.id, row.post_id, row.revision, row.content_hash, post, error, aware(row.received_at),
                       row.attempts)


def stored_outcome(screening: Row[Any], reasons: Sequence[Row[Any]]) -> ScreeningOutcome:
    """A stored screening and its reason rows (in position order) as the outcome it was saved from."""
    return ScreeningOutcome(
        post_id=screening.post_id, revision=screening.revision, decision=screening.decision,
        language=screening.language, scores=screening.scores,
        reasons=tuple(reason_record(reason, rounded=False) for reason in reasons),
        failures=tuple(screening.failures), policy_version=screening.policy_version,
        content_hash=screening.content_hash, checks=screening.checks, truncated=bool(screening.truncated),
        screening_id=screening.id, screened_at=aware(screening.screened_at),
    )
