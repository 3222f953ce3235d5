"""What a worker does with a batch of revision ids. Plain Python: no Celery here.

1. Load the revisions still pending (a redelivered message finds them done and skips them).
2. Screen them in one engine batch; a stored payload that is no longer a valid post gets an
   error outcome (review) instead, so it is never retried forever.
3. Store every verdict in one transaction (unique key: a revision is screened once).
4. Publish whatever of these is stored but unpublished, then record it as published.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from models.store import PendingPost, Store
from queues.metrics import record_screenings
from queues.publish import Deliver, Publisher, publish_screenings
from worker.decision import redecide_all
from worker.engine import Engine
from worker.policy import Policy
from worker.types import CheckFailure, Decision, Verdict

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BatchReport:
    screened: int
    skipped: int
    published: int


def screen_revisions(
    revision_ids: Sequence[int], *, engine: Engine, store: Store, publisher: Publisher,
    on_published: Deliver | None = None, shadow: Policy | None = None,
) -> BatchReport:
    """``shadow``: a candidate policy whose verdicts on the same findings are stored beside the live ones."""
    pending = store.pending(revision_ids)
    screenable = [item for item in pending if item.post is not None]
    verdicts = engine.screen_many([item.post for item in screenable]) if screenable else []
    outcomes = list(zip(screenable, verdicts, strict=True))
    outcomes += [(item, unscreenable(item, item.error or "invalid post", engine.policy.version))
                 for item in pending if item.post is None]
    for item, verdict in outcomes:
        logger.info("screened", extra={"post_id": item.post_id, "revision": item.revision,
                                       "decision": verdict.decision.value})
    created = store.save(outcomes)
    record_screenings([outcome for outcome, new in zip(outcomes, created, strict=True) if new is not None])
    published = publish_screenings(store, publisher, revision_ids, on_published)
    _shadow_and_carry_over(shadow, store, outcomes, created)  # after the live outcome is stored and published
    return BatchReport(len(outcomes), len(revision_ids) - len(pending), published)


def unscreenable(item: PendingPost, error: str, policy_version: str) -> Verdict:
    """An error outcome: a human must look, and the post is never retried forever."""
    return Verdict(
        post_id=item.post_id, revision=item.revision, decision=Decision.REVIEW, language=None, scores={},
        reasons=(), failures=(CheckFailure("input", error),), policy_version=policy_version, content_hash=item.content_hash,
        checks={},
    )


def _shadow_and_carry_over(shadow: Policy | None, store: Store, outcomes: list[tuple[PendingPost, Verdict]],
                           created: list[int | None]) -> None:
    """A shadow policy's verdicts are stored beside the live ones (role 'shadow', never published,
    never acted on); a re-screened post a moderator already decided stays out of the review queue."""
    from models.policy_store import PolicyStore

    fresh = [outcome for outcome, new in zip(outcomes, created, strict=True) if new is not None]
    if not fresh:
        return
    policies = PolicyStore(store.engine)
    try:  # neither ever gets in the way of the live outcome, which is stored already
        policies.carry_over_reviews([new for new in created if new is not None])
        if shadow is not None:
            shadowed = redecide_all([verdict for _, verdict in fresh], shadow)
            policies.save_shadow([(pending, verdict) for (pending, _), verdict in zip(fresh, shadowed, strict=True)])
    except Exception:  # noqa: BLE001
        logger.exception("shadow verdicts or review carry-over failed (the live outcome is stored and published)")
