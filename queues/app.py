"""The Celery app. Broker from MODSCREEN_BROKER_URL; no result backend (outcomes go to the
database and the outcome stream, never to Celery results)."""

from __future__ import annotations

from celery import Celery
from kombu import Exchange, Queue

from config.settings import settings
from queues.names import QueueName, TaskName



def _route(queue: QueueName) -> dict[str, str]:
    return {"queue": queue.value, "exchange": queue.value, "routing_key": queue.value}


app = Celery("modscreen", include=["queues.tasks", "queues.webhooks"])
app.conf.update(
    broker_url=settings().broker_url,
    broker_connection_retry_on_startup=True,
    task_serializer="json",
    accept_content=["json"],
    task_ignore_result=True,
    result_backend=None,
    # one direct exchange per queue: a message routed to one queue lands in that queue only
    task_queues=[Queue(name.value, Exchange(name.value, type="direct"), routing_key=name.value) for name in QueueName],
    task_default_queue=QueueName.SCREENING.value,
    task_create_missing_queues=False,  # a misspelt queue fails loudly
    task_default_exchange=QueueName.SCREENING.value,
    task_default_routing_key=QueueName.SCREENING.value,
    task_routes={
        TaskName.SCREEN_BATCH.value: _route(QueueName.SCREENING),
        TaskName.SCREEN_POST.value: _route(QueueName.SCREENING),
        TaskName.DELIVER_WEBHOOK.value: _route(QueueName.WEBHOOKS),
        TaskName.RECONCILE.value: _route(QueueName.BULK),
        TaskName.PURGE.value: _route(QueueName.BULK),
    },
    # handlers are idempotent, so a message is acknowledged only once its work is stored, and a
    # worker killed mid-batch gives its messages back to the broker
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    # single-post messages are gathered into batches in the worker: it must hold enough of them
    worker_prefetch_multiplier=64,
    # Redis redelivers unacknowledged messages after this: keep it longer than any batch takes
    # a producer whose Redis is down fails at once (the post is already recorded: the reconciler
    # enqueues it) instead of stalling the backend's request for seconds of reconnection attempts
    broker_transport_options={"visibility_timeout": settings().broker_visibility_timeout_seconds, "max_retries": 0},
    task_time_limit=settings().task_time_limit_seconds,
    task_soft_time_limit=settings().task_time_limit_seconds - 5,
    worker_hijack_root_logger=False,
    beat_schedule={
        "reconcile": {"task": TaskName.RECONCILE.value, "schedule": 30.0},
        "purge": {"task": TaskName.PURGE.value, "schedule": 3600.0},
    },
)


def use_broker(url: str) -> None:
    """Point this process's producer at another broker (tests, and tools given an explicit URL)."""
    app.conf.broker_url = url
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None  # it holds the old connection pool
