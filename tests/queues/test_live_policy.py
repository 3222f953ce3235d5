"""What a worker screens with: the database's live and shadow policies, followed within the refresh."""

from __future__ import annotations

import pytest

from models.db import make_engine
from models.policy_store import PolicyStore
from modscreen.tune.policies import apply_edits, parse_edit
from queues.live_policy import LivePolicyFollower
from tests.conftest import FILE_POLICY_VERSION, POLICY_PATH

BASE = POLICY_PATH.read_text()


@pytest.fixture
def policies(database_url):
    engine = make_engine(database_url)
    yield PolicyStore(engine)
    engine.dispose()


def store_version(policies: PolicyStore, version: str, spec: str, status: str) -> None:
    policies.record(version, apply_edits(BASE, [parse_edit(spec)], version=version), "ana", "m")
    policies.set_status(version, status, "ana")


def test_when_worker_follows_the_database_then_a_new_live_policy_is_used_within_the_refresh(policies):
    clock = [0.0]
    follower = LivePolicyFollower(policies, POLICY_PATH, refresh_seconds=30, clock=lambda: clock[0])
    first = follower.active()
    assert first.engine.policy.version == FILE_POLICY_VERSION and first.shadow is None
    store_version(policies, "v2", "hate_speech.review_at=0.6", "live")
    store_version(policies, "s1", "hate_speech.review_at=0.3", "shadow")
    clock[0] = 10
    assert follower.active() is first  # not yet re-checked
    clock[0] = 31
    second = follower.active()
    assert second.engine.policy.version == "v2" and second.engine.policy.thresholds("hate_speech", None).review_at == 0.6
    assert second.shadow.version == "s1" and second.shadow.thresholds("hate_speech", None).review_at == 0.3
    assert second.engine.checks == first.engine.checks  # checks kept: only the thresholds changed


def test_when_the_shadow_is_stopped_then_the_worker_screens_without_one_on_the_same_engine(policies):
    clock = [0.0]
    follower = LivePolicyFollower(policies, POLICY_PATH, refresh_seconds=30, clock=lambda: clock[0])
    store_version(policies, "s1", "hate_speech.review_at=0.3", "shadow")
    assert follower.active().shadow.version == "s1"
    policies.set_status("s1", "retired", "ana")
    clock[0] = 31
    after = follower.active()
    assert after.shadow is None and after.engine.policy.version == FILE_POLICY_VERSION


def test_when_the_database_cannot_be_read_then_the_worker_keeps_what_it_has(policies, caplog):
    clock = [0.0]
    follower = LivePolicyFollower(policies, POLICY_PATH, refresh_seconds=30, clock=lambda: clock[0])
    first = follower.active()
    follower.policies = PolicyStore(make_engine("sqlite:////nonexistent/folder/modscreen.db"))
    clock[0] = 31
    assert follower.active() is first
    assert f"cannot read the live policy, keeping {FILE_POLICY_VERSION}" in caplog.text
