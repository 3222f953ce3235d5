"""A Celery app with one no-op task, for the floor of the stack in bench/service.py."""

import os

import redis
from celery import Celery

BROKER = os.environ.get("MODSCREEN_BROKER_URL", "redis://127.0.0.1:6379/9")
app = Celery("noop", broker=BROKER)
app.conf.update(task_ignore_result=True, task_default_queue="noop", task_acks_late=True,
                worker_prefetch_multiplier=4, accept_content=["json"])
_counter = redis.Redis.from_url(BROKER)


@app.task(name="bench.noop")
def noop() -> None:
    _counter.incr("bench:noop")  # how the benchmark knows the message went all the way through
