"""Celery tasks: thin shims that decode a message and call a plain handler.

Only transient errors (database or Redis unreachable) are retried, with exponential backoff
and jitter; a message that cannot be decoded is dead-lettered with its payload, never retried.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import redis
from celery_batches import Batches, SimpleRequest

from config.settings import settings
from models.store import StoreUnavailable
from queues import handlers, runtime
from queues.app import app
from queues.names import TaskName

logger = logging.getLogger(__name__)

TRANSIENT = (StoreUnavailable, redis.ConnectionError, redis.TimeoutError)
MAX_BATCH = 1_000


class MessageError(ValueError):
    """A message that is not what the task expects: no retry can fix it."""


def revision_ids_of(value: Any) -> list[int]:
    if not isinstance(value, list) or not value or len(value) > MAX_BATCH:
        raise MessageError(f"revision_ids must be a list of 1 to {MAX_BATCH} ids")
    if not all(isinstance(item, int) and not isinstance(item, bool) and item > 0 for item in value):
        raise MessageError("revision_ids must be positive integers")
    return value


def _screen(revision_ids: list[int]) -> handlers.BatchReport:
    from queues.webhooks import enqueue_deliveries

    active = runtime.active_policies()
    return handlers.screen_revisions(
        revision_ids, engine=active.engine, shadow=active.shadow, store=runtime.store(), publisher=runtime.publisher(),
        on_published=enqueue_deliveries,
    )


@app.task(
    name=TaskName.SCREEN_BATCH.value,
    autoretry_for=TRANSIENT,   # only what may work next time: bugs and bad input must not loop
    retry_backoff=True, retry_backoff_max=300, retry_jitter=True, max_retries=20,
)
def screen_batch(revision_ids: Any = None) -> dict[str, int]:
    try:
        ids = revision_ids_of(revision_ids)
    except MessageError as error:
        runtime.store().dead_letter(TaskName.SCREEN_BATCH.value, _dump(revision_ids), str(error))
        logger.error("dead-lettered a malformed screening message: %s", error)
        return {"dead_lettered": 1}
    report = _screen(ids)
    return {"screened": report.screened, "skipped": report.skipped, "published": report.published}


@app.task(
    name=TaskName.SCREEN_POST.value, base=Batches,
    flush_every=settings().batch_size, flush_interval=settings().batch_flush_seconds,
)
def screen_post(requests: list[SimpleRequest]) -> None:
    """One revision id per message; the worker gathers them into batches for the engine."""
    ids = []
    for request in requests:
        value = request.kwargs.get("revision_id", request.args[0] if request.args else None)
        try:
            ids += revision_ids_of([value])
        except MessageError as error:
            runtime.store().dead_letter(TaskName.SCREEN_POST.value, _dump({"args": request.args, "kwargs": request.kwargs}),
                                        str(error))
    if not ids:
        return
    try:
        _screen(ids)
    except TRANSIENT as error:  # a batch cannot retry itself: hand its ids to the retrying task
        logger.warning("screening %d posts deferred: %s", len(ids), error)
        screen_batch.apply_async(kwargs={"revision_ids": ids}, countdown=5)


@app.task(name=TaskName.RECONCILE.value, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def reconcile() -> dict[str, int]:
    from queues.reconcile import reconcile_once

    return reconcile_once(runtime.store(), runtime.publisher(), runtime.screening_engine().policy.version)


@app.task(name=TaskName.PURGE.value, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def purge() -> int:
    from datetime import timedelta

    from models.store import now

    return runtime.store().purge(now() - timedelta(days=settings().retention_days))


def _dump(value: Any) -> str:
    try:
        return json.dumps(value)[:1_000_000]
    except (TypeError, ValueError):
        return repr(value)[:1_000_000]
