"""The store: the only module that maps engine types to rows. Every method is one transaction.

Idempotency lives here: a (post id, revision, content hash) is recorded once; a revision is
screened once per policy role (a unique key, not a check-then-insert); a stale revision never
becomes the post's current outcome.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, Engine, Row, func, insert, select, update
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from models.tables import DeadLetterRow, PostRow, ReasonRow, RevisionRow, ScreeningRow
from worker.document import content_hash
from worker.serialize import describe_validation_error
from worker.types import Post, Verdict


class StoreUnavailable(Exception):
    """The database cannot be reached or is failing over: worth retrying later."""


@dataclass(frozen=True, slots=True)
class Acceptance:
    post_id: str
    revision: int
    revision_id: int
    status: str  # accepted | duplicate | stale


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


def now() -> datetime:
    return datetime.now(UTC)


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._insert = _dialect_insert(engine)

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as connection:
                yield connection
        except (OperationalError, PoolTimeout) as error:
            raise StoreUnavailable(str(error).splitlines()[0]) from error
        except DBAPIError as error:
            if error.connection_invalidated:
                raise StoreUnavailable(str(error).splitlines()[0]) from error
            raise

    # ---- accepting posts -------------------------------------------------------------------
    def accept(self, posts: Sequence[Post], client: str | None = None) -> list[Acceptance]:
        """Record posts before they are enqueued; say which ones need screening."""
        results = []
        with self._transaction() as db:
            for post in posts:
                results.append(self._accept_one(db, post, client))
        return results

    def _accept_one(self, db: Connection, post: Post, client: str | None) -> Acceptance:
        at, digest = now(), content_hash(post)
        db.execute(self._insert(PostRow).values(
            id=post.id, revision=post.revision, content_hash=digest, status="pending", topic_id=post.topic_id,
            author_id=post.author_id, received_at=at, updated_at=at,
        ).on_conflict_do_nothing())
        inserted = db.execute(
            self._insert(RevisionRow)
            .values(post_id=post.id, revision=post.revision, content_hash=digest, client=client,
                    payload=post.model_dump(mode="json"), status="pending", received_at=at, attempts=0)
            .on_conflict_do_nothing()
            .returning(RevisionRow.id)
        ).scalar()
        if inserted is None:  # the same content was accepted before: nothing new to screen
            existing = db.execute(
                select(RevisionRow.id).where(RevisionRow.post_id == post.id, RevisionRow.revision == post.revision,
                                             RevisionRow.content_hash == digest)
            ).scalar_one()
            return Acceptance(post.id, post.revision, existing, "duplicate")
        # an edit supersedes what came before; a late, older revision must not win (this also locks the row)
        db.execute(update(PostRow).where(PostRow.id == post.id, PostRow.revision <= post.revision).values(
            revision=post.revision, content_hash=digest, status="pending", updated_at=at))
        current = db.execute(select(PostRow.revision).where(PostRow.id == post.id)).scalar_one()
        if current > post.revision:
            db.execute(update(RevisionRow).where(RevisionRow.id == inserted).values(status="superseded"))
            return Acceptance(post.id, post.revision, inserted, "stale")
        return Acceptance(post.id, post.revision, inserted, "accepted")

    def mark_enqueued(self, revision_ids: Sequence[int]) -> None:
        if revision_ids:
            with self._transaction() as db:
                db.execute(update(RevisionRow).where(RevisionRow.id.in_(revision_ids))
                           .values(enqueued_at=now(), attempts=RevisionRow.attempts + 1))

    # ---- screening -------------------------------------------------------------------------
    def pending(self, revision_ids: Sequence[int]) -> list[PendingPost]:
        """The revisions among these still waiting for an outcome (others were done already)."""
        with self._transaction() as db:
            rows = db.execute(
                select(RevisionRow.__table__).where(RevisionRow.id.in_(revision_ids), RevisionRow.status == "pending")
                .order_by(RevisionRow.id)
            ).all()
        return [_pending(row) for row in rows]

    def save(self, outcomes: Sequence[tuple[PendingPost, Verdict]]) -> list[int | None]:
        """Store verdicts; return each one's new screening id, or None where the revision was already screened."""
        with self._transaction() as db:
            return [self._save_one(db, pending, verdict) for pending, verdict in outcomes]

    def _save_one(self, db: Connection, pending: PendingPost, verdict: Verdict) -> int | None:
        at = now()
        priority = max((r.score + (1.0 if r.action.value == "reject" else 0.0) for r in verdict.reasons), default=0.0)
        screening_id = db.execute(
            self._insert(ScreeningRow)
            .values(revision_id=pending.revision_id, post_id=verdict.post_id, revision=verdict.revision, role="live",
                    decision=verdict.decision.value, language=verdict.language, scores=verdict.scores,
                    failures=[{"check": f.check, "error": f.error} for f in verdict.failures],
                    checks=verdict.checks, policy_version=verdict.policy_version,
                    content_hash=verdict.content_hash, truncated=verdict.truncated, priority=priority,
                    is_current=False, review_state="open", version=1, screened_at=at,
                    latency_ms=(at - pending.received_at).total_seconds() * 1000)
            .on_conflict_do_nothing()
            .returning(ScreeningRow.id)
        ).scalar()
        if screening_id is None:
            return None
        if verdict.reasons:
            db.execute(insert(ReasonRow), [
                {"screening_id": screening_id, "position": position, "category": r.category, "code": r.code,
                 "score": r.score, "threshold": r.threshold, "action": r.action.value, "message": r.message,
                 "evidence": [{"field": e.field, "start": e.start, "end": e.end, "text": e.text} for e in r.evidence]}
                for position, r in enumerate(verdict.reasons)
            ])
        # only the post's newest revision becomes its current outcome (this UPDATE also locks the post row)
        is_current = db.execute(
            update(PostRow)
            .where(PostRow.id == verdict.post_id, PostRow.revision == verdict.revision,
                   PostRow.content_hash == verdict.content_hash)
            .values(current_screening_id=screening_id, status="screened", updated_at=at)
        ).rowcount == 1
        if is_current:
            db.execute(update(ScreeningRow).where(ScreeningRow.post_id == verdict.post_id, ScreeningRow.role == "live",
                                                  ScreeningRow.id != screening_id).values(is_current=False))
            db.execute(update(ScreeningRow).where(ScreeningRow.id == screening_id).values(is_current=True))
        db.execute(update(RevisionRow).where(RevisionRow.id == pending.revision_id)
                   .values(status="screened" if is_current else "superseded", screened_at=at))
        return screening_id

    # ---- publishing ------------------------------------------------------------------------
    def unpublished(self, revision_ids: Sequence[int] | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """Outcomes stored but not yet published (for these revisions, or any)."""
        query = select(ScreeningRow.__table__).where(ScreeningRow.published_at.is_(None), ScreeningRow.role == "live")
        if revision_ids is not None:
            query = query.where(ScreeningRow.revision_id.in_(revision_ids))
        with self._transaction() as db:
            screenings = db.execute(query.order_by(ScreeningRow.id).limit(limit)).all()
            reasons = db.execute(
                select(ReasonRow.__table__).where(ReasonRow.screening_id.in_([s.id for s in screenings]))
                .order_by(ReasonRow.screening_id, ReasonRow.position)
            ).all() if screenings else []
        by_screening: dict[int, list[dict[str, Any]]] = {}
        for r in reasons:
            by_screening.setdefault(r.screening_id, []).append(
                {"category": r.category, "code": r.code, "score": round(r.score, 4), "threshold": r.threshold,
                 "action": r.action, "message": r.message, "evidence": r.evidence})
        return [_outcome(s, by_screening.get(s.id, [])) for s in screenings]

    def mark_published(self, screening_ids: Sequence[int]) -> None:
        if screening_ids:
            with self._transaction() as db:
                db.execute(update(ScreeningRow).where(ScreeningRow.id.in_(screening_ids)).values(published_at=now()))

    # ---- failures, reconciliation, status --------------------------------------------------
    def dead_letter(self, task: str, payload: str, error: str) -> None:
        with self._transaction() as db:
            db.execute(insert(DeadLetterRow).values(received_at=now(), task=task, payload=payload[:1_000_000],
                                                    error=error[:10_000]))

    def stuck(self, older_than: timedelta, limit: int = 10_000) -> list[PendingPost]:
        """Pending revisions enqueued (or received) longer ago than `older_than`: the broker lost them."""
        cutoff = now() - older_than
        with self._transaction() as db:
            rows = db.execute(
                select(RevisionRow.__table__).where(
                    RevisionRow.status == "pending",
                    func.coalesce(RevisionRow.enqueued_at, RevisionRow.received_at) < cutoff,
                ).order_by(RevisionRow.id).limit(limit)
            ).all()
            return [_pending(row) for row in rows]

    def status(self, post_id: str) -> dict[str, Any] | None:
        with self._transaction() as db:
            post = db.execute(select(PostRow.__table__).where(PostRow.id == post_id)).one_or_none()
            if post is None:
                return None
            outcome = None
            if post.current_screening_id is not None:
                screening = db.execute(select(ScreeningRow.__table__).where(ScreeningRow.id == post.current_screening_id)).one()
                reasons = db.execute(select(ReasonRow.__table__).where(ReasonRow.screening_id == screening.id)
                                     .order_by(ReasonRow.position)).all()
                outcome = _outcome(screening, [
                    {"category": r.category, "code": r.code, "score": round(r.score, 4), "threshold": r.threshold,
                     "action": r.action, "message": r.message, "evidence": r.evidence} for r in reasons])
        return {"post_id": post.id, "revision": post.revision, "status": post.status, "outcome": outcome}

    def counts(self) -> dict[str, int]:
        with self._transaction() as db:
            rows = db.execute(select(RevisionRow.status, func.count()).group_by(RevisionRow.status)).all()
        return {status: count for status, count in rows}

    def purge(self, before: datetime) -> int:
        """Drop bodies, titles and evidence text of decided posts screened before `before`."""
        with self._transaction() as db:
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


def _pending(row: Row[Any]) -> PendingPost:
    post, error = None, None
    try:
        post = Post.model_validate(row.payload)
    except ValidationError as problem:  # stored by an older version, or tampered with
        error = describe_validation_error(problem)
    return PendingPost(row.id, row.post_id, row.revision, row.content_hash, post, error, _aware(row.received_at),
                       row.attempts)


def _outcome(screening: Row[Any], reasons: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "screening_id": screening.id, "post_id": screening.post_id, "revision": screening.revision,
        "decision": screening.decision, "language": screening.language, "scores": screening.scores,
        "reasons": reasons, "failures": screening.failures, "policy_version": screening.policy_version,
        "content_hash": screening.content_hash, "checks": screening.checks,
        "screened_at": _aware(screening.screened_at).isoformat(), "source": "worker",
    }


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite returns naive datetimes


def _dialect_insert(engine: Engine):
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert


