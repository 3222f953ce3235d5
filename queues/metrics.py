"""Prometheus metrics of the worker service. In a prefork worker the children write to
PROMETHEUS_MULTIPROC_DIR and the parent serves them (modscreen.metrics)."""

from __future__ import annotations

from collections.abc import Sequence

from prometheus_client import Counter, Histogram

POSTS_SCREENED = Counter("modscreen_posts_screened_total", "Posts screened, by decision", ["decision"])
REASONS = Counter("modscreen_reasons_total", "Reasons given, by category and action", ["category", "action"])
CHECK_FAILURES = Counter("modscreen_check_failures_total", "Checks that failed on a post", ["check"])
LATENCY = Histogram(
    "modscreen_screening_latency_seconds", "From acceptance to stored outcome",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 300),
)
WEBHOOK_FAILURES = Counter("modscreen_webhook_delivery_failures_total", "Webhook attempts that failed")


def record_screenings(outcomes: Sequence) -> None:
    """outcomes: (PendingPost, Verdict) pairs just stored."""
    from models.store import now

    moment = now()
    for pending, verdict in outcomes:
        POSTS_SCREENED.labels(verdict.decision.value).inc()
        LATENCY.observe(max(0.0, (moment - pending.received_at).total_seconds()))
        for reason in verdict.reasons:
            REASONS.labels(reason.category, reason.action.value).inc()
        for failure in verdict.failures:
            CHECK_FAILURES.labels(failure.check).inc()
