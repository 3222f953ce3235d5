"""Writes only seeding needs (`modscreen demo seed`): arrivals spread back in time, and moderator
decisions recorded as if moderators had made them, without the review app's claims and audit.

Never used by the service: a real decision goes through models/review_store.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, bindparam, insert, select, update

from models.db import aware, transaction
from models.tables import ModeratorDecisionRow, RevisionRow, ScreeningRow


@dataclass(frozen=True, slots=True)
class SeededScreening:
    """A live screening to seed decisions on, with when its revision arrived."""

    id: int
    revision_id: int
    post_id: str
    decision: str
    scores: dict[str, Any]
    received_at: datetime


@dataclass(frozen=True, slots=True)
class SeededDecision:
    screening_id: int
    post_id: str
    moderator: str
    decision: str
    reason_code: str | None
    note: str | None
    decided_at: datetime


class SeedStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def backdate_arrivals(self, received_at: Mapping[int, datetime]) -> None:
        """Set when each of these revisions (by id) was received."""
        if received_at:
            with transaction(self.engine) as db:
                db.execute(update(RevisionRow).where(RevisionRow.id == bindparam("b_id"))
                           .values(received_at=bindparam("b_at")),
                           [{"b_id": revision_id, "b_at": at} for revision_id, at in received_at.items()])

    def live_screenings(self, revision_ids: Sequence[int]) -> list[SeededScreening]:
        """The live screenings of these revisions, oldest first."""
        with transaction(self.engine) as db:
            rows = db.execute(
                select(ScreeningRow.id, ScreeningRow.revision_id, ScreeningRow.post_id, ScreeningRow.decision,
                       ScreeningRow.scores, RevisionRow.received_at)
                .join(RevisionRow, RevisionRow.id == ScreeningRow.revision_id)
                .where(ScreeningRow.revision_id.in_(revision_ids), ScreeningRow.role == "live")
                .order_by(ScreeningRow.id)).all()
        return [SeededScreening(row.id, row.revision_id, row.post_id, row.decision, row.scores or {},
                                aware(row.received_at)) for row in rows]

    def record_decisions(self, decisions: Sequence[SeededDecision]) -> None:
        """Record these decisions (unpublished) and mark their screenings decided."""
        if decisions:
            with transaction(self.engine) as db:
                db.execute(insert(ModeratorDecisionRow), [{**asdict(d), "published_at": None} for d in decisions])
                db.execute(update(ScreeningRow).where(ScreeningRow.id.in_([d.screening_id for d in decisions]))
                           .values(review_state="decided"))
