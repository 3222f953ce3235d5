"""Shadow screenings, re-screening and the demo seed, through the real worker handler and engine."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, select, update

from models.analytics_store import AnalyticsStore
from models.policy_store import PolicyStore
from models.store import now
from models.tables import ModeratorDecisionRow, RevisionRow, ScreeningRow
from modscreen.tune.labels import build_dataset
from modscreen.tune.policies import apply_edits, parse_edit
from modscreen.tune.rescreen import rescreen
from modscreen.tune.shadow import shadow_report
from queues.handlers import screen_revisions
from queues.publish import InMemoryPublisher as Publisher
from tests.conftest import FILE_POLICY_VERSION, POLICY_PATH
from worker.assembly import build_engine, load_policy_text
from worker.types import Post

TWO_QUESTIONS = "How do I export the call log? Where is the IVR menu editor?"


@pytest.fixture(scope="module")
def engine():
    built = build_engine(POLICY_PATH)
    built.load()
    return built


def posts():
    return [Post(id="q2", body=TWO_QUESTIONS, title="Export and IVR", language="en"),
            Post(id="ok", body="Outbound calls fail with SIP 503 since the upgrade.", title="SIP 503 on outbound",
                 language="en")]


def test_when_a_shadow_policy_runs_then_both_verdicts_are_stored_and_only_live_is_published(store, engine):
    text = apply_edits(POLICY_PATH.read_text(), [parse_edit("multiple_questions.review_at=none")], version="shadow-1")
    publisher = Publisher()
    ids = [a.revision_id for a in store.accept(posts())]
    screen_revisions(ids, engine=engine, store=store, publisher=publisher, shadow=load_policy_text(text))
    with store.engine.begin() as db:
        rows = db.execute(select(ScreeningRow.post_id, ScreeningRow.role, ScreeningRow.decision,
                                 ScreeningRow.policy_version, ScreeningRow.is_current)
                          .order_by(ScreeningRow.post_id, ScreeningRow.role)).all()
    assert [tuple(r) for r in rows] == [
        ("ok", "live", "approve", FILE_POLICY_VERSION, True), ("ok", "shadow", "approve", "shadow-1", False),
        ("q2", "live", "review", FILE_POLICY_VERSION, True), ("q2", "shadow", "approve", "shadow-1", False)]
    assert sorted(o.post_id for o in publisher.published) == ["ok", "q2"]
    assert store.unpublished() == []
    analytics = AnalyticsStore(store.engine)
    live_rows, shadow_rows = analytics.screenings(), analytics.screenings(role="shadow")
    report = shadow_report(live_rows, shadow_rows, [], load_policy_text(POLICY_PATH.read_text()),
                           load_policy_text(text))
    assert (report.pairs, report.agree, report.transitions) == (2, 1, {"review->approve": 1})
    assert report.by_category == {"multiple_questions": 1}
    assert [d.post_id for d in report.sample] == ["q2"]


def test_when_rescreened_then_a_new_live_screening_replaces_the_old_one_and_keeps_labels(store, engine):
    publisher = Publisher()
    ids = [a.revision_id for a in store.accept(posts())]
    screen_revisions(ids, engine=engine, store=store, publisher=publisher)
    with store.engine.begin() as db:
        q2 = db.execute(select(ScreeningRow.id).where(ScreeningRow.post_id == "q2")).scalar_one()
        db.execute(insert(ModeratorDecisionRow).values(screening_id=q2, post_id="q2", moderator="m",
                                                       decision="reject", reason_code="multiple_questions",
                                                       note=None, decided_at=now()))
        db.execute(update(ScreeningRow).where(ScreeningRow.id == q2).values(review_state="decided"))
    sent: list[list[int]] = []
    marked, enqueued = rescreen(store.engine, now() - timedelta(days=1), send=sent.append)
    assert sorted(marked) == sorted(ids) and enqueued == 2 and sent == [sorted(ids)]
    assert store.counts() == {"pending": 2}
    report = screen_revisions(ids, engine=engine, store=store, publisher=publisher)
    assert report.screened == 2
    with store.engine.begin() as db:
        rows = db.execute(select(ScreeningRow.id, ScreeningRow.post_id, ScreeningRow.is_current,
                                 ScreeningRow.superseded_at, ScreeningRow.review_state)
                          .where(ScreeningRow.post_id == "q2").order_by(ScreeningRow.id)).all()
        statuses = set(db.execute(select(RevisionRow.status)).scalars())
    old, new = rows
    assert old.superseded_at is not None and not old.is_current
    assert new.superseded_at is None and new.is_current and new.review_state == "decided"  # stays out of the queue
    assert statuses == {"screened"}
    assert len(publisher.published) == 4  # the new outcomes are published too
    assert store.status("q2")["outcome"]["screening_id"] == new.id
    analytics = AnalyticsStore(store.engine)
    screenings = analytics.screenings()
    assert sorted(s.screening_id for s in screenings if s.post_id == "q2") == [new.id]
    dataset = build_dataset(screenings, analytics.decisions([s.revision_id for s in screenings]))
    [labelled] = [item for item in dataset.items if item.labelled]
    assert labelled.screening_id == new.id and labelled.labels["multiple_questions"] == 1


def test_when_rescreen_is_limited_to_a_category_then_only_posts_that_scored_it_are_marked(store, engine):
    ids = [a.revision_id for a in store.accept(posts())]
    screen_revisions(ids, engine=engine, store=store, publisher=Publisher())
    marked, _ = rescreen(store.engine, None, category="question_in_existing_topic")
    assert marked == []  # opening posts never score replies' categories
    marked, enqueued = rescreen(store.engine, None, category="multiple_questions", limit=1)
    assert len(marked) == 1 and enqueued == 0  # no sender: the reconciler enqueues pending revisions
    assert PolicyStore(store.engine).audit_events() == []  # only policy events are listed there


def test_when_demo_is_seeded_then_report_sweep_and_whatif_have_data(database_url, tmp_path):
    from models.db import make_engine
    from modscreen.tune.demo import seed_demo
    from modscreen.tune.report import build_report
    from modscreen.tune.sweep import sweep

    db = make_engine(database_url)
    try:
        result = seed_demo(db, POLICY_PATH, posts=40, seed=3, days=4)
        again = seed_demo(db, POLICY_PATH, posts=40, seed=3, days=4)  # idempotent: the same posts are duplicates
        assert result.posts == 40 and sum(result.screened.values()) == 40 and again.screened == {}
        assert sum(result.decisions.values()) > 0
        assert PolicyStore(db).live().version == result.policy_version
        analytics = AnalyticsStore(db)
        screenings = analytics.screenings()
        dataset = build_dataset(screenings, analytics.decisions())
        assert len(dataset.items) == 40 and 1 <= dataset.days <= 5 and dataset.labelled  # 4 days touch up to 5 dates
        policy = load_policy_text(PolicyStore(db).live().content)
        assert build_report(dataset, policy).rows
        assert len(sweep(dataset, policy, "offensive").points) == 101
    finally:
        db.dispose()
