"""Sign-in throttle buckets in the database: one row per bucket in `signin_throttles`.

The policy (which buckets an attempt is charged to, how long each waits) is the review app's
(modscreen/review/throttle.py); this store only counts, atomically. An attempt is charged to a
bucket by one conditional UPDATE (`... WHERE blocked_until IS NULL OR blocked_until <= now`): the
database's row lock serialises a burst of concurrent attempts, so only those the budget allows
are ever counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, case, delete, literal, null, or_, select, type_coerce, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from models.audit import write_audit
from models.db import aware, transaction
from models.tables import SigninThrottleRow

Row = SigninThrottleRow


class Bucket(Protocol):
    """What the store needs to know of a bucket: its key, its audit label and how long it waits."""

    @property
    def key(self) -> str: ...
    @property
    def label(self) -> str: ...  # what the audit log names (never a password, never a hash)
    @property
    def free(self) -> int: ...
    @property
    def first_delay(self) -> float: ...
    @property
    def cap(self) -> float: ...
    def delay(self, failures: int) -> float: ...


class ThrottleStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def charge(self, buckets: Sequence[Bucket], moment: datetime, forget_after: float) -> float | None:
        """Count one failure in each bucket, in order; the seconds left of the first one waiting, or None.

        A bucket that refuses is not charged, nor are those after it; those before it keep the charge.
        A bucket nobody failed in for ``forget_after`` seconds starts again from one failure. The
        failure that spends a bucket's budget is audited (`signin.slowed`).
        """
        with transaction(self.engine) as db:
            for bucket in buckets:
                failures = _charge(db, bucket, moment, forget_after)
                if failures is None:
                    return _seconds_left(db, bucket, moment)
                if failures == bucket.free:  # the budget is spent: from now on this bucket waits
                    write_audit(db, "system", "signin.slowed", bucket.label, None,
                                {"failures": failures, "wait_seconds": bucket.delay(failures)})
        return None

    def forget_idle(self, moment: datetime, forget_after: float) -> int:
        """Drop the buckets not waiting and without a failure for ``forget_after`` seconds; how many."""
        with transaction(self.engine) as db:
            return db.execute(delete(Row).where(
                Row.last_failure_at < moment - timedelta(seconds=forget_after),
                or_(Row.blocked_until.is_(None), Row.blocked_until <= moment))).rowcount

    def give_back(self, returned_key: str, emptied_key: str) -> None:
        """A success: one failure is taken back from ``returned_key``; ``emptied_key`` starts again."""
        with transaction(self.engine) as db:
            db.execute(update(Row).where(Row.key == returned_key, Row.failures > 0).values(failures=Row.failures - 1))
            db.execute(delete(Row).where(Row.key == emptied_key))

    def drop(self, key: str) -> None:
        with transaction(self.engine) as db:
            db.execute(delete(Row).where(Row.key == key))

    def blocked_until(self, keys: Sequence[str]) -> dict[str, datetime]:
        """For each of these buckets that was ever made to wait: until when (possibly past)."""
        with transaction(self.engine) as db:
            rows = db.execute(select(Row.key, Row.blocked_until).where(Row.key.in_(list(keys)))).all()
        return {row.key: aware(row.blocked_until) for row in rows if row.blocked_until is not None}


# ---- one conditional UPDATE per bucket --------------------------------------------------------
def _charge(db: Connection, bucket: Bucket, moment: datetime, forget_after: float) -> int | None:
    """The bucket's failures after this one, or None if it is waiting (then nothing changed)."""
    maker = postgresql_insert if db.dialect.name == "postgresql" else sqlite_insert
    db.execute(maker(Row).values(key=bucket.key, failures=0).on_conflict_do_nothing(index_elements=["key"]))
    forgotten = or_(Row.last_failure_at.is_(None), Row.last_failure_at < moment - timedelta(seconds=forget_after))
    failures = case((forgotten, 1), else_=Row.failures + 1)
    blocked_until = type_coerce(case((forgotten, _until(bucket, 1, moment)),
                                     else_=_until_after_one_more(bucket, moment)), Row.blocked_until.type)
    return db.execute(
        update(Row).where(Row.key == bucket.key, or_(Row.blocked_until.is_(None), Row.blocked_until <= moment))
        .values(failures=failures, blocked_until=blocked_until, last_failure_at=moment)
        .returning(Row.failures)).scalar_one_or_none()


def _until(bucket: Bucket, failures: int, moment: datetime) -> Any:
    seconds = bucket.delay(failures)
    return literal(moment + timedelta(seconds=seconds), Row.blocked_until.type) if seconds > 0 else null()


def _until_after_one_more(bucket: Bucket, moment: datetime) -> Any:
    """The wait after one more failure, as a CASE over the row's current count (computed here, not in SQL)."""
    steps = []
    count = max(bucket.free - 1, 0)
    while True:
        steps.append((Row.failures == count, _until(bucket, count + 1, moment)))
        if bucket.delay(count + 1) >= bucket.cap:
            break
        count += 1
    return case((Row.failures < bucket.free - 1, null()), *steps, else_=_until(bucket, count + 1, moment))


def _seconds_left(db: Connection, bucket: Bucket, moment: datetime) -> float:
    until = db.execute(select(Row.blocked_until).where(Row.key == bucket.key)).scalar_one_or_none()
    return max((aware(until) - moment).total_seconds(), 0.0) if until is not None else bucket.first_delay
