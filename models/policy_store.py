"""Versioned policies in the database, shadow screenings and re-screens: persistence only.

Every policy ever proposed, shadowed or applied is a ``policy_versions`` row (TOML text, author,
time, message); at most one is ``live`` and at most one ``shadow``. When a live row exists,
workers screen with it instead of the policy file (queues/live_policy.py). What may be stored
and made live is decided in modscreen/policy_lifecycle.py. Every change writes an
``audit_events`` row. Every method is one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, exists, insert, select, update
from sqlalchemy.orm import aliased

from models.audit import write_audit
from models.db import aware
from models.store import PendingPost, Store, now
from models.tables import AuditEventRow, PolicyVersionRow, RevisionRow, ScreeningRow
from worker.types import Verdict

STATUSES = ("candidate", "live", "shadow", "retired")


class PolicyStoreError(ValueError):
    """A policy operation that cannot be done (unknown version, version reused with other content)."""


@dataclass(frozen=True, slots=True)
class PolicyVersion:
    id: int
    version: str
    content: str
    author: str
    message: str
    created_at: datetime
    status: str
    activated_at: datetime | None


def _version(row: Any) -> PolicyVersion:
    return PolicyVersion(row.id, row.version, row.content, row.author, row.message, aware(row.created_at), row.status,
                         aware(row.activated_at) if row.activated_at else None)


class PolicyStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._store = Store(engine)  # for its transaction handling (StoreUnavailable)

    # ---- reading ---------------------------------------------------------------------------
    def versions(self) -> list[PolicyVersion]:
        with self._store.transaction() as db:
            rows = db.execute(select(PolicyVersionRow.__table__).order_by(PolicyVersionRow.created_at,
                                                                           PolicyVersionRow.id)).all()
        return [_version(row) for row in rows]

    def get(self, version: str) -> PolicyVersion | None:
        with self._store.transaction() as db:
            row = db.execute(select(PolicyVersionRow.__table__).where(PolicyVersionRow.version == version)).one_or_none()
        return _version(row) if row else None

    def with_status(self, status: str) -> PolicyVersion | None:
        with self._store.transaction() as db:
            row = db.execute(select(PolicyVersionRow.__table__).where(PolicyVersionRow.status == status)
                             .order_by(PolicyVersionRow.id.desc()).limit(1)).one_or_none()
        return _version(row) if row else None

    def live(self) -> PolicyVersion | None:
        return self.with_status("live")

    def shadow(self) -> PolicyVersion | None:
        return self.with_status("shadow")

    def active(self) -> tuple[PolicyVersion | None, PolicyVersion | None]:
        """(live, shadow) in one query: what a worker polls."""
        with self._store.transaction() as db:
            rows = db.execute(select(PolicyVersionRow.__table__)
                              .where(PolicyVersionRow.status.in_(["live", "shadow"]))
                              .order_by(PolicyVersionRow.id)).all()
        found = {row.status: _version(row) for row in rows}
        return found.get("live"), found.get("shadow")

    # ---- writing ---------------------------------------------------------------------------
    def record(self, version: str, content: str, author: str, message: str, status: str = "candidate") -> PolicyVersion:
        """Store a policy version (already validated by the caller); the same version with the same text is reused."""
        if status not in STATUSES:
            raise PolicyStoreError(f"unknown status {status!r}")
        at = now()
        with self._store.transaction() as db:
            existing = db.execute(select(PolicyVersionRow.__table__)
                                  .where(PolicyVersionRow.version == version)).one_or_none()
            if existing is not None:
                if existing.content.strip() != content.strip():
                    raise PolicyStoreError(
                        f"version {version!r} is already stored with different content: give the new policy a new `version`")
                return _version(existing)
            db.execute(insert(PolicyVersionRow).values(version=version, content=content, author=author, message=message,
                                                       created_at=at, status=status, activated_at=None))
            write_audit(db, author, "policy.record", version, None, {"status": status, "message": message})
            row = db.execute(select(PolicyVersionRow.__table__).where(PolicyVersionRow.version == version)).one()
        return _version(row)

    def set_status(self, version: str, status: str, actor: str, message: str = "") -> PolicyVersion:
        """Make `version` live or shadow (the previous one of that status is retired), or retire it / make it a candidate."""
        if status not in STATUSES:
            raise PolicyStoreError(f"unknown status {status!r}")
        at = now()
        with self._store.transaction() as db:
            row = db.execute(select(PolicyVersionRow.__table__).where(PolicyVersionRow.version == version)
                             .with_for_update()).one_or_none()
            if row is None:
                raise PolicyStoreError(f"no policy version {version!r} is stored (see `modscreen policy list`)")
            before = None
            if status in ("live", "shadow"):
                previous = db.execute(select(PolicyVersionRow.version).where(
                    PolicyVersionRow.status == status, PolicyVersionRow.version != version)).scalars().all()
                before = {"version": previous[0] if previous else None}
                if previous:
                    db.execute(update(PolicyVersionRow).where(PolicyVersionRow.version.in_(previous))
                               .values(status="retired"))
            values: dict[str, Any] = {"status": status}
            if status == "live":
                values["activated_at"] = at
            db.execute(update(PolicyVersionRow).where(PolicyVersionRow.version == version).values(**values))
            action = {"live": "policy.activate", "shadow": "policy.shadow"}.get(status, f"policy.{status}")
            write_audit(db, actor, action, version,
                        {"status": row.status, **({"previous": before} if before else {})},
                        {"status": status, "message": message})
            row = db.execute(select(PolicyVersionRow.__table__).where(PolicyVersionRow.version == version)).one()
        return _version(row)

    def previous_live(self) -> PolicyVersion | None:
        """The version that was live before the current one (the most recently activated retired one)."""
        with self._store.transaction() as db:
            row = db.execute(select(PolicyVersionRow.__table__).where(
                PolicyVersionRow.status == "retired", PolicyVersionRow.activated_at.is_not(None))
                .order_by(PolicyVersionRow.activated_at.desc(), PolicyVersionRow.id.desc()).limit(1)).one_or_none()
        return _version(row) if row else None

    def audit_events(self, subject: str | None = None) -> list[dict[str, Any]]:
        query = select(AuditEventRow.__table__).where(AuditEventRow.action.like("policy.%"))
        if subject:
            query = query.where(AuditEventRow.subject == subject)
        with self._store.transaction() as db:
            rows = db.execute(query.order_by(AuditEventRow.id)).all()
        return [dict(row._mapping) for row in rows]

    # ---- shadow screenings ---------------------------------------------------------------
    def save_shadow(self, outcomes: Sequence[tuple[PendingPost, Verdict]]) -> int:
        """Store shadow verdicts (role 'shadow': never current, never published, never in the review queue)."""
        return sum(1 for created in self._store.save(outcomes, role="shadow") if created is not None)

    # ---- re-screening ----------------------------------------------------------------------
    def mark_for_rescreen(self, since: datetime | None = None, until: datetime | None = None,
                          category: str | None = None, post_ids: Sequence[str] | None = None,
                          limit: int | None = None) -> list[int]:
        """Supersede the active screenings of the posts' current revisions and set those revisions pending again.

        Revisions whose body was purged cannot be screened again and are left alone. With
        ``category``, only screenings that scored that category are chosen. Returns revision ids.
        """
        at = now()
        query = (select(RevisionRow.id, ScreeningRow.scores)
                 .join(ScreeningRow, and_(ScreeningRow.revision_id == RevisionRow.id, ScreeningRow.role == "live",
                                          ScreeningRow.superseded_at.is_(None)))
                 .where(RevisionRow.status.in_(["screened", "error"]), RevisionRow.purged_at.is_(None)))
        if since is not None:
            query = query.where(RevisionRow.received_at >= since)
        if until is not None:
            query = query.where(RevisionRow.received_at < until)
        if post_ids is not None:
            query = query.where(RevisionRow.post_id.in_(list(post_ids)))
        with self._store.transaction() as db:
            rows = db.execute(query.order_by(RevisionRow.id)).all()
            ids = [row.id for row in rows if category is None or category in (row.scores or {})]
            if limit is not None:
                ids = ids[:limit]
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                db.execute(update(ScreeningRow).where(ScreeningRow.revision_id.in_(chunk),
                                                      ScreeningRow.superseded_at.is_(None))
                           .values(superseded_at=at))
                db.execute(update(RevisionRow).where(RevisionRow.id.in_(chunk))
                           .values(status="pending", enqueued_at=None, attempts=0))
            if ids:
                write_audit(db, "modscreen", "rescreen.mark", f"{len(ids)} revisions", None,
                            {"since": since.isoformat() if since else None, "category": category})
        return ids

    def carry_over_reviews(self, screening_ids: Sequence[int]) -> int:
        """A re-screen does not send a post a moderator already decided back to the review queue."""
        ids = [sid for sid in screening_ids if sid is not None]
        if not ids:
            return 0
        old = aliased(ScreeningRow)
        with self._store.transaction() as db:
            decided = db.execute(
                select(ScreeningRow.id).where(
                    ScreeningRow.id.in_(ids),
                    exists().where(old.revision_id == ScreeningRow.revision_id, old.role == ScreeningRow.role,
                                   old.superseded_at.is_not(None), old.review_state == "decided"))).scalars().all()
            if decided:
                db.execute(update(ScreeningRow).where(ScreeningRow.id.in_(decided)).values(review_state="decided"))
        return len(decided)
