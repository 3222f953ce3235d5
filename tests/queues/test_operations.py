"""Operating the worker: Prometheus metrics, JSON logs with the post id, and the purge command."""

from __future__ import annotations

import json
import urllib.request

from tests.public_sample import build_posts
from tests.services import free_port
from tests.services.harness import screened_count, wait_until


def test_when_posts_are_screened_then_metrics_count_them_and_logs_are_json_lines_with_the_post_id(service):
    port = free_port()
    worker = service.start_worker(metrics_port=port)
    posts = build_posts(30, seed=41)
    service.submitter.submit_many(posts)
    wait_until(lambda: screened_count(service.store) == 30, timeout=120)
    metrics = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    screened = sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
                   if line.startswith("modscreen_posts_screened_total{"))
    assert screened == 30
    assert "modscreen_screening_latency_seconds_bucket" in metrics
    assert 'modscreen_queue_depth{queue="screening"}' in metrics
    entries = [json.loads(line) for line in worker.log().splitlines() if line.startswith("{")]
    screened_entries = [entry for entry in entries if entry.get("message") == "screened"]
    assert {entry["post_id"] for entry in screened_entries} == {post.id for post in posts}
    assert all(post.body[:40] not in line for post in posts for line in worker.log().splitlines())


def test_when_purge_runs_past_retention_then_bodies_go_and_outcomes_stay(service):
    from typer.testing import CliRunner

    from modscreen.cli import app

    service.start_worker()
    service.submitter.submit_many(build_posts(5, seed=42))
    wait_until(lambda: screened_count(service.store) == 5, timeout=120)
    result = CliRunner().invoke(app, ["purge", "--older-than-days", "0"])
    assert result.exit_code == 0, result.output
    assert "purged 5 revisions" in result.output
    status = service.store.status(build_posts(5, seed=42)[0].id)
    assert status["outcome"] is not None and status["status"] == "screened"
