"""The service's guarantees, against real PostgreSQL and real Redis, with workers as real processes."""

from __future__ import annotations

import json
import time

from sqlalchemy import func, select

from tests.public_sample import build_posts
from models.tables import DeadLetterRow, RevisionRow, ScreeningRow
from queues.app import app
from queues.names import TaskName
from queues.publish import OutcomePublisher
from queues.reconcile import reconcile_once
from tests.services.harness import STREAM, published_events, screened_count, unpublished_count, wait_until
from tests.services.processes import TcpProxy

def assert_exactly_one_outcome_each(service, post_ids: set[str], streamed: set[str] | None = None) -> None:
    """One screening per post, all published; `streamed`: the posts whose events the stream still holds."""
    with service.store.engine.connect() as db:
        per_revision = db.execute(
            select(RevisionRow.post_id, func.count(ScreeningRow.id))
            .join(ScreeningRow, ScreeningRow.revision_id == RevisionRow.id)
            .group_by(RevisionRow.post_id)
        ).all()
        unpublished = db.execute(select(func.count()).select_from(ScreeningRow)
                                 .where(ScreeningRow.published_at.is_(None))).scalar_one()
    assert {post_id for post_id, _ in per_revision} == post_ids
    assert all(count == 1 for _, count in per_revision)
    assert unpublished == 0
    events = published_events(service)
    assert sorted(event["post_id"] for event in events) == sorted(streamed or post_ids)  # once each, no duplicate
    assert len({event["event_id"] for event in events}) == len(events)


def reconcile(service) -> None:
    from queues import runtime

    reconcile_once(service.store, OutcomePublisher(service.redis.client(), STREAM, 100_000),
                   runtime.screening_engine().policy.version)


def test_when_a_worker_is_killed_mid_batch_then_every_post_still_ends_with_exactly_one_outcome(service):
    posts = build_posts(2_000, seed=11)
    service.submitter.submit_many(posts)
    first = service.start_worker()
    wait_until(lambda: screened_count(service.store) >= 150, timeout=240)
    first.kill_hard()
    assert screened_count(service.store) < 2_000, "the worker finished before it could be killed"
    service.start_worker()
    wait_until(lambda: screened_count(service.store) == 2_000, timeout=300, every=lambda: reconcile(service))
    time.sleep(2)  # let any redelivered duplicate message run: it must not add anything
    assert_exactly_one_outcome_each(service, {post.id for post in posts})


def test_when_redis_loses_every_message_then_the_reconciler_recovers_all_posts(service):
    posts = build_posts(350, seed=12)
    service.submitter.submit_many(posts[:200])
    service.redis.stop()  # posts in flight are gone with it; Redis keeps nothing on disk
    service.submitter.submit_many(posts[200:300])  # accepted and recorded while the broker is down
    service.redis.start()
    service.start_worker()
    time.sleep(3)
    assert screened_count(service.store) == 0  # nothing left in the broker to screen
    wait_until(lambda: screened_count(service.store) == 300, timeout=240, every=lambda: reconcile(service))
    service.redis.stop()  # and again under a running worker, which must reconnect
    service.submitter.submit_many(posts[300:])
    service.redis.start()
    # screened, then published: the last batch's outcomes reach the stream a moment after they are stored
    wait_until(lambda: screened_count(service.store) == 350 and unpublished_count(service.store) == 0, timeout=240,
               every=lambda: reconcile(service))
    # the restarted Redis lost the stream too (it keeps nothing on disk): run outcome Redis with AOF
    assert_exactly_one_outcome_each(service, {post.id for post in posts}, streamed={post.id for post in posts[300:]})


def test_when_the_database_is_unreachable_then_tasks_retry_and_succeed_when_it_returns(service):
    proxy = TcpProxy("127.0.0.1", 5432)
    worker_url = service.env["MODSCREEN_DATABASE_URL"].replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
    posts = build_posts(200, seed=13)
    worker = service.start_worker(MODSCREEN_DATABASE_URL=worker_url)  # the proxy is down: no database
    service.submitter.submit_many(posts)
    wait_until(lambda: "Retry in" in worker.log(), timeout=120)
    assert screened_count(service.store) == 0 and not published_events(service)
    proxy.restore()
    try:
        # stored, then published and recorded as such: keep the database reachable until both are done
        wait_until(lambda: screened_count(service.store) == 200 and unpublished_count(service.store) == 0,
                   timeout=240)
    finally:
        proxy.cut()
    assert_exactly_one_outcome_each(service, {post.id for post in posts})


def test_when_messages_are_poison_then_they_are_dead_lettered_once_and_never_block_the_queue(service):
    for kwargs in ({"revision_ids": "garbage"}, {"revision_ids": [-1, "x"]}, {"revision_ids": []}):
        app.send_task(TaskName.SCREEN_BATCH.value, kwargs=kwargs, queue="screening")
    app.send_task(TaskName.SCREEN_POST.value, kwargs={"revision_id": {"not": "an id"}}, queue="screening")
    service.start_worker()
    good = build_posts(5, seed=14)
    service.submitter.submit_many(good)
    wait_until(lambda: screened_count(service.store) == 5, timeout=180)
    time.sleep(2)
    with service.store.engine.connect() as db:
        letters = db.execute(select(DeadLetterRow.task, DeadLetterRow.payload)).all()
    assert len(letters) == 4
    assert {task for task, _ in letters} == {TaskName.SCREEN_BATCH.value, TaskName.SCREEN_POST.value}
    assert any(json.loads(payload) == "garbage" for task, payload in letters if task == TaskName.SCREEN_BATCH.value)
