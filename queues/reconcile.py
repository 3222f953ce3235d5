"""The reconciler: the database is the source of truth, so whatever the broker lost is found here.

Pending revisions older than the configured age are enqueued again (a revision that has been
enqueued too often gets an error outcome instead: it must not loop), and stored outcomes that
were never published are published.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from config.settings import settings
from models.store import Store
from queues.handlers import unscreenable
from queues.publish import Deliver, Publisher, publish_decisions, publish_screenings

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
CHUNK = 100


def publish_moderator_decisions(store: Store, publisher: Publisher, deliver: Deliver | None = None) -> int:
    """Moderator decisions stored but not yet published (Redis was down) reach the backend too."""
    from models.review_store import ReviewStore

    return publish_decisions(ReviewStore(store.engine), publisher, deliver=deliver)


def reconcile_once(store: Store, publisher: Publisher, policy_version: str) -> dict[str, int]:
    from queues.tasks import screen_batch
    from queues.webhooks import enqueue_deliveries

    stuck = store.stuck(timedelta(seconds=settings().reconcile_after_seconds))
    exhausted = [item for item in stuck if item.attempts >= MAX_ATTEMPTS]
    retry = [item.revision_id for item in stuck if item.attempts < MAX_ATTEMPTS]
    if exhausted:
        store.save([(item, unscreenable(item, f"not screened after {item.attempts} attempts", policy_version))
                    for item in exhausted])
    for start in range(0, len(retry), CHUNK):
        chunk = retry[start : start + CHUNK]
        screen_batch.apply_async(kwargs={"revision_ids": chunk})
        store.mark_enqueued(chunk)
    published = publish_screenings(store, publisher, deliver=enqueue_deliveries)
    published += publish_moderator_decisions(store, publisher, enqueue_deliveries)
    if stuck or published:
        logger.info("reconciled", extra={"requeued": len(retry), "gave_up": len(exhausted), "published": published})
    return {"requeued": len(retry), "gave_up": len(exhausted), "published": published}
