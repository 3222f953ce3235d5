"""The composition root of a worker process: settings → engine, store, publisher. Built on first
use inside each process (after the prefork), so no connection is shared across processes."""

from __future__ import annotations

from functools import cache

import redis

from config.settings import settings
from models.db import make_engine
from models.store import Store
from queues.live_policy import ActivePolicies, LivePolicyFollower
from queues.publish import OutcomePublisher
from worker.engine import Engine


def active_policies() -> ActivePolicies:
    """The engine of the database's live policy version when there is one (`modscreen policy apply`),
    else of the policy file, and the shadow policy if one runs; re-read at most every
    MODSCREEN_POLICY_REFRESH_SECONDS (30), so an applied policy takes effect within that time."""
    return _policy_follower().active()


def screening_engine() -> Engine:
    return active_policies().engine


@cache
def _policy_follower() -> LivePolicyFollower:
    from models.policy_store import PolicyStore

    return LivePolicyFollower(PolicyStore(store().engine), settings().policy_path, settings().policy_refresh_seconds)


@cache
def store() -> Store:
    return Store(make_engine(settings().database_url))


@cache
def publisher() -> OutcomePublisher:
    config = settings()
    return OutcomePublisher.from_url(config.outcome_redis_url, config.outcome_stream, config.outcome_stream_maxlen)


@cache
def broker_client() -> redis.Redis:
    return redis.Redis.from_url(settings().broker_url, socket_timeout=5, socket_connect_timeout=5)


def reset() -> None:
    """Forget every built part, so the next use follows the current settings (tests, tools)."""
    for part in (_policy_follower, store, publisher, broker_client):
        part.cache_clear()
