"""The Python client for community backends: record the post, then enqueue it.

    from queues.client import Submitter
    submitter = Submitter.from_settings()
    submitter.submit({"id": "123", "body": "...", "title": "..."})
    submitter.submit_many(posts)

Posts are written to the database before anything is enqueued; if the broker is unreachable
the post stays accepted and the reconciler enqueues it later, so nothing is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kombu.exceptions import OperationalError as BrokerUnavailable

from models.store import Acceptance, Store
from queues.names import QueueName
from worker.types import Post

logger = logging.getLogger(__name__)


class Submitter:
    def __init__(self, store: Store, batch_size: int = 100) -> None:
        self.store = store
        self.batch_size = batch_size

    @classmethod
    def from_settings(cls) -> Submitter:
        from config.settings import settings
        from queues import runtime

        return cls(runtime.store(), settings().batch_size)

    def submit(self, post: Post | Mapping[str, Any], client: str | None = None, owned: bool = False) -> Acceptance:
        """One post: one small message; the worker gathers single posts into batches.

        ``owned``: refuse (ForeignPosts) a post id recorded for another client (the HTTP API's scoping)."""
        from queues.tasks import screen_post

        [acceptance] = self.store.accept([_as_post(post)], client, enqueuing=True, owned=owned)
        if acceptance.status == "accepted":
            try:
                screen_post.apply_async(kwargs={"revision_id": acceptance.revision_id}, retry=False)
            except BrokerUnavailable as error:
                self.store.unmark_enqueued([acceptance.revision_id])
                logger.warning("broker unavailable, the reconciler will enqueue post %s: %s", acceptance.post_id, error)
        return acceptance

    def submit_many(self, posts: Iterable[Post | Mapping[str, Any]], client: str | None = None,
                    queue: QueueName = QueueName.SCREENING, owned: bool = False) -> list[Acceptance]:
        """Many posts: recorded and enqueued `batch_size` to a message."""
        from queues.tasks import screen_batch

        results: list[Acceptance] = []
        chunk: list[Post] = []
        for post in posts:
            chunk.append(_as_post(post))
            if len(chunk) == self.batch_size:
                results += self._submit_chunk(chunk, client, queue, screen_batch, owned)
                chunk = []
        if chunk:
            results += self._submit_chunk(chunk, client, queue, screen_batch, owned)
        return results

    def _submit_chunk(self, posts: Sequence[Post], client: str | None, queue: QueueName, task: Any,
                      owned: bool = False) -> list[Acceptance]:
        acceptances = self.store.accept(posts, client, enqueuing=True, owned=owned)
        ids = [a.revision_id for a in acceptances if a.status == "accepted"]
        if ids:
            try:
                task.apply_async(kwargs={"revision_ids": ids}, queue=queue.value, exchange=queue.value, routing_key=queue.value,
                                 retry=False)
            except BrokerUnavailable as error:
                self.store.unmark_enqueued(ids)
                logger.warning("broker unavailable, the reconciler will enqueue %d posts: %s", len(ids), error)
        return acceptances


def _as_post(post: Post | Mapping[str, Any]) -> Post:
    return post if isinstance(post, Post) else Post.model_validate(dict(post))
