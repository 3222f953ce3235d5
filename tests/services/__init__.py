"""Real services for the tests of models/, queues/ and modscreen/: a fresh PostgreSQL database (and a
SQLite file) per test, and a private redis-server each test may stop and start at will.

A pytest plugin (tests/conftest.py names it in ``pytest_plugins``), so every test folder can ask
for these fixtures. A test needs the services when it asks for one of them or lives in a folder
that runs real workers and pages (``NEEDS_SERVICES``); without PostgreSQL or redis-server such a
test is skipped on a developer's machine and fails in CI."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import redis

from models.db import make_engine, upgrade
from models.store import Store

POSTGRES_ADMIN_URL = os.environ.get("MODSCREEN_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
NEEDS_SERVICES = ("tests/models/", "tests/queues/", "tests/modscreen/review/", "tests/modscreen/tune/")
"""The test folders that run against real PostgreSQL and Redis."""
SERVICE_FIXTURES = frozenset({"database_url", "postgres_url", "store", "redis_server", "service"})


def needs_services(item: pytest.Item) -> bool:
    path = Path(str(item.fspath)).as_posix()
    return any(folder in path for folder in NEEDS_SERVICES) or not SERVICE_FIXTURES.isdisjoint(
        getattr(item, "fixturenames", ()))


def _service_problem() -> str | None:
    if not shutil.which("redis-server"):
        return "redis-server is not installed (apt-get install redis-server, or run scripts/services.sh --install)"
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3) as connection:
            connection.execute("select 1")
    except psycopg.Error as error:
        return (f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} ({str(error).strip().splitlines()[0]}): "
                "start it (scripts/services.sh) or set MODSCREEN_TEST_POSTGRES")
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    problem = _service_problem()
    if problem is None:
        return
    if os.environ.get("CI"):  # in CI a missing service is a failure, never a silent skip
        raise pytest.UsageError(f"service tests cannot run: {problem}")
    marker = pytest.mark.skip(reason=f"needs PostgreSQL and Redis: {problem}")
    for item in items:
        if needs_services(item):
            item.add_marker(marker)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, migrated PostgreSQL database, dropped afterwards."""
    name = f"modscreen_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    try:
        upgrade(url)
        yield url
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'modscreen.db'}"
        upgrade(url)
        yield url
        return
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    engine = make_engine(database_url)
    yield Store(engine)
    engine.dispose()


class RedisServer:
    """A redis-server of our own, on a free port, keeping nothing on disk (like production Redis here)."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis(port=self.port, socket_connect_timeout=0.2).ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process:
            self.process.kill()
            self.process.wait()
            self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def service(postgres_url: str, redis_server: RedisServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A store, a submitter and real workers, all on the test's own database and Redis."""
    from config.settings import settings
    from queues.app import use_broker
    from tests.services.harness import STREAM, Service

    env = {
        "MODSCREEN_DATABASE_URL": postgres_url,
        "MODSCREEN_BROKER_URL": redis_server.url,
        "MODSCREEN_OUTCOME_STREAM": STREAM,
        "MODSCREEN_BROKER_VISIBILITY_TIMEOUT_SECONDS": "5",
        "MODSCREEN_RECONCILE_AFTER_SECONDS": "5",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    from queues import runtime

    settings.cache_clear()
    runtime.reset()
    use_broker(redis_server.url)
    engine = make_engine(postgres_url)
    running = Service(Store(engine), redis_server, env, tmp_path)
    yield running
    running.stop()
    engine.dispose()
    settings.cache_clear()
    runtime.reset()


@pytest.fixture(autouse=True)
def _fresh_runtime(request: pytest.FixtureRequest) -> Iterator[None]:
    """Settings and the process's built parts (store, Redis clients) never leak from one test to the next."""
    if not needs_services(request.node):  # the engine's tests build no runtime
        yield
        return
    from config.settings import settings
    from queues import runtime

    settings.cache_clear()
    runtime.reset()
    yield
    settings.cache_clear()
    runtime.reset()
