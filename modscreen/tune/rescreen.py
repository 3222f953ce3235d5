"""Re-screen stored posts after a policy or model change (``modscreen rescreen``).

Each chosen revision's active screening is marked superseded (kept, with its moderator
decisions) and the revision set pending again; it is then enqueued, by default on the bulk
queue (which never delays live posts). The worker stores a new live screening, which becomes
the post's current outcome and is published like any other; if a moderator had already
decided the post, the new screening stays out of the review queue. If the broker is down, the
revisions stay pending and the reconciler enqueues them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from models.policy_store import PolicyStore
from models.store import Store

logger = logging.getLogger(__name__)
CHUNK = 100


def celery_sender(queue: str) -> Callable[[list[int]], None]:
    def send(ids: list[int]) -> None:
        from queues.tasks import screen_batch

        screen_batch.apply_async(kwargs={"revision_ids": ids}, queue=queue, exchange=queue, routing_key=queue,
                                 retry=False)
    return send


def rescreen(engine, since: datetime | None, until: datetime | None = None, category: str | None = None,
             post_ids: Sequence[str] | None = None, limit: int | None = None,
             send: Callable[[list[int]], None] | None = None) -> tuple[list[int], int]:
    """Mark and enqueue; returns (revision ids marked, ids enqueued)."""
    ids = PolicyStore(engine).mark_for_rescreen(since=since, until=until, category=category, post_ids=post_ids,
                                                limit=limit)
    store = Store(engine)
    enqueued = 0
    if send is None:
        return ids, 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        try:
            send(chunk)
        except Exception as error:  # noqa: BLE001 (the broker is down: the reconciler will enqueue them)
            logger.warning("could not enqueue %d revisions (the reconciler will): %s", len(ids) - start, error)
            break
        store.mark_enqueued(chunk)
        enqueued += len(chunk)
    return ids, enqueued
