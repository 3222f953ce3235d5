"""Service commands: worker, db upgrade, submit, reconcile, purge."""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from config.settings import SettingsError, settings

db_app = typer.Typer(help="The database.", no_args_is_help=True)


def checked_settings():
    try:
        return settings()
    except SettingsError as error:
        typer.echo(f"modscreen: {error}", err=True)
        raise typer.Exit(2) from None


def worker(
    concurrency: Annotated[int, typer.Option(min=1, help="Screening processes (one per core).")] = os.cpu_count() or 2,
    queues: Annotated[str, typer.Option(help="Queues to consume, comma-separated.")] = "screening,screening.bulk,outcomes.webhooks",
    beat: Annotated[bool, typer.Option(help="Also run the periodic reconciler and purge (one per deployment).")] = False,
    metrics_port: Annotated[int, typer.Option(help="Serve Prometheus metrics on this port (0: off).")] = 9808,
    loglevel: Annotated[str, typer.Option()] = "INFO",
) -> None:
    """Start a Celery worker with the screening engine loaded."""
    checked_settings()
    from modscreen.logs import configure_json_logging
    from modscreen.metrics import prepare_multiprocess_metrics, serve_worker_metrics
    from worker.assembly import build_engine
    from worker.errors import ConfigurationError

    try:  # fail at start, not on the first post, when the policy or a model is broken
        build_engine(settings().policy_path).load()
    except ConfigurationError as error:
        typer.echo(f"modscreen: configuration error: {error}", err=True)
        raise typer.Exit(2) from None
    configure_json_logging(loglevel)
    prepare_multiprocess_metrics()
    if metrics_port:
        serve_worker_metrics(metrics_port)
    from queues.app import app

    arguments = ["worker", f"--concurrency={concurrency}", f"--queues={queues}", f"--loglevel={loglevel}",
                 "--pool=prefork", "--without-gossip", "--without-mingle"]
    if beat:
        arguments += ["--beat", "--schedule=" + str(Path(os.environ.get("TMPDIR", "/tmp")) / "modscreen-beat")]
    app.worker_main(arguments)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the tables (Alembic) on MODSCREEN_DATABASE_URL."""
    from models.db import upgrade

    upgrade(checked_settings().database_url)
    typer.echo("modscreen: database is up to date", err=True)


def submit(
    source: Annotated[Path, typer.Argument(help="JSONL posts to enqueue.")],
    wait: Annotated[bool, typer.Option("--wait", help="Wait for every outcome, then print a summary.")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds to wait with --wait.")] = 600,
    bulk: Annotated[bool, typer.Option("--bulk", help="Use the bulk queue (backfills never delay live posts).")] = False,
) -> None:
    """Record and enqueue posts; invalid lines are reported and skipped."""
    checked_settings()
    from pydantic import ValidationError
    from rich.progress import Progress

    from queues.client import Submitter
    from queues.names import QueueName
    from worker.serialize import RecordError, parse_post

    submitter = Submitter.from_settings()
    lines = source.read_bytes().splitlines()
    posts, errors = [], 0
    for number, line in enumerate(lines, start=1):
        try:
            posts.append(parse_post(line))
        except (RecordError, ValidationError) as error:
            errors += 1
            typer.echo(json.dumps({"line": number, "error": str(error)}), err=True)
    acceptances = []
    with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("submitting", total=len(posts))
        for start in range(0, len(posts), 500):
            chunk = posts[start : start + 500]
            acceptances += submitter.submit_many(chunk, queue=QueueName.BULK if bulk else QueueName.SCREENING)
            progress.advance(task, len(chunk))
    statuses = Counter(a.status for a in acceptances)
    typer.echo(f"modscreen: {len(acceptances)} posts recorded ({dict(statuses)}), {errors} invalid lines", err=True)
    if wait:
        _wait_for_outcomes(submitter.store, [a.post_id for a in acceptances], timeout)


def _wait_for_outcomes(store, post_ids: list[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    waiting = set(post_ids)
    decisions: Counter[str] = Counter()
    while waiting and time.monotonic() < deadline:
        for post_id in list(waiting):
            status = store.status(post_id)
            if status and status["outcome"] and status["status"] != "pending":
                decisions[status["outcome"]["decision"]] += 1
                waiting.discard(post_id)
        if waiting:
            time.sleep(0.5)
    summary = ", ".join(f"{count} {decision}" for decision, count in sorted(decisions.items()))
    typer.echo(f"modscreen: outcomes: {summary or 'none'}; still waiting: {len(waiting)}")
    if waiting:
        raise typer.Exit(1)


def reconcile(
    loop: Annotated[float, typer.Option(help="Run every N seconds instead of once (0: once).")] = 0,
) -> None:
    """Re-enqueue posts the broker lost and publish outcomes never published."""
    checked_settings()
    from queues import runtime
    from queues.reconcile import reconcile_once

    while True:
        report = reconcile_once(runtime.store(), runtime.publisher(), runtime.screening_engine().policy.version)
        typer.echo(json.dumps(report))
        if not loop:
            return
        time.sleep(loop)


def purge(
    older_than_days: Annotated[int | None, typer.Option(help="Default: MODSCREEN_RETENTION_DAYS.")] = None,
) -> None:
    """Drop bodies and evidence text of decided posts past retention (scores and offsets stay)."""
    config = checked_settings()
    from models.store import now
    from queues import runtime

    days = older_than_days if older_than_days is not None else config.retention_days
    purged = runtime.store().purge(now() - timedelta(days=days))
    typer.echo(f"modscreen: purged {purged} revisions older than {days} days")
