"""Idempotency and ordering at the store, on SQLite and PostgreSQL."""

from models.store import Store
from queues.handlers import screen_revisions
from queues.publish import OutcomePublisher
from tests.conftest import POLICY_PATH
from worker.assembly import build_engine
from worker.document import content_hash
from worker.types import Post

import pytest


@pytest.fixture(scope="module")
def engine():
    built = build_engine(POLICY_PATH)
    built.load()
    return built


@pytest.fixture
def publisher(redis_server):
    return OutcomePublisher(redis_server.client(), "test:outcomes", 10_000)


def post(post_id="p1", revision=1, body="How do I export the call log to CSV?"):
    return Post(id=post_id, revision=revision, body=body, title="Export CSV", language="en")


def screen(store: Store, engine, publisher, acceptances):
    return screen_revisions([a.revision_id for a in acceptances], engine=engine, store=store, publisher=publisher)


def test_when_same_post_is_submitted_twice_then_it_is_screened_and_published_once(store, engine, publisher):
    first = store.accept([post()])
    again = store.accept([post()])
    assert [a.status for a in first + again] == ["accepted", "duplicate"]
    assert first[0].revision_id == again[0].revision_id
    screen(store, engine, publisher, first)
    report = screen(store, engine, publisher, again)  # a redelivered message
    assert report.skipped == 1
    assert publisher.client.xlen("test:outcomes") == 1
    assert store.status("p1")["outcome"]["revision"] == 1


def test_when_post_is_edited_then_new_screening_supersedes_the_old(store, engine, publisher):
    screen(store, engine, publisher, store.accept([post(revision=1)]))
    screen(store, engine, publisher, store.accept([post(revision=2, body="Edited: how do I export calls? Where is the IVR?")]))
    status = store.status("p1")
    assert status["revision"] == 2
    assert status["outcome"]["revision"] == 2 and status["outcome"]["decision"] == "review"
    assert publisher.client.xlen("test:outcomes") == 2


def test_when_same_revision_arrives_with_new_content_then_it_is_screened_again(store, engine, publisher):
    screen(store, engine, publisher, store.accept([post(body="Comment exporter les appels ?")]))
    second = store.accept([post(body="Comment exporter les appels en CSV ?")])
    assert second[0].status == "accepted"
    screen(store, engine, publisher, second)
    assert store.status("p1")["outcome"]["content_hash"] == content_hash(post(body="Comment exporter les appels en CSV ?"))


def test_when_a_stale_revision_arrives_late_then_it_never_overwrites_the_newer_outcome(store, engine, publisher):
    screen(store, engine, publisher, store.accept([post(revision=3, body="Version 3")]))
    late = store.accept([post(revision=2, body="Version 2, delayed")])
    assert late[0].status == "stale"
    report = screen(store, engine, publisher, late)
    assert report.screened == 0
    assert store.status("p1")["outcome"]["revision"] == 3


def test_when_older_revision_finishes_screening_last_then_the_newer_stays_current(store, engine, publisher):
    older = store.accept([post(revision=1, body="First version")])
    newer = store.accept([post(revision=2, body="Second version")])
    screen(store, engine, publisher, newer)
    screen(store, engine, publisher, older)  # rev 1 was already pending when rev 2 arrived
    assert store.status("p1")["outcome"]["revision"] == 2


def test_when_stored_payload_is_not_a_valid_post_then_it_gets_an_error_outcome_not_a_retry(store, engine, publisher):
    from sqlalchemy import update

    from models.tables import RevisionRow

    [accepted] = store.accept([post()])
    with store.engine.begin() as db:
        db.execute(update(RevisionRow).where(RevisionRow.id == accepted.revision_id).values(payload={"id": "p1"}))
    screen(store, engine, publisher, [accepted])
    outcome = store.status("p1")["outcome"]
    assert outcome["decision"] == "review"
    assert outcome["failures"][0]["check"] == "input" and "body" in outcome["failures"][0]["error"]
    assert store.pending([accepted.revision_id]) == []


def test_when_retention_has_passed_then_bodies_and_evidence_text_are_purged_but_offsets_kept(store, engine, publisher):
    from datetime import timedelta

    from models.store import now

    screen(store, engine, publisher, store.accept([post(body="How do I export calls? Where is the IVR editor?")]))
    assert store.purge(now() + timedelta(seconds=1)) == 1
    outcome = store.status("p1")["outcome"]
    [reason] = [r for r in outcome["reasons"] if r["category"] == "multiple_questions"]
    assert all("text" not in e and e["end"] > e["start"] for e in reason["evidence"])
    assert outcome["scores"]["multiple_questions"] == 1.0


def test_when_one_batch_repeats_a_post_then_the_repeat_is_a_duplicate_of_the_first(store):
    first, repeat, other = store.accept([post(), post(), post("p2")])
    assert (first.status, repeat.status, other.status) == ("accepted", "duplicate", "accepted")
    assert repeat.revision_id == first.revision_id


def test_when_one_batch_holds_two_revisions_out_of_order_then_the_older_is_stale(store, engine, publisher):
    newer, older = store.accept([post(revision=2, body="Second"), post(revision=1, body="First")])
    assert (newer.status, older.status) == ("accepted", "stale")
    screen(store, engine, publisher, [newer, older])
    assert store.status("p1")["outcome"]["revision"] == 2


def test_when_the_database_answers_then_ping_succeeds_and_when_unreachable_ping_names_the_driver_error(store):
    from sqlalchemy.exc import OperationalError

    from models.db import make_engine
    from tests.services import free_port

    store.ping()
    nowhere = Store(make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/absent"))
    try:
        with pytest.raises(OperationalError):  # the health check reports the failure's own kind
            nowhere.ping()
    finally:
        nowhere.engine.dispose()
