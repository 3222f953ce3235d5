"""End to end on this machine: Redis broker, PostgreSQL, `modscreen worker --concurrency 2`.

    .venv/bin/python -m bench.service [--posts 20000] [--mode many|single]

In one run it measures, side by side:
1. the floor of the stack: a no-op Celery task (one message each, prefork with 2 processes)
   through the same Redis, and raw Redis stream throughput;
2. the in-process engine on the same posts (batched);
3. modscreen at full load: N posts submitted as fast as the client can (submit_many: 100 posts
   a message, or submit: one post a message, batched by the worker), sustained posts/s and
   submit-to-published-outcome latency p50/p95/p99;
4. modscreen at half load: posts submitted one by one at half the full-load rate, latency.

It makes a fresh PostgreSQL database and uses Redis db 9 (flushed) on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psycopg
import redis

from bench.corpus import build_posts

ROOT = Path(__file__).resolve().parents[1]

REDIS_URL = "redis://127.0.0.1:6379/9"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
STREAM = "bench:outcomes"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def raw_stream_throughput(client: redis.Redis, count: int = 100_000) -> float:
    client.delete("bench:raw")
    started = time.perf_counter()
    for start in range(0, count, 100):
        pipe = client.pipeline(transaction=False)
        for number in range(start, start + 100):
            pipe.xadd("bench:raw", {"n": number})
        pipe.execute()
    read, last = 0, "0"
    while read < count:
        batch = client.xread({"bench:raw": last}, count=1000)
        for _, entries in batch:
            read += len(entries)
            last = entries[-1][0]
    client.delete("bench:raw")
    return count / (time.perf_counter() - started)


def noop_celery_floor(count: int, env: dict[str, str]) -> float:
    """Messages/s of a no-op task, one message each, prefork 2, through the same Redis."""
    client = redis.Redis.from_url(REDIS_URL)
    client.delete("bench:noop")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "bench.noop_app", "worker", "-c", "2", "-Q", "noop",
         "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        from bench.noop_app import noop

        noop.delay()
        _wait(lambda: int(client.get("bench:noop") or 0) >= 1, 60)
        started = time.perf_counter()
        for _ in range(count):
            noop.delay()
        _wait(lambda: int(client.get("bench:noop") or 0) >= count + 1, 300)
        return count / (time.perf_counter() - started)
    finally:
        os.killpg(worker.pid, 9)
        worker.wait()


def _wait(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("benchmark step did not finish")
        time.sleep(0.01)


class OutcomeWatcher(threading.Thread):
    """Reads the outcome stream and notes when each post's outcome was published."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.client = redis.Redis.from_url(REDIS_URL)
        self.seen: dict[str, float] = {}
        self.running = True

    def run(self) -> None:
        last = "0"
        while self.running:
            for _, entries in self.client.xread({STREAM: last}, count=1000, block=200) or []:
                moment = time.perf_counter()
                for entry_id, fields in entries:
                    self.seen.setdefault(fields[b"post_id"].decode(), moment)
                    last = entry_id


