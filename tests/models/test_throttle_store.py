"""Sign-in throttle buckets counted atomically in the database, on SQLite and PostgreSQL."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from models.db import now
from models.review_store import ReviewStore
from models.throttle_store import ThrottleStore

DAY = 86_400.0


@dataclass(frozen=True)
class TwoFree:
    """Two free failures, then 60 s, doubling up to 240 s."""

    key: str
    label: str
    free: int = 2
    first_delay: float = 60.0
    cap: float = 240.0

    def delay(self, failures: int) -> float:
        return 0.0 if failures < self.free else min(self.cap, self.first_delay * 2.0 ** (failures - self.free))


@pytest.fixture
def throttles(store):
    return ThrottleStore(store.engine)


def test_when_the_free_failures_are_spent_then_the_bucket_waits_and_the_slowdown_is_audited(store, throttles):
    bucket = TwoFree("account:alice", "user:alice")
    moment = now()
    assert throttles.charge([bucket], moment, DAY) is None
    assert throttles.charge([bucket], moment, DAY) is None  # the second failure spends the budget
    assert throttles.charge([bucket], moment, DAY) == pytest.approx(60.0)
    events = ReviewStore(store.engine).events(action="signin.slowed")
    assert [(e.actor, e.subject, e.after) for e in events] == [
        ("system", "user:alice", {"failures": 2, "wait_seconds": 60.0})]


def test_when_a_bucket_refuses_then_the_buckets_after_it_are_not_charged(throttles):
    address, account = TwoFree("address:203.0.113.9", "address:203.0.113.9"), TwoFree("account:bruno", "user:bruno")
    moment = now()
    throttles.charge([address], moment, DAY)
    throttles.charge([address], moment, DAY)
    assert throttles.charge([address, account], moment, DAY) == pytest.approx(60.0)
    assert throttles.charge([account], moment, DAY) is None  # bruno's bucket was not charged: 1 failure, not 2
    assert throttles.blocked_until(["account:bruno"]) == {}


def test_when_the_wait_is_over_then_the_next_failure_waits_twice_as_long(throttles):
    bucket = TwoFree("account:chloe", "user:chloe")
    moment = now()
    throttles.charge([bucket], moment, DAY)
    throttles.charge([bucket], moment, DAY)
    later = moment + timedelta(seconds=61)
    assert throttles.charge([bucket], later, DAY) is None
    until = throttles.blocked_until([bucket.key])[bucket.key]
    assert until - later == timedelta(seconds=120)


def test_when_a_sign_in_succeeds_then_the_address_gets_one_failure_back_and_the_account_starts_again(throttles):
    address, account = TwoFree("address:198.51.100.7", "address:198.51.100.7"), TwoFree("account:alice", "user:alice")
    moment = now()
    throttles.charge([address, account], moment, DAY)
    throttles.charge([address, account], moment, DAY)
    throttles.give_back(address.key, account.key)
    assert set(throttles.blocked_until([address.key, account.key])) == {address.key}  # the account's row is gone
    later = moment + timedelta(seconds=61)
    throttles.charge([address], later, DAY)  # the address is back to 2 failures, not 3: it waits 60 s, not 120
    assert throttles.blocked_until([address.key])[address.key] - later == timedelta(seconds=60)
    assert throttles.charge([account], moment, DAY) is None  # starts again: one failure


def test_when_a_bucket_is_dropped_or_idle_long_enough_then_it_is_forgotten(throttles):
    moment = now()
    throttles.charge([TwoFree("account:alice", "user:alice")], moment - timedelta(days=2), DAY)
    throttles.charge([TwoFree("account:bruno", "user:bruno")], moment, DAY)
    assert throttles.forget_idle(moment, DAY) == 1  # alice's, idle for two days
    for _ in range(2):
        throttles.charge([TwoFree("account:bruno", "user:bruno")], moment, DAY)
    assert "account:bruno" in throttles.blocked_until(["account:bruno"])
    throttles.drop("account:bruno")
    assert throttles.blocked_until(["account:bruno"]) == {}
