"""Outcomes out, after commit: the one path from stored outcomes to the backend.

    publish_screenings(store, publisher)      # the worker's handler and the reconciler
    publish_decisions(review, publisher)      # the review app and the reconciler

Each loads what is stored but not yet published, hands it to a ``Publisher`` (the Redis stream
``OutcomePublisher``; ``InMemoryPublisher`` in tests and the demo), records it as published,
then gives it to ``deliver`` (the webhook: ``queues.webhooks.enqueue_deliveries``). Nothing is
published that was not stored first; what a crash leaves unpublished the reconciler publishes.

Publishing to the stream is idempotent per event: a Lua script adds the stream entry only if
the event's marker key is new, so a worker that dies between publishing and recording it
cannot publish the same outcome twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

import redis

from worker.outcome import ModeratorOutcome, Outcome, ScreeningOutcome

if TYPE_CHECKING:
    from models.review_store import ReviewStore
    from models.store import Store

Deliver = Callable[[Sequence[Outcome]], None]
"""What happens after the stream has an outcome (the webhook); its failures are the caller's to handle."""


class Publisher(Protocol):
    def publish(self, outcomes: Sequence[Outcome]) -> int:
        """Publish each outcome once (by its ``event_id``); return how many were new."""
        ...


_PUBLISH_ONCE = """
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'event_id', ARGV[3], 'kind', ARGV[4],
                    'post_id', ARGV[5], 'outcome', ARGV[6])
end
return false
"""
MARKER_TTL_SECONDS = 14 * 24 * 3600


class OutcomePublisher:
    """The Redis stream (MODSCREEN_OUTCOME_STREAM) that backends read with a consumer group."""

    def __init__(self, client: redis.Redis, stream: str, maxlen: int) -> None:
        self.client = client
        self.stream = stream
        self.maxlen = maxlen
        self._script = client.register_script(_PUBLISH_ONCE)

    @classmethod
    def from_url(cls, url: str, stream: str, maxlen: int, *, socket_timeout: float = 10,
                 connect_timeout: float = 5) -> OutcomePublisher:
        return cls(redis.Redis.from_url(url, socket_timeout=socket_timeout, socket_connect_timeout=connect_timeout),
                   stream, maxlen)

    def publish(self, outcomes: Sequence[Outcome]) -> int:
        """Publish each outcome once; return how many were new. Raises redis errors (transient)."""
        if not outcomes:
            return 0
        pipeline = self.client.pipeline(transaction=False)
        for outcome in outcomes:
            self._script(
                keys=[f"{self.stream}:published:{outcome.event_id}", self.stream],
                args=[MARKER_TTL_SECONDS, self.maxlen, outcome.event_id, outcome.kind, outcome.post_id,
                      json.dumps(outcome.as_published(), ensure_ascii=False, separators=(",", ":"))],
                client=pipeline,
            )
        return sum(1 for result in pipeline.execute() if result)


class InMemoryPublisher:
    """Keeps what it is given, once per event (as the stream does): for tests, and the demo (no Redis)."""

    def __init__(self) -> None:
        self.published: list[Outcome] = []
        self._seen: set[str] = set()

    def publish(self, outcomes: Sequence[Outcome]) -> int:
        new = [outcome for outcome in outcomes if outcome.event_id not in self._seen]
        self._seen.update(outcome.event_id for outcome in new)
        self.published += new
        return len(new)


def publish_screenings(store: Store, publisher: Publisher, revision_ids: Sequence[int] | None = None,
                       deliver: Deliver | None = None) -> int:
    """Stored screenings not yet published (of these revisions, or any): to the stream, then the webhook."""
    outcomes: list[ScreeningOutcome] = store.unpublished(revision_ids)
    published = publisher.publish(outcomes)
    store.mark_published([outcome.screening_id for outcome in outcomes if outcome.screening_id is not None])
    if deliver and outcomes:
        deliver(outcomes)
    return published


def publish_decisions(review: ReviewStore, publisher: Publisher, decided: Sequence[ModeratorOutcome] = (),
                      deliver: Deliver | None = None) -> int:
    """Moderator decisions just taken (`decided`) and any stored but not yet published (Redis was down).

    An escalation is not a decision the backend acts on: it is never published."""
    waiting = {outcome.decision_id: outcome for outcome in [*review.pending_decisions(), *decided]
               if outcome.decision != "escalate"}
    if not waiting:
        return 0
    published = publisher.publish(list(waiting.values()))
    review.mark_decisions_published(list(waiting))
    if deliver:
        deliver(list(waiting.values()))
    return published
