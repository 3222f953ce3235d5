"""Serving metrics: the worker's (multiprocess) and the queue depth read from Redis at scrape time."""

from __future__ import annotations

import os
import shutil
import tempfile


def prepare_multiprocess_metrics() -> None:
    """Must run before prometheus_client is imported anywhere in this process."""
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="modscreen-metrics-")
    else:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
        os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)


class QueueDepthCollector:
    """Messages waiting in each queue (Redis lists named after the queues)."""

    def collect(self):
        from prometheus_client.core import GaugeMetricFamily

        from queues import runtime
        from queues.names import QueueName

        gauge = GaugeMetricFamily("modscreen_queue_depth", "Messages waiting in each queue", labels=["queue"])
        try:
            client = runtime.broker_client()
            for name in QueueName:
                gauge.add_metric([name.value], client.llen(name.value))
        except Exception:  # a scrape must not fail because Redis is down; /healthz says so
            return
        yield gauge


def registry_with_queue_depth(multiprocess: bool):
    from prometheus_client import CollectorRegistry, multiprocess as mp

    registry = CollectorRegistry()
    if multiprocess:
        mp.MultiProcessCollector(registry)
    registry.register(QueueDepthCollector())
    return registry


def serve_worker_metrics(port: int) -> None:
    from prometheus_client import start_http_server

    start_http_server(port, registry=registry_with_queue_depth(multiprocess=True))
