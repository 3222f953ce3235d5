"""What the API tells operators: Prometheus counters and one JSON access-log line per request.

Neither ever carries a post body: logs name the route, status, timing and client only.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from modscreen.metrics import registry_with_queue_depth

access_log = logging.getLogger("modscreen.api.access")


class ApiMetrics:
    """One set per app, so that tests (and several apps in one process) never share counts.

    Under several uvicorn workers (PROMETHEUS_MULTIPROC_DIR set), each process writes its counts
    to that folder and the registry aggregates them, so a scrape sees every worker's requests.
    """

    def __init__(self) -> None:
        multiprocess = "PROMETHEUS_MULTIPROC_DIR" in os.environ
        self.registry: CollectorRegistry = registry_with_queue_depth(multiprocess=multiprocess)
        # in multiprocess mode values live in files read by the collector: registering them too would count twice
        own = None if multiprocess else self.registry
        self.requests = Counter("modscreen_api_requests_total", "HTTP requests, by route, method and status",
                                ["route", "method", "status"], registry=own)
        self.duration = Histogram("modscreen_api_request_duration_seconds", "HTTP request duration, by route",
                                  ["route"], registry=own,
                                  buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
        self.posts = Counter("modscreen_api_posts_total", "Posts received over HTTP, by acceptance status",
                             ["status"], registry=own)


class AccessLog:
    """ASGI middleware: count and log each request once it is answered (or has failed)."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # stays so if the app raises before answering

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send=recording_send)
        finally:
            self._record(scope, status, time.perf_counter() - started)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        # the route's template, not the path: post ids must not become label values (unbounded series)
        route = getattr(scope.get("route"), "path", "unmatched")
        self.metrics.requests.labels(route, scope["method"], str(status)).inc()
        self.metrics.duration.labels(route).observe(seconds)
        state: dict[str, Any] = scope.get("state") or {}
        client = scope.get("client")
        access_log.info("request", extra={
            "method": scope["method"], "route": route, "path": scope["path"], "status": status,
            "duration_ms": round(seconds * 1000, 2), "client": state.get("client_name"),
            "remote": client[0] if client else None, "posts": state.get("post_count"),
        })
