"""How long the review app takes to refuse a sign-in: known vs unknown usernames, checked vs slowed down.

    python -m bench.review_signin [--rounds 20]

Prints median and 90th-percentile milliseconds per case, in process (TestClient, a SQLite file in a
temporary directory). The two "wrong password" lines should be alike (one argon2 check each) and
the two "slowed down" lines alike (no check at all): timing tells no usernames.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

import redis
from fastapi.testclient import TestClient

from config.settings import load_settings
from models.db import make_engine, upgrade
from models.store import Store
from modscreen.api import create_app
from modscreen.review.accounts import Accounts


def _token(client: TestClient) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/review/signin").text).group(1)


def _timed(client: TestClient, token: str, username: str) -> tuple[float, int]:
    started = time.perf_counter()
    status = client.post("/review/signin", data={"csrf_token": token, "username": username,
                                                 "password": "not the password at all"}).status_code
    return (time.perf_counter() - started) * 1000, status


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'bench.db'}"
        upgrade(url)
        engine = make_engine(url)
        Accounts(engine).add("alice", "correct horse battery", "moderator", "bench")
        settings = load_settings(session_secret="b" * 32, signin_free_failures_per_account=rounds + 1,
                                 signin_free_failures_per_address=10 * rounds, signin_first_delay_seconds=300)
        app = create_app(Store(engine), settings=settings, broker=redis.Redis(port=1))
        client = TestClient(app)
        token = _token(client)
        cases: dict[str, list[float]] = {}
        for phase in ("wrong password", "slowed down"):
            for username in ("alice", "nobody-here"):
                cases[f"{phase}, {'known' if username == 'alice' else 'unknown'} username"] = []
            for _ in range(rounds):
                for username in ("alice", "nobody-here"):
                    elapsed, status = _timed(client, token, username)
                    expected = 401 if phase == "wrong password" else 429
                    assert status == expected, (phase, username, status)
                    cases[f"{phase}, {'known' if username == 'alice' else 'unknown'} username"].append(elapsed)
            if phase == "wrong password":  # spend the rest of both budgets: from now on both wait
                _timed(client, token, "alice"), _timed(client, token, "nobody-here")
        for name, times in cases.items():
            times.sort()
            print(f"{name:36} median {statistics.median(times):7.1f} ms   p90 {times[int(0.9 * (len(times) - 1))]:7.1f} ms"
                  f"   ({len(times)} sign-ins)")
        engine.dispose()


if __name__ == "__main__":
    main()
