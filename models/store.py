"""The store: with models/screening_rows.py, the only place that maps engine types to rows. Every method is one transaction.

Idempotency lives here: a (post id, revision, content hash) is recorded once; a revision is
screened once per policy role (a unique key, not a check-then-insert); a stale revision never
becomes the post's current outcome.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row, and_, bindparam, func, insert, or_, select, text, update

from models.db import StoreUnavailable, dialect_insert, now, transaction
from models.screening_rows import PendingPost, pending_from_row, screening_values, stored_outcome
from models.tables import DeadLetterRow, PostRow, ReasonRow, RevisionRow, ScreeningRow
from worker.document import content_hash
from worker.outcome import ScreeningOutcome
from worker.types import Post, Verdict


@dataclass(frozen=True, slots=True)
class Acceptance:
    post_id: str
    revision: int
    revision_id: int
    status: str  # accepted | duplicate | stale


class ForeignPosts(Exception):
    """Post ids another client owns (migration 0005): a client reads and revises only its own posts."""

    def __init__(self, post_ids: list[str]) -> None:
        super().__init__(f"{len(post_ids)} post ids belong to another client")
        self.post_ids = post_ids


__all__ = ["Acceptance", "ForeignPosts", "PendingPost", "Store", "StoreUnavailable", "now"]


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._insert = dialect_insert(engine)

    def transaction(self) -> AbstractContextManager[Connection]:
        """One transaction; an unreachable database raises StoreUnavailable (every store uses this)."""
        return transaction(self.engine)

    # ---- accepting posts -------------------------------------------------------------------
    def accept(self, posts: Sequence[Post], client: str | None = None, *, enqueuing: bool = False,
               owned: bool = False) -> list[Acceptance]:
        """Record posts before they are enqueued; say which ones need screening. A few statements a batch.

        With ``enqueuing``, new revisions are recorded as enqueued now (attempt 1), saving the
        submitter a second transaction; it calls ``unmark_enqueued`` if the enqueue then fails.
        With ``owned``, a post id first recorded by another client (or by no client) is refused:
        ForeignPosts, and nothing of the batch is recorded (the check is in the same transaction
        as the insert, so two clients racing for a new id cannot both win it)."""
        if not posts:
            return []
        at = now()
        keyed = [((post.id, post.revision, content_hash(post)), post) for post in posts]
        first_of: dict[tuple[str, int, str], Post] = {}
        for key, post in keyed:
            first_of.setdefault(key, post)
        with self.transaction() as db:
            db.execute(self._insert(PostRow).on_conflict_do_nothing(), [
                {"id": post.id, "revision": post.revision, "content_hash": key[2], "status": "pending",
                 "topic_id": post.topic_id, "author_id": post.author_id, "received_at": at, "updated_at": at,
                 "client": client}
                for key, post in sorted(first_of.items())  # a stable order: concurrent batches lock rows alike
            ])
            if owned:
                foreign = self._foreign(db, {key[0] for key in first_of}, client)
                if foreign:
                    raise ForeignPosts(foreign)  # rolls the whole batch back
            inserted = {
                (row.post_id, row.revision, row.content_hash): row.id
                for row in db.execute(
                    self._insert(RevisionRow).on_conflict_do_nothing().returning(
                        RevisionRow.id, RevisionRow.post_id, RevisionRow.revision, RevisionRow.content_hash),
                    [{"post_id": key[0], "revision": key[1], "content_hash": key[2], "client": client,
                      "payload": post.model_dump(mode="json"), "status": "pending", "received_at": at,
                      "enqueued_at": at if enqueuing else None, "attempts": int(enqueuing)}
                     for key, post in first_of.items()],
                )
            }
            known = self._revision_ids(db, [key for key in first_of if key not in inserted])
            if inserted:
                # an edit supersedes what came before; a late, older revision must not win
                db.execute(
                    update(PostRow).where(PostRow.id == bindparam("b_id"), PostRow.revision <= bindparam("b_revision"))
                    .values(revision=bindparam("b_revision"), content_hash=bindparam("b_hash"), status="pending",
                            updated_at=at),
                    [{"b_id": key[0], "b_revision": key[1], "b_hash": key[2]} for key in sorted(inserted)],
                )
            newest = dict(db.execute(select(PostRow.id, PostRow.revision)
                                     .where(PostRow.id.in_({key[0] for key in inserted}))).all()) if inserted else {}
            stale = {key for key in inserted if newest[key[0]] > key[1]}
            if stale:
                db.execute(update(RevisionRow).where(RevisionRow.id.in_([inserted[key] for key in stale]))
                           .values(status="superseded"))
        results, answered = [], set()
        for key, post in keyed:
            if key in inserted and key not in answered:
                answered.add(key)
                results.append(Acceptance(post.id, post.revision, inserted[key], "stale" if key in stale else "accepted"))
            else:  # accepted before, or earlier in this same batch: nothing new to screen
                results.append(Acceptance(post.id, post.revision, inserted.get(key) or known[key], "duplicate"))
        return results

    @staticmethod
    def _foreign(db: Connection, post_ids: set[str], client: str | None) -> list[str]:
        owners = db.execute(select(PostRow.id, PostRow.client).where(PostRow.id.in_(post_ids))).all()
        return sorted(post_id for post_id, owner in owners if owner != client)

    def foreign_posts(self, post_ids: Sequence[str], client: str | None) -> list[str]:
        """Which of these ids are already recorded for another client (or none): the API refuses them up front."""
        with self.transaction() as db:
            return self._foreign(db, set(post_ids), client)

    @staticmethod
    def _revision_ids(db: Connection, keys: Sequence[tuple[str, int, str]]) -> dict[tuple[str, int, str], int]:
        if not keys:
            return {}
        rows = db.execute(select(RevisionRow.id, RevisionRow.post_id, RevisionRow.revision, RevisionRow.content_hash)
                          .where(or_(*(and_(RevisionRow.post_id == k[0], RevisionRow.revision == k[1],
                                            RevisionRow.content_hash == k[2]) for k in keys)))).all()
        return {(row.post_id, row.revision, row.content_hash): row.id for row in rows}

    def unmark_enqueued(self, revision_ids: Sequence[int]) -> None:
        """The enqueue after `accept(enqueuing=True)` failed: leave the revisions to the reconciler."""
        if revision_ids:
            with self.transaction() as db:
                db.execute(update(RevisionRow).where(RevisionRow.id.in_(revision_ids))
                           .values(enqueued_at=None, attempts=RevisionRow.attempts - 1))

    def mark_enqueued(self, revision_ids: Sequence[int]) -> None:
        if revision_ids:
            with self.transaction() as db:
                db.execute(update(RevisionRow).where(RevisionRow.id.in_(revision_ids))
                           .values(enqueued_at=now(), attempts=RevisionRow.attempts + 1))

    # ---- screening -------------------------------------------------------------------------
    def pending(self, revision_ids: Sequence[int]) -> list[PendingPost]:
        """The revisions among these still waiting for an outcome (others were done already)."""
        with self.transaction() as db:
            rows = db.execute(
                select(RevisionRow.__table__).where(RevisionRow.id.in_(revision_ids), RevisionRow.status == "pending")
                .order_by(RevisionRow.id)
            ).all()
        return [pending_from_row(row) for row in rows]

    def save(self, outcomes: Sequence[tuple[PendingPost, Verdict]], role: str = "live") -> list[int | None]:
        """Store verdicts; return each one's new screening id, or None where the revision was already screened.

        Only the post's newest revision becomes its current outcome; a few statements a batch.
        A ``shadow`` verdict (another policy's, models/policy_store.py) is never current, never
        published and never in the review queue.
        """
        if role not in ("live", "shadow"):
            raise ValueError(f"role must be live or shadow, not {role!r}")
        if not outcomes:
            return []
        at = now()
        rows = [(pending, ScreeningOutcome.from_verdict(verdict)) for pending, verdict in outcomes]
        with self.transaction() as db:
            created = {
                row.revision_id: row.id
                for row in db.execute(
                    self._insert(ScreeningRow).on_conflict_do_nothing().returning(ScreeningRow.id, ScreeningRow.revision_id),
                    [screening_values(pending, outcome, at, role) for pending, outcome in rows],
                )
            }
            reasons = [
                {"screening_id": created[pending.revision_id], "position": position, **reason}
                for pending, outcome in rows if pending.revision_id in created
                for position, reason in enumerate(outcome.reasons)
            ]
            if reasons:
                db.execute(insert(ReasonRow), reasons)
            fresh = [(pending, verdict) for pending, verdict in outcomes if pending.revision_id in created]
            if fresh and role == "live":
                self._make_current(db, fresh, created, at)
        return [created.get(pending.revision_id) for pending, _ in outcomes]

    @staticmethod
    def _make_current(db: Connection, fresh: list[tuple[PendingPost, Verdict]], created: dict[int, int],
                      at: datetime) -> None:
        ordered = sorted(fresh, key=lambda item: (item[0].post_id, item[0].revision_id))
        db.execute(
            update(PostRow).where(PostRow.id == bindparam("b_id"), PostRow.revision == bindparam("b_revision"),
                                  PostRow.content_hash == bindparam("b_hash"))
            .values(current_screening_id=bindparam("b_screening"), status="screened", updated_at=at),
            [{"b_id": p.post_id, "b_revision": p.revision, "b_hash": v.content_hash,
              "b_screening": created[p.revision_id]} for p, v in ordered],
        )
        post_ids = {pending.post_id for pending, _ in fresh}
        current = {sid for sid in db.execute(select(PostRow.current_screening_id).where(PostRow.id.in_(post_ids))).scalars()
                   if sid in set(created.values())}
        if current:
            db.execute(update(ScreeningRow).where(ScreeningRow.post_id.in_(post_ids), ScreeningRow.role == "live",
                                                  ScreeningRow.is_current.is_(True), ScreeningRow.id.not_in(current))
                       .values(is_current=False))
            db.execute(update(ScreeningRow).where(ScreeningRow.id.in_(current)).values(is_current=True))
        done = [p.revision_id for p, _ in fresh if created[p.revision_id] in current]
        superseded = [p.revision_id for p, _ in fresh if created[p.revision_id] not in current]
        for revision_ids, status in ((done, "screened"), (superseded, "superseded")):
            if revision_ids:
                db.execute(update(RevisionRow).where(RevisionRow.id.in_(revision_ids))
                           .values(status=status, screened_at=at))

    # ---- publishing ------------------------------------------------------------------------
    def unpublished(self, revision_ids: Sequence[int] | None = None, limit: int = 1000) -> list[ScreeningOutcome]:
        """Outcomes stored but not yet published (for these revisions, or any)."""
        query = select(ScreeningRow.__table__).where(ScreeningRow.published_at.is_(None), ScreeningRow.role == "live")
        if revision_ids is not None:
            query = query.where(ScreeningRow.revision_id.in_(revision_ids))
        with self.transaction() as db:
            return self._outcomes(db, db.execute(query.order_by(ScreeningRow.id).limit(limit)).all())

    @staticmethod
    def _outcomes(db: Connection, screenings: Sequence[Row[Any]]) -> list[ScreeningOutcome]:
        """Stored screenings with their reasons, as the outcomes they were saved from."""
        reasons = db.execute(
            select(ReasonRow.__table__).where(ReasonRow.screening_id.in_([s.id for s in screenings]))
            .order_by(ReasonRow.screening_id, ReasonRow.position)
        ).all() if screenings else []
        by_screening: dict[int, list[Row[Any]]] = {}
        for reason in reasons:
            by_screening.setdefault(reason.screening_id, []).append(reason)
        return [stored_outcome(s, by_screening.get(s.id, [])) for s in screenings]

    def mark_published(self, screening_ids: Sequence[int]) -> None:
        if screening_ids:
            with self.transaction() as db:
                db.execute(update(ScreeningRow).where(ScreeningRow.id.in_(screening_ids)).values(published_at=now()))

    # ---- failures, reconciliation, status --------------------------------------------------
    def dead_letter(self, task: str, payload: str, error: str) -> None:
        with self.transaction() as db:
            db.execute(insert(DeadLetterRow).values(received_at=now(), task=task, payload=payload[:1_000_000],
                                                    error=error[:10_000]))

    def stuck(self, older_than: timedelta, limit: int = 10_000) -> list[PendingPost]:
        """Pending revisions enqueued (or received) longer ago than `older_than`: the broker lost them."""
        cutoff = now() - older_than
        with self.transaction() as db:
            rows = db.execute(
                select(RevisionRow.__table__).where(
                    RevisionRow.status == "pending",
                    func.coalesce(RevisionRow.enqueued_at, RevisionRow.received_at) < cutoff,
                ).order_by(RevisionRow.id).limit(limit)
            ).all()
            return [pending_from_row(row) for row in rows]

    def status(self, post_id: str, *, client: str | None = None, owned: bool = False) -> dict[str, Any] | None:
        """The post's status and current outcome; None if unknown, or (``owned``) recorded for another client."""
        with self.transaction() as db:
            post = db.execute(select(PostRow.__table__).where(PostRow.id == post_id)).one_or_none()
            if post is None or (owned and post.client != client):
                return None
            outcome = None
            if post.current_screening_id is not None:
                screening = db.execute(select(ScreeningRow.__table__).where(ScreeningRow.id == post.current_screening_id)).one()
                outcome = self._outcomes(db, [screening])[0].as_published()
        return {"post_id": post.id, "revision": post.revision, "status": post.status, "outcome": outcome}

    def ping(self) -> None:
        """Ask the database for `SELECT 1` (the health check). Any failure is raised as the driver raised it,
        not as StoreUnavailable: the health check names the kind of failure."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def counts(self) -> dict[str, int]:
        with self.transaction() as db:
            rows = db.execute(select(RevisionRow.status, func.count()).group_by(RevisionRow.status)).all()
        return {status: count for status, count in rows}

    def purge(self, before: datetime) -> int:
        """Drop bodies, titles and evidence text of decided posts screened before `before`."""
        with self.transaction() as db:
            targets = db.execute(
                select(RevisionRow.id, RevisionRow.payload).where(
                    RevisionRow.status.in_(["screened", "superseded", "error"]), RevisionRow.purged_at.is_(None),
                    func.coalesce(RevisionRow.screened_at, RevisionRow.received_at) < before)
            ).all()
            at = now()
            for revision_id, payload in targets:
                kept = {k: v for k, v in payload.items() if k not in ("body", "title")}
                db.execute(update(RevisionRow).where(RevisionRow.id == revision_id).values(payload=kept, purged_at=at))
                screening_ids = select(ScreeningRow.id).where(ScreeningRow.revision_id == revision_id)
                for reason_id, evidence in db.execute(
                    select(ReasonRow.id, ReasonRow.evidence).where(ReasonRow.screening_id.in_(screening_ids))
                ).all():
                    db.execute(update(ReasonRow).where(ReasonRow.id == reason_id).values(
                        evidence=[{k: v for k, v in e.items() if k != "text"} for e in evidence]))
        return len(targets)
