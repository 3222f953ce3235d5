"""`modscreen tune export`, `rescreen`, `train` and `demo seed`: the commands that write labels, screenings,
candidate models or demo rows rather than measure."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from modscreen.tune.cli.options import Since, known_category
from modscreen.tune.common import database_engine, parse_since, policy_path


def export(
    format_: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File (default: stdout).")] = None,
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    since: Since = None,
) -> None:
    """Moderator decisions as a labelled dataset: one row per (post, scored category): text, category, label."""
    from models.analytics_store import AnalyticsStore
    from modscreen.tune.export import export as run_export

    if format_ not in ("jsonl", "csv"):
        raise typer.BadParameter("--format must be jsonl or csv")
    engine = database_engine()
    handle = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        count = run_export(AnalyticsStore(engine), handle, format_, known_category(category) if category else None,
                           parse_since(since))
    finally:
        if output:
            handle.close()
    typer.echo(f"modscreen: {count} labelled rows", err=True)


def rescreen(
    since: Annotated[str, typer.Option("--since", help="Posts received since (2026-11-01, a date-time, or 7d).")],
    until: Annotated[str | None, typer.Option(help="... and before this.")] = None,
    category: Annotated[str | None, typer.Option(help="Only posts that scored this category.")] = None,
    queue: Annotated[str, typer.Option(help="bulk (default: never delays live posts) or screening.")] = "bulk",
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many posts.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count them.")] = False,
) -> None:
    """Screen stored posts again (after a policy or model change): a new live screening each; the old one is kept."""
    from models.analytics_store import AnalyticsStore
    from modscreen.tune.rescreen import celery_sender, rescreen as run_rescreen
    from queues.names import QueueName

    names = {"bulk": QueueName.BULK.value, "screening": QueueName.SCREENING.value}
    if queue not in names:
        raise typer.BadParameter("--queue must be bulk or screening")
    engine = database_engine()
    start, end = parse_since(since), parse_since(until)
    if dry_run:
        rows = AnalyticsStore(engine).screenings(since=start, until=end)
        count = sum(1 for r in rows if category is None or category in r.scores)
        typer.echo(f"modscreen: {count if limit is None else min(count, limit)} posts would be screened again")
        return
    ids, enqueued = run_rescreen(engine, start, end, known_category(category) if category else None, limit=limit,
                                 send=celery_sender(names[queue]))
    typer.echo(f"modscreen: {len(ids)} posts marked for re-screening, {enqueued} enqueued on {names[queue]}"
               + ("" if enqueued == len(ids) else "; the reconciler will enqueue the rest"))


def train(
    category: Annotated[str | None, typer.Argument(help="advertising, hate_speech or offensive.")] = None,
    extra_data: Annotated[Path | None, typer.Option("--extra-data", help="Labelled export (JSONL or CSV).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Candidate folder.")] = None,
    extra_weight: Annotated[float, typer.Option(min=0.01, max=100, help="Weight of each community row.")] = 1.0,
    promote: Annotated[Path | None, typer.Option("--promote", help="Promote this candidate folder over the shipped "
                                                                  "artifact (after checking it loads).")] = None,
) -> None:
    """Retrain a classifier on its public data plus the community's decisions; writes a candidate, never the shipped one."""
    from training.extra import MODELS, promote as run_promote, train_with_extra

    if promote is not None:
        written = run_promote(promote)
        typer.echo("modscreen: promoted " + ", ".join(str(p) for p in written)
                   + "; restart the workers, then `modscreen rescreen --since ... --queue bulk`")
        return
    if category not in MODELS:
        raise typer.BadParameter(f"CATEGORY must be one of {', '.join(sorted(MODELS))} (or use --promote DIR)")
    from modscreen.tune.export import read_labelled

    rows = read_labelled(extra_data) if extra_data else []
    folder = output or Path("candidates") / f"{MODELS[category]}"
    metadata = train_with_extra(category, rows, folder, extra_weight, source=str(extra_data or ""))
    typer.echo((folder / "quality.md").read_text(encoding="utf-8"))
    typer.echo(f"modscreen: wrote candidate {metadata['model_version']} to {folder} (model card "
               f"{folder / (MODELS[category] + '.md')}); promote with `modscreen train --promote {folder}`")


def demo_seed(
    posts: Annotated[int, typer.Option(min=10, max=100_000, help="Posts to screen.")] = 500,
    seed: Annotated[int, typer.Option(help="Random seed (the same seed gives the same data).")] = 7,
    days: Annotated[int, typer.Option(min=1, max=365, help="Spread arrivals over this many days.")] = 14,
) -> None:
    """Seed the database with screened EN/FR posts and simulated moderator decisions."""
    from config.settings import settings
    from models.db import upgrade
    from modscreen.tune.demo import seed_demo

    upgrade(settings().database_url)
    engine = database_engine()
    result = seed_demo(engine, policy_path(), posts, seed, days)
    typer.echo(f"modscreen: seeded {result.posts} posts under live policy {result.policy_version}: "
               f"screened {result.screened}, moderator decisions {result.decisions}")
    typer.echo("try: modscreen tune report; modscreen tune sweep hate_speech --review-recall 0.9 "
               "--reject-precision 0.95; modscreen tune whatif --set hate_speech.review_at=0.3")
