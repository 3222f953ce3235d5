"""Queries of the moderator review app: the queue (its shape in models/review_queue.py), exclusive
claims, decisions, the audit trail.

Two moderators never decide the same item: a claim is one conditional UPDATE (free, expired, or
already mine), and a decision is another (the version the moderator saw, the screening still
current, and a live claim held by that moderator). Both hold on SQLite and PostgreSQL without
explicit locks: the database decides who wins, and the loser is told why.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, insert, or_, select, update

from models.audit import write_audit
from models.db import aware
from models.review_queue import TABS, Filters, QueueItem, queue_query, reasons_by_screening
from models.store import Store, now
from models.tables import AuditEventRow, ModeratorDecisionRow, PostRow, ReasonRow, RevisionRow, ScreeningRow
from worker.outcome import ModeratorOutcome

DECISIONS = ("approve", "reject", "escalate")

__all__ = ["DECISIONS", "TABS", "Filters", "QueueItem", "Refused", "ReviewStore", "decision_outcome"]


class Refused(Exception):
    """A claim or decision the current state does not allow; the message is for the moderator."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


class ReviewStore:
    def __init__(self, engine: Engine, claim_seconds: int = 300) -> None:
        self.engine = engine
        self.claim_seconds = claim_seconds
        self.transaction = Store(engine).transaction  # one contract: an unreachable database is StoreUnavailable

    # ---- the queue -----------------------------------------------------------------------------
    def queue(self, filters: Filters, limit: int = 100, offset: int = 0) -> tuple[list[QueueItem], int]:
        query = queue_query(filters)
        with self.transaction() as db:
            total = db.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
            rows = db.execute(query.limit(limit).offset(offset)).all()
            reasons = reasons_by_screening(db, [row.id for row in rows])
        items = [QueueItem(row, row.payload or {}, aware(row.received_at), reasons.get(row.id, [])) for row in rows]
        return items, total

    def facets(self) -> dict[str, list[str]]:
        """Languages and topics present among current items, for the filter menus."""
        with self.transaction() as db:
            languages = db.execute(select(ScreeningRow.language).distinct().where(
                ScreeningRow.is_current.is_(True), ScreeningRow.role == "live",
                ScreeningRow.language.is_not(None))).scalars().all()
            topics = db.execute(select(PostRow.topic_id).distinct().join(
                ScreeningRow, ScreeningRow.id == PostRow.current_screening_id).where(
                PostRow.topic_id.is_not(None)).limit(200)).scalars().all()
        return {"languages": sorted(languages), "topics": sorted(topics)}

    def neighbour(self, me: str, filters: Filters, current: int | None, step: int = 1,
                  may_escalated: bool = False, claim: bool = True, free_only: bool = False) -> int | None:
        """Claim and return the next (step=1) or previous (step=-1) free item after `current`, wrapping around.

        Without `claim` nothing changes: the neighbour is returned whether someone holds it or not
        (a reader), or the next one nobody else holds (`free_only`, a decider's GET).
        """
        with self.transaction() as db:
            rows = db.execute(queue_query(filters, include=current).with_only_columns(
                ScreeningRow.id, ScreeningRow.claimed_by, ScreeningRow.claimed_until).limit(5000)).all()
        ids = [row.id for row in rows]
        start = ids.index(current) if current in ids else (-1 if step > 0 else 0)
        moment = now()
        ordered = [ids[(start + step * offset) % len(ids)] for offset in range(1, len(ids) + 1)] if ids else []
        taken = {row.id for row in rows if row.claimed_by not in (None, me) and aware(row.claimed_until) > moment}
        for candidate in ordered:
            if candidate == current or ((claim or free_only) and candidate in taken):
                continue
            if not claim:
                return candidate
            try:
                self.claim(candidate, me, may_escalated=may_escalated)
            except Refused:
                continue  # another moderator won it a moment ago: serve the one after
            return candidate
        return None

    # ---- one item ------------------------------------------------------------------------------
    def item(self, screening_id: int) -> dict[str, Any] | None:
        with self.transaction() as db:
            row = db.execute(select(ScreeningRow.__table__, RevisionRow.payload, RevisionRow.received_at,
                                    PostRow.author_id, PostRow.current_screening_id)
                             .join(RevisionRow, RevisionRow.id == ScreeningRow.revision_id)
                             .join(PostRow, PostRow.id == ScreeningRow.post_id)
                             .where(ScreeningRow.id == screening_id)).one_or_none()
            if row is None:
                return None
            reasons = reasons_by_screening(db, [row.id]).get(row.id, [])
            decisions = db.execute(select(ModeratorDecisionRow.__table__).where(
                ModeratorDecisionRow.screening_id == row.id).order_by(ModeratorDecisionRow.id)).all()
            payload = row.payload or {}
            parent = self._parent(db, payload.get("reply_to")) if payload.get("reply_to") else None
            history = self._author_history(db, row.author_id, row.post_id) if row.author_id else []
        return {"screening": row, "payload": payload, "received_at": aware(row.received_at), "reasons": reasons,
                "decisions": decisions, "parent": parent, "history": history}

    def _parent(self, db: Connection, post_id: str) -> dict[str, Any] | None:
        row = db.execute(select(ScreeningRow.id, ScreeningRow.failures, ScreeningRow.truncated, RevisionRow.payload).join(
            RevisionRow, RevisionRow.id == ScreeningRow.revision_id).join(
            PostRow, PostRow.current_screening_id == ScreeningRow.id).where(PostRow.id == post_id)).one_or_none()
        if row is None:
            return {"post_id": post_id, "payload": None, "reasons": []}
        return {"post_id": post_id, "screening_id": row.id, "payload": row.payload or {},
                "reasons": reasons_by_screening(db, [row.id]).get(row.id, []), "failures": row.failures or [],
                "truncated": bool(row.truncated)}

    @staticmethod
    def _author_history(db: Connection, author_id: str, post_id: str, limit: int = 10) -> list[Row[Any]]:
        final = (select(ModeratorDecisionRow.decision).where(ModeratorDecisionRow.screening_id == ScreeningRow.id)
                 .order_by(ModeratorDecisionRow.id.desc()).limit(1).scalar_subquery())
        return db.execute(select(ScreeningRow.id, ScreeningRow.post_id, ScreeningRow.decision, ScreeningRow.screened_at,
                                 final.label("moderator_decision"))
                          .join(PostRow, PostRow.current_screening_id == ScreeningRow.id)
                          .where(PostRow.author_id == author_id, PostRow.id != post_id)
                          .order_by(ScreeningRow.screened_at.desc(), ScreeningRow.id.desc()).limit(limit)).all()

    # ---- claims --------------------------------------------------------------------------------
    def claim(self, screening_id: int, me: str, may_escalated: bool = False) -> datetime:
        """Claim (or renew) an item for `claim_seconds`; Refused when someone else holds it or it is closed."""
        moment = now()
        until = moment + timedelta(seconds=self.claim_seconds)
        states = ["open", "escalated"] if may_escalated else ["open"]
        with self.transaction() as db:
            before = db.execute(select(ScreeningRow.claimed_by, ScreeningRow.claimed_until).where(
                ScreeningRow.id == screening_id)).one_or_none()
            done = db.execute(update(ScreeningRow).where(
                ScreeningRow.id == screening_id, ScreeningRow.is_current.is_(True), ScreeningRow.review_state.in_(states),
                or_(ScreeningRow.claimed_by.is_(None), ScreeningRow.claimed_until < moment, ScreeningRow.claimed_by == me),
            ).values(claimed_by=me, claimed_until=until)).rowcount
            if done != 1:
                raise Refused(self._why(db, screening_id, me, states))
            if before is None or before.claimed_by != me or aware(before.claimed_until) < moment:
                write_audit(db, me, "claim", self.subject(db, screening_id),
                           {"claimed_by": before.claimed_by if before else None},
                           {"claimed_by": me, "claimed_until": until.isoformat()})
        return until

    def release(self, screening_id: int, me: str) -> bool:
        with self.transaction() as db:
            done = db.execute(update(ScreeningRow).where(ScreeningRow.id == screening_id, ScreeningRow.claimed_by == me)
                              .values(claimed_by=None, claimed_until=None)).rowcount
            if done:
                write_audit(db, me, "release", self.subject(db, screening_id), {"claimed_by": me}, {"claimed_by": None})
        return bool(done)

    # ---- decisions -----------------------------------------------------------------------------
    def decide(self, screening_id: int, me: str, seen_version: int, decision: str, reason_code: str | None = None,
               note: str | None = None, may_escalated: bool = False) -> ModeratorOutcome:
        """Record a moderator's decision; return the outcome to publish. Refused when the item changed."""
        moment = now()
        states = ["open", "escalated"] if may_escalated else ["open"]
        new_state = "escalated" if decision == "escalate" else "decided"
        with self.transaction() as db:
            state_before = db.execute(select(ScreeningRow.review_state).where(
                ScreeningRow.id == screening_id)).scalar_one_or_none()
            done = db.execute(update(ScreeningRow).where(
                ScreeningRow.id == screening_id, ScreeningRow.version == seen_version,
                ScreeningRow.is_current.is_(True), ScreeningRow.review_state.in_(states),
                ScreeningRow.claimed_by == me, ScreeningRow.claimed_until >= moment,
            ).values(review_state=new_state, version=ScreeningRow.version + 1, claimed_by=None,
                     claimed_until=None)).rowcount
            if done != 1:
                raise Refused(self._why(db, screening_id, me, states, seen_version))
            row = db.execute(select(ScreeningRow.__table__).where(ScreeningRow.id == screening_id)).one()
            decision_id = db.execute(insert(ModeratorDecisionRow).values(
                screening_id=screening_id, post_id=row.post_id, moderator=me, decision=decision,
                reason_code=reason_code, note=note, decided_at=moment).returning(ModeratorDecisionRow.id)).scalar_one()
            write_audit(db, me, f"decide.{decision}", self.subject(db, screening_id),
                       {"review_state": state_before, "version": seen_version, "screening_decision": row.decision},
                       {"review_state": new_state, "version": row.version, "decision": decision,
                        "reason_code": reason_code, "note": note, "decision_id": decision_id})
        return decision_outcome(row, row.id, decision_id, me, decision, reason_code, note, moment,
                                screening_decision=row.decision)

    def _why(self, db: Connection, screening_id: int, me: str, states: list[str], seen: int | None = None) -> str:
        row = db.execute(select(ScreeningRow.__table__).where(ScreeningRow.id == screening_id)).one_or_none()
        if row is None:
            return "No such item."
        if not row.is_current:
            return "This post was edited and screened again since you opened it; open its current version."
        if row.review_state == "decided":
            last = db.execute(select(ModeratorDecisionRow.__table__).where(ModeratorDecisionRow.screening_id == screening_id)
                              .order_by(ModeratorDecisionRow.id.desc()).limit(1)).one_or_none()
            who = f" by {last.moderator} ({last.decision}, {aware(last.decided_at):%Y-%m-%d %H:%M} UTC)" if last else ""
            return f"This item was already decided{who}; nothing was changed."
        if row.review_state not in states:
            return "This item was escalated to an admin; only an admin can decide it now."
        if seen is not None and row.version != seen:
            return (f"This item changed since you opened it (version {row.version}, you saw {seen}); "
                    "reload it and decide again.")
        holder, until = row.claimed_by, aware(row.claimed_until)
        if holder and holder != me and until and until >= now():
            return f"{holder} is reviewing this item (claimed until {until:%H:%M:%S} UTC)."
        return "Your claim on this item expired; open it again to claim it, then decide."

    def pending_decisions(self, limit: int = 500) -> list[ModeratorOutcome]:
        """Decisions stored but not yet published (Redis was down): publish them again."""
        with self.transaction() as db:
            rows = db.execute(select(ModeratorDecisionRow.__table__, ScreeningRow.revision, ScreeningRow.decision
                                     .label("screening_decision"), ScreeningRow.content_hash)
                              .join(ScreeningRow, ScreeningRow.id == ModeratorDecisionRow.screening_id)
                              .where(ModeratorDecisionRow.published_at.is_(None),
                                     ModeratorDecisionRow.decision != "escalate")
                              .order_by(ModeratorDecisionRow.id).limit(limit)).all()
        return [decision_outcome(r, r.screening_id, r.id, r.moderator, r.decision, r.reason_code, r.note,
                                 aware(r.decided_at), screening_decision=r.screening_decision) for r in rows]

    def mark_decisions_published(self, decision_ids: list[int]) -> None:
        if decision_ids:
            with self.transaction() as db:
                db.execute(update(ModeratorDecisionRow).where(ModeratorDecisionRow.id.in_(decision_ids))
                           .values(published_at=now()))

    def labels(self) -> list[Row[Any]]:
        """Every moderator decision with what the screening said: the labels analysts measure the checks with."""
        categories = (select(func.count()).where(ReasonRow.screening_id == ScreeningRow.id).scalar_subquery())
        with self.transaction() as db:
            return db.execute(select(ModeratorDecisionRow.__table__, ScreeningRow.revision, ScreeningRow.language,
                                     ScreeningRow.decision.label("screening_decision"), ScreeningRow.scores,
                                     ScreeningRow.policy_version, categories.label("reason_count"))
                              .join(ScreeningRow, ScreeningRow.id == ModeratorDecisionRow.screening_id)
                              .order_by(ModeratorDecisionRow.id)).all()

    # ---- the audit trail -----------------------------------------------------------------------
    def record(self, actor: str, action: str, subject: str, before: dict[str, Any] | None = None,
               after: dict[str, Any] | None = None) -> None:
        with self.transaction() as db:
            write_audit(db, actor, action, subject, before, after)

    @staticmethod
    def subject(db: Connection, screening_id: int) -> str:
        post_id = db.execute(select(ScreeningRow.post_id).where(ScreeningRow.id == screening_id)).scalar_one_or_none()
        return f"screening:{screening_id} post:{post_id}"

    def reveals(self, actor: str, screening_id: int, within: timedelta) -> set[str]:
        """Which personal-data spans this moderator revealed on this item recently (each reveal is audited)."""
        with self.transaction() as db:
            rows = db.execute(select(AuditEventRow.after).where(
                AuditEventRow.actor == actor, AuditEventRow.action == "reveal",
                AuditEventRow.subject.like(f"screening:{screening_id} %"),
                AuditEventRow.at >= now() - within)).scalars().all()
        return {str(after.get("span")) for after in rows if after}

    def events(self, actor: str = "", action: str = "", subject: str = "", since: datetime | None = None,
               until: datetime | None = None, limit: int = 200, offset: int = 0) -> list[Row[Any]]:
        query = select(AuditEventRow.__table__)
        if actor:
            query = query.where(AuditEventRow.actor == actor)
        if action:
            query = query.where(or_(AuditEventRow.action == action, AuditEventRow.action.like(f"{action}.%")))
        if subject:
            query = query.where(AuditEventRow.subject.contains(subject, autoescape=True))
        if since:
            query = query.where(AuditEventRow.at >= since)
        if until:
            query = query.where(AuditEventRow.at < until)
        with self.transaction() as db:
            return db.execute(query.order_by(AuditEventRow.id.desc()).limit(limit).offset(offset)).all()


def decision_outcome(screening: Row[Any], screening_id: int, decision_id: int, moderator: str, decision: str,
                     reason_code: str | None, note: str | None, decided_at: datetime, *,
                     screening_decision: str) -> ModeratorOutcome:
    """A moderator's decision as published on the outcome stream (kind "moderator"): the backend's final word.

    `screening` is a row holding the screening's `post_id`, `revision` and `content_hash`."""
    return ModeratorOutcome(decision_id=decision_id, screening_id=screening_id, post_id=screening.post_id,
                            revision=screening.revision, decision=decision, reason_code=reason_code, note=note,
                            moderator=moderator, decided_at=decided_at, screening_decision=screening_decision,
                            content_hash=screening.content_hash)
