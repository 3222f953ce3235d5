"""The review queue's shape: its tabs, filters and order, as queries the review store runs.

Which current live screenings a tab shows, narrowed by the moderator's filters, harshest first
(the category catalogue's order), then the older post. No state and no transactions here:
models/review_store.py runs these inside its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, and_, case, exists, func, or_, select

from models.db import now
from models.tables import PostRow, ReasonRow, RevisionRow, ScreeningRow
from worker.categories import NAMES

QC_SAMPLE_PERCENT = 10
"""Share of auto-approved posts sampled for quality control (a stable pseudo-random pick by id)."""
TABS = ("review", "spot", "escalated")


@dataclass(frozen=True)
class Filters:
    tab: str = "review"
    category: str = ""
    language: str = ""
    topic: str = ""
    min_age_hours: int = 0


@dataclass
class QueueItem:
    screening: Row[Any]
    payload: dict[str, Any]
    received_at: datetime
    reasons: list[Row[Any]] = field(default_factory=list)


def queue_query(filters: Filters, include: int | None = None):
    """The queue's items in order; `include` keeps that screening in the list whatever the filters say."""
    condition = _tab_condition(filters.tab)
    if filters.category:
        condition = and_(condition, exists().where(ReasonRow.screening_id == ScreeningRow.id,
                                                   ReasonRow.category == filters.category))
    if filters.language:
        condition = and_(condition, ScreeningRow.language == filters.language)
    if filters.topic:
        condition = and_(condition, PostRow.topic_id == filters.topic)
    if filters.min_age_hours:
        condition = and_(condition, RevisionRow.received_at <= now() - timedelta(hours=filters.min_age_hours))
    if include is not None:
        condition = or_(condition, ScreeningRow.id == include)
    return (select(ScreeningRow.__table__, RevisionRow.payload, RevisionRow.received_at)
            .join(RevisionRow, RevisionRow.id == ScreeningRow.revision_id)
            .join(PostRow, PostRow.id == ScreeningRow.post_id)
            .where(ScreeningRow.is_current.is_(True), ScreeningRow.role == "live", condition)
            .order_by(_sort_key(), RevisionRow.received_at, ScreeningRow.id))


def reasons_by_screening(db: Connection, screening_ids: list[int]) -> dict[int, list[Row[Any]]]:
    """Each screening's reason rows, in position order."""
    by_screening: dict[int, list[Row[Any]]] = {}
    if screening_ids:
        for reason in db.execute(select(ReasonRow.__table__).where(ReasonRow.screening_id.in_(screening_ids))
                                 .order_by(ReasonRow.screening_id, ReasonRow.position)):
            by_screening.setdefault(reason.screening_id, []).append(reason)
    return by_screening


def _sort_key():
    # min over reasons of (category rank * 2 - score): the harshest category (the catalogue is harshest
    # first: a threat before a bold word), then its highest score, then (in the query) the older post
    rank = case({name: index for index, name in enumerate(NAMES)}, value=ReasonRow.category, else_=len(NAMES))
    key = select(func.min(rank * 2 - ReasonRow.score)).where(ReasonRow.screening_id == ScreeningRow.id)
    return func.coalesce(key.scalar_subquery(), 2 * len(NAMES) + 2)


def _tab_condition(tab: str):
    if tab == "escalated":
        return ScreeningRow.review_state == "escalated"
    if tab == "spot":
        sampled = and_(ScreeningRow.decision == "approve", (ScreeningRow.id * 7919) % 100 < QC_SAMPLE_PERCENT)
        return and_(ScreeningRow.review_state == "open", or_(ScreeningRow.decision == "reject", sampled))
    return and_(ScreeningRow.review_state == "open", ScreeningRow.decision == "review")
