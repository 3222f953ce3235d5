"""Connections: SQLite (embedded default) or PostgreSQL, and migrations with Alembic."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class StoreUnavailable(Exception):
    """The database cannot be reached or is failing over: worth retrying later."""


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction; an unreachable database is StoreUnavailable ("try again later"), not a bug."""
    try:
        with engine.begin() as connection:
            yield connection
    except (OperationalError, PoolTimeout) as error:
        raise StoreUnavailable(str(error).splitlines()[0]) from error
    except DBAPIError as error:
        if error.connection_invalidated:
            raise StoreUnavailable(str(error).splitlines()[0]) from error
        raise


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def _sqlite_pragmas(connection, _record) -> None:  # noqa: ANN001 (DB-API connection)
    # WAL lets the API, workers and the reconciler read while one of them writes
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def dialect_insert(engine: Engine):
    """The engine's dialect INSERT, which has ON CONFLICT DO NOTHING (SQLAlchemy's generic one has not)."""
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def now() -> datetime:
    """The time every stored row is stamped with (timezone-aware UTC)."""
    return datetime.now(UTC)


def aware(moment: datetime | None) -> datetime | None:
    """A stored time as timezone-aware UTC: SQLite returns naive datetimes."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment
