"""Seeding writes (`modscreen demo seed`): arrivals moved back in time, decisions recorded as moderators' would be."""

from datetime import timedelta

import pytest

from models.db import now
from models.review_store import ReviewStore
from models.seed_store import SeededDecision, SeedStore
from queues.handlers import screen_revisions
from queues.publish import InMemoryPublisher
from tests.conftest import POLICY_PATH
from worker.assembly import build_engine
from worker.types import Post

POSTS = [
    Post(id="en-1", revision=1, title="Export CSV", body="How do I export the call log to CSV?", language="en"),
    Post(id="fr-1", revision=1, title="Export CSV", body="Comment exporter le journal des appels en CSV ?",
         language="fr"),
]


@pytest.fixture(scope="module")
def engine():
    built = build_engine(POLICY_PATH)
    built.load()
    return built


def test_when_arrivals_are_backdated_then_the_live_screenings_carry_the_new_times_oldest_screening_first(
        store, engine):
    seeds = SeedStore(store.engine)
    ids = [a.revision_id for a in store.accept(POSTS)]
    days_ago = {ids[0]: now() - timedelta(days=3), ids[1]: now() - timedelta(days=1)}
    seeds.backdate_arrivals(days_ago)
    screen_revisions(ids, engine=engine, store=store, publisher=InMemoryPublisher())
    screenings = seeds.live_screenings(ids)
    assert [s.post_id for s in screenings] == ["en-1", "fr-1"]
    assert [s.received_at for s in screenings] == [days_ago[ids[0]], days_ago[ids[1]]]
    assert all(s.decision in ("approve", "review", "reject") and s.scores for s in screenings)


def test_when_decisions_are_recorded_then_they_are_unpublished_labels_and_their_screenings_decided(store, engine):
    seeds = SeedStore(store.engine)
    ids = [a.revision_id for a in store.accept(POSTS)]
    screen_revisions(ids, engine=engine, store=store, publisher=InMemoryPublisher())
    english, french = seeds.live_screenings(ids)
    seeds.record_decisions([SeededDecision(french.id, "fr-1", "chloe", "approve", None, "quality-control sample",
                                           now())])
    [label] = ReviewStore(store.engine).labels()
    assert (label.screening_id, label.moderator, label.decision, label.note) == (
        french.id, "chloe", "approve", "quality-control sample")
    assert label.published_at is None
    review = ReviewStore(store.engine)
    assert review.item(french.id)["screening"].review_state == "decided"
    assert review.item(english.id)["screening"].review_state != "decided"
