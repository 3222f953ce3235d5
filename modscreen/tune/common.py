"""What the tune, policy and demo commands share: the database, dates, the dataset, printing."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import typer

from modscreen.tune.labels import Dataset, build_dataset


def database_engine():
    from config.settings import SettingsError, settings
    from models.db import make_engine

    try:
        return make_engine(settings().database_url)
    except SettingsError as error:
        typer.echo(f"modscreen: {error}", err=True)
        raise typer.Exit(2) from None


def policy_path() -> Path:
    from config.settings import settings

    return settings().policy_path


def parse_since(value: str | None) -> datetime | None:
    """'2026-11-01', '2026-11-01T12:00' (UTC unless an offset is given), or '7d' (days ago)."""
    if value is None:
        return None
    value = value.strip()
    if value.endswith("d") and value[:-1].isdigit():
        from datetime import timedelta

        return datetime.now(UTC) - timedelta(days=int(value[:-1]))
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(value), datetime.min.time())
        except ValueError:
            raise typer.BadParameter(f"{value!r}: expected a date (2026-11-01), a date-time or Nd") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def load_dataset(engine, since: datetime | None = None, language: str | None = None,
                 until: datetime | None = None) -> Dataset:
    from models.analytics_store import AnalyticsStore

    store = AnalyticsStore(engine)
    screenings = store.screenings(since=since, until=until, language=language)
    decisions = store.decisions([s.revision_id for s in screenings])
    return build_dataset(screenings, decisions)


def print_json(data) -> None:
    typer.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))


def fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}g}" if digits else str(value)


def pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def actor(default: str | None = None) -> str:
    return default or os.environ.get("MODSCREEN_ACTOR") or os.environ.get("USER") or "unknown"