def _paced(submitter, watcher: OutcomeWatcher, posts: list, rate: float) -> list[float]:
    """Submit posts one by one at `rate` per second; milliseconds from each submit to its published outcome."""
    submitted: dict[str, float] = {}
    begin = time.perf_counter()
    for number, post in enumerate(posts):
        due = begin + number / rate
        while time.perf_counter() < due:
            time.sleep(0.0005)
        submitted[post.id] = time.perf_counter()
        submitter.submit(post)
    _wait(lambda: all(pid in watcher.seen for pid in submitted), 600)
    return [(watcher.seen[pid] - moment) * 1000 for pid, moment in submitted.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--mode", choices=["many", "single"], default="many")
    parser.add_argument("--noop-messages", type=int, default=3_000)
    parser.add_argument("--half-load-seconds", type=float, default=20)
    parser.add_argument("--rates", default="20,60,120", help="also measure latency at these offered posts/s")
    args = parser.parse_args()

    database = f"modscreen_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    database_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{database}"
    env = {**os.environ, "MODSCREEN_DATABASE_URL": database_url, "MODSCREEN_BROKER_URL": REDIS_URL,
           "MODSCREEN_OUTCOME_STREAM": STREAM, "PROMETHEUS_MULTIPROC_DIR": tempfile.mkdtemp()}
    os.environ.update(env)
    redis.Redis.from_url(REDIS_URL).flushdb()
    try:
        run(args, env, database_url)
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        redis.Redis.from_url(REDIS_URL).flushdb()


def run(args: argparse.Namespace, env: dict[str, str], database_url: str) -> None:
    from models.db import upgrade
    from queues.client import Submitter
    from queues.runtime import store
    from worker.assembly import build_engine

    upgrade(database_url)
    client = redis.Redis.from_url(REDIS_URL)
    stream_rate = raw_stream_throughput(client)
    noop_rate = noop_celery_floor(args.noop_messages, env)

    rates = [float(rate) for rate in args.rates.split(",") if rate]
    posts = build_posts(args.posts + 5_000 + int(sum(rates) * 6), seed=21)
    full, half, extra = posts[: args.posts], posts[args.posts : args.posts + 5_000], posts[args.posts + 5_000 :]
    engine = build_engine(Path(env.get("MODSCREEN_POLICY_PATH", ROOT / "config" / "policy.toml")))
    engine.load()
    started = time.perf_counter()
    for at in range(0, len(full), 256):
        engine.screen_many(full[at : at + 256])
    engine_rate = len(full) / (time.perf_counter() - started)

    worker = subprocess.Popen(
        [sys.executable, "-m", "modscreen.cli", "worker", "--concurrency=2", "--metrics-port=0", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        submitter = Submitter(store(), 100)
        watcher = OutcomeWatcher()
        watcher.start()
        warmup = build_posts(200, seed=99)
        for post in warmup:  # the first batches pay the model loading in each worker process
            submitter.submit(post.model_copy(update={"id": "warm-" + post.id}))
        _wait(lambda: len(watcher.seen) >= len(warmup), 300)

        submitted: dict[str, float] = {}
        started = time.perf_counter()
        if args.mode == "many":
            for at in range(0, len(full), 100):
                chunk = full[at : at + 100]
                moment = time.perf_counter()
                submitter.submit_many(chunk)
                submitted.update((post.id, moment) for post in chunk)
        else:
            for post in full:
                submitted[post.id] = time.perf_counter()
                submitter.submit(post)
        submit_seconds = time.perf_counter() - started
        _wait(lambda: all(post.id in watcher.seen for post in full), 1200)
        full_seconds = max(watcher.seen[post.id] for post in full) - started
        full_rate = len(full) / full_seconds
        full_latency = [(watcher.seen[pid] - moment) * 1000 for pid, moment in submitted.items()]

        rate = full_rate / 2
        count = min(len(half), int(rate * args.half_load_seconds))
        half_latency = _paced(submitter, watcher, half[:count], rate)
        by_rate = {}
        for offered in rates:
            chosen, extra = extra[: int(offered * 6)], extra[int(offered * 6) :]
            by_rate[offered] = _paced(submitter, watcher, chosen, offered)
        watcher.running = False
    finally:
        os.killpg(worker.pid, 15)
        worker.wait()

    print(f"machine: {os.cpu_count()} cores; worker: 2 prefork processes; posts: median "
          f"{sorted(len(p.body) for p in full)[len(full) // 2]} chars")
    print(f"raw Redis stream (pipelined x100, write+read): {stream_rate:,.0f} msgs/s")
    print(f"no-op Celery task, 1 message each, prefork 2:   {noop_rate:,.0f} msgs/s")
    print(f"in-process engine, batched (1 process):         {engine_rate:,.0f} posts/s")
    print(f"modscreen full load ({args.mode}, {len(full)} posts): {full_rate:,.0f} posts/s sustained "
          f"(client submitted in {submit_seconds:.1f} s); submit->published p50 {percentile(full_latency, .5):,.0f} ms, "
          f"p95 {percentile(full_latency, .95):,.0f} ms, p99 {percentile(full_latency, .99):,.0f} ms")
    print(f"modscreen half load ({rate:,.0f} posts/s offered, one post per submit, {count} posts): "
          f"p50 {percentile(half_latency, .5):,.1f} ms, p95 {percentile(half_latency, .95):,.1f} ms, "
          f"p99 {percentile(half_latency, .99):,.1f} ms")
    for offered, latency in by_rate.items():
        print(f"  at {offered:,.0f} posts/s offered (one post per submit, {len(latency)} posts): "
              f"p50 {percentile(latency, .5):,.1f} ms, p95 {percentile(latency, .95):,.1f} ms, "
              f"p99 {percentile(latency, .99):,.1f} ms")
    print(f"ratios: modscreen / no-op floor = {full_rate / noop_rate:.2f}; modscreen / in-process engine = "
          f"{full_rate / engine_rate:.2f}")


if __name__ == "__main__":
    from training.datasets import DatasetMissing

    try:
        main()
    except DatasetMissing as missing_dataset:  # one line naming the dataset, not a traceback
        sys.exit(str(missing_dataset))
