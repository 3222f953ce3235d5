"""The composition root of a worker process: settings → engine, store, publisher. Built on first
use inside each process (after the prefork), so no connection is shared across processes."""

from __future__ import annotations

from functools import cache

import redis

from config.settings import settings
from models.db import make_engine
from models.store import Store
from queues.publish import OutcomePublisher
from worker.assembly import build_engine
from worker.engine import Engine


@cache
def screening_engine() -> Engine:
    engine = build_engine(settings().policy_path)
    engine.load()
    return engine


@cache
def store() -> Store:
    return Store(make_engine(settings().database_url))


@cache
def redis_client() -> redis.Redis:
    return redis.Redis.from_url(settings().outcome_redis_url, socket_timeout=10, socket_connect_timeout=5)


@cache
def publisher() -> OutcomePublisher:
    config = settings()
    return OutcomePublisher(redis_client(), config.outcome_stream, config.outcome_stream_maxlen)


@cache
def broker_client() -> redis.Redis:
    return redis.Redis.from_url(settings().broker_url, socket_timeout=5, socket_connect_timeout=5)
