"""A whole service for a test: its own PostgreSQL database, its own Redis, real worker processes."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from models.store import Store
from models.tables import ScreeningRow
from queues.client import Submitter
from tests.services import RedisServer
from tests.services.processes import WorkerProcess

STREAM = "test:outcomes"


@dataclass
class Service:
    store: Store
    redis: RedisServer
    env: dict[str, str]
    logs: Path
    workers: list[WorkerProcess] = field(default_factory=list)

    @property
    def submitter(self) -> Submitter:
        return Submitter(self.store, 100)

    def start_worker(self, metrics_port: int = 0, **overrides: str) -> WorkerProcess:
        worker = WorkerProcess({**self.env, **overrides}, self.logs / f"worker-{len(self.workers)}.log",
                               metrics_port=metrics_port)
        self.workers.append(worker)
        worker.start()
        return worker

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()


def screened_count(store: Store) -> int:
    with store.engine.connect() as db:
        return db.execute(select(func.count()).select_from(ScreeningRow)).scalar_one()


def unpublished_count(store: Store) -> int:
    with store.engine.connect() as db:
        return db.execute(select(func.count()).select_from(ScreeningRow)
                          .where(ScreeningRow.published_at.is_(None))).scalar_one()


def wait_until(condition: Callable[[], bool], timeout: float, every: Callable[[], object] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if every:
            every()
        time.sleep(0.5)
    raise AssertionError("condition not reached in time")


def published_events(service: Service) -> list[dict]:
    entries = service.redis.client().xrange(STREAM)
    return [{key.decode(): value.decode() for key, value in fields.items()} for _, fields in entries]
