"""Read-only queries for the analysts' tools (modscreen tune): screenings, moderator decisions, texts.

Plain rows out (dataclasses); the figures themselves are computed by pure functions in
``modscreen.tune`` so they can be tested exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, select

from models.db import aware
from models.store import Store
from models.tables import ModeratorDecisionRow, ReasonRow, RevisionRow, ScreeningRow


@dataclass(frozen=True, slots=True)
class ScreeningRecord:
    """A revision's active screening (role live unless asked otherwise)."""

    screening_id: int
    revision_id: int
    post_id: str
    language: str | None
    scores: dict[str, float]
    decision: str
    failed: bool
    policy_version: str
    received_at: datetime
    screened_at: datetime


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    """A moderator decision, with what the screening it was made on said."""

    decision_id: int
    screening_id: int
    revision_id: int
    post_id: str
    moderator: str
    decision: str
    reason_code: str | None
    decided_at: datetime
    scored: tuple[str, ...]
    """The categories scored on the decided screening: the decision labels each of them."""
    auto_decision: str
    """The decided screening's automatic decision."""
    auto_reject_categories: tuple[str, ...] = field(default=())
    """The categories whose reasons rejected it automatically."""


class AnalyticsStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._store = Store(engine)

    def screenings(self, since: datetime | None = None, until: datetime | None = None, language: str | None = None,
                   role: str = "live", policy_version: str | None = None) -> list[ScreeningRecord]:
        query = (select(ScreeningRow.id, ScreeningRow.revision_id, ScreeningRow.post_id, ScreeningRow.language,
                        ScreeningRow.scores, ScreeningRow.decision, ScreeningRow.failures, ScreeningRow.policy_version,
                        ScreeningRow.screened_at, RevisionRow.received_at)
                 .join(RevisionRow, RevisionRow.id == ScreeningRow.revision_id)
                 .where(ScreeningRow.role == role, ScreeningRow.superseded_at.is_(None)))
        if since is not None:
            query = query.where(RevisionRow.received_at >= since)
        if until is not None:
            query = query.where(RevisionRow.received_at < until)
        if language is not None:
            query = query.where(ScreeningRow.language == language)
        if policy_version is not None:
            query = query.where(ScreeningRow.policy_version == policy_version)
        with self._store.transaction() as db:
            rows = db.execute(query.order_by(ScreeningRow.id)).all()
        return [ScreeningRecord(row.id, row.revision_id, row.post_id, row.language,
                                {k: float(v) for k, v in (row.scores or {}).items()}, row.decision, bool(row.failures),
                                row.policy_version, aware(row.received_at), aware(row.screened_at))
                for row in rows]

    def decisions(self, revision_ids: Iterable[int] | None = None) -> list[DecisionRecord]:
        """Every moderator decision on a screening of these revisions (any role-live screening, superseded too)."""
        query = (select(ModeratorDecisionRow.id, ModeratorDecisionRow.screening_id, ModeratorDecisionRow.post_id,
                        ModeratorDecisionRow.moderator, ModeratorDecisionRow.decision, ModeratorDecisionRow.reason_code,
                        ModeratorDecisionRow.decided_at, ScreeningRow.revision_id, ScreeningRow.scores,
                        ScreeningRow.decision.label("auto_decision"))
                 .join(ScreeningRow, ScreeningRow.id == ModeratorDecisionRow.screening_id))
        wanted = None if revision_ids is None else set(revision_ids)
        with self._store.transaction() as db:
            rows = [row for row in db.execute(query.order_by(ModeratorDecisionRow.id)).all()
                    if wanted is None or row.revision_id in wanted]
            rejecting: dict[int, list[str]] = {}
            screening_ids = sorted({row.screening_id for row in rows})
            for start in range(0, len(screening_ids), 1000):
                chunk = screening_ids[start:start + 1000]
                for sid, category in db.execute(select(ReasonRow.screening_id, ReasonRow.category).where(
                        and_(ReasonRow.screening_id.in_(chunk), ReasonRow.action == "reject"))).all():
                    rejecting.setdefault(sid, []).append(category)
        return [DecisionRecord(row.id, row.screening_id, row.revision_id, row.post_id, row.moderator, row.decision,
                               row.reason_code, aware(row.decided_at), tuple(sorted((row.scores or {}).keys())),
                               row.auto_decision, tuple(sorted(set(rejecting.get(row.screening_id, ())))))
                for row in rows]

    def texts(self, revision_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The stored posts (title, body, ...) of these revisions; purged ones have no body."""
        if not revision_ids:
            return {}
        out: dict[int, dict[str, Any]] = {}
        with self._store.transaction() as db:
            ids = list(revision_ids)
            for start in range(0, len(ids), 1000):
                for rid, payload in db.execute(select(RevisionRow.id, RevisionRow.payload)
                                               .where(RevisionRow.id.in_(ids[start:start + 1000]))).all():
                    out[rid] = payload or {}
        return out
