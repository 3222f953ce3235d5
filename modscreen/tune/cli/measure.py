"""`modscreen tune report`, `sweep` and `slider`: how the live (or a given) policy performs on labelled posts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from modscreen.tune.cli.options import AsJson, Language, PolicyFile, Since, known_category, policy_or_exit, wide_console
from modscreen.tune.common import database_engine, fmt, load_dataset, parse_since, pct, print_json


def _mark(small: bool) -> str:
    return "*" if small else ""


def report(since: Since = None, category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
           language: Language = None, policy: PolicyFile = None, as_json: AsJson = False) -> None:
    """Precision, recall, F1, overturns, decision volumes and review load per category and language."""
    from modscreen.tune.report import build_report

    engine = database_engine()
    live = policy_or_exit(engine, policy)
    dataset = load_dataset(engine, parse_since(since), language)
    result = build_report(dataset, live.policy, [known_category(category)] if category else None,
                          [language] if language else None)
    if as_json:
        print_json(result.as_dict())
        return
    console = wide_console()
    console.print(f"[bold]policy[/] {result.policy_version} ({live.source}); {result.screenings} screenings over "
                  f"{result.days} day(s), {result.labelled} labelled by moderators")
    table = Table(title="acting on the category (score >= review_at, or reject_at) vs moderator labels "
                        "(95% Wilson intervals; * fewer than 30 labels)")
    for column in ("category", "lang", "review/reject", "labels (pos)", "precision", "recall", "F1",
                   "reject precision", "auto-rejects: overturned"):
        table.add_column(column, justify="left" if column in ("category", "lang") else "right",
                         no_wrap=column in ("category", "lang"))
    for row in result.rows:
        if row.acting.labels == 0 and row.auto_rejections_decided == 0:
            continue
        table.add_row(row.category, row.language, f"{fmt(row.review_at)} / {fmt(row.reject_at)}",
                      f"{row.acting.labels}{_mark(row.small)} ({row.acting.positives})",
                      row.acting.precision.short(), row.acting.recall.short(), pct(row.acting.f1),
                      row.rejecting.precision.short(),
                      f"{row.overturned}/{row.auto_rejections_decided} {row.overturn_rate.short()}"
                      if row.auto_rejections_decided else "–")
    console.print(table)
    volumes = Table(title="decisions")
    for column in ("lang", "auto approve", "auto review", "auto reject", "mod approve", "mod reject", "mod escalate",
                   "QC sample of auto-approved"):
        volumes.add_column(column)
    for lang in sorted(set(result.automatic) | set(result.moderator)):
        auto, mod = result.automatic.get(lang, {}), result.moderator.get(lang, {})
        total, sampled = result.strata.get(lang, {}).get("approve", [0, 0])
        volumes.add_row(lang, *(str(auto.get(k, 0)) for k in ("approve", "review", "reject")),
                        *(str(mod.get(k, 0)) for k in ("approve", "reject", "escalate")),
                        f"{sampled} of {total} ({pct(sampled / total if total else None)})")
    console.print(volumes)
    load = Table(title="review queue load (posts sent to review per day)")
    langs = sorted({lang for counts in result.review_per_day.values() for lang in counts})
    load.add_column("day")
    for lang in langs:
        load.add_column(lang, justify="right")
    load.add_column("total", justify="right")
    for day, counts in result.review_per_day.items():
        load.add_row(day, *(str(counts.get(lang, 0)) for lang in langs), str(sum(counts.values())))
    total = sum(sum(c.values()) for c in result.review_per_day.values())
    load.add_row("[bold]mean/day[/]", *(f"{sum(c.get(l, 0) for c in result.review_per_day.values()) / result.days:.1f}"
                                         for l in langs), f"{total / result.days:.1f}")
    console.print(load)
    for note in result.notes:
        console.print(f"[yellow]note:[/] {note}")



def sweep(
    category: Annotated[str, typer.Argument(help="The category to sweep.")],
    since: Since = None, language: Language = None, policy: PolicyFile = None,
    reject_precision: Annotated[float | None, typer.Option(min=0, max=1, help="Target precision of auto-rejection.")] = None,
    review_recall: Annotated[float | None, typer.Option(min=0, max=1, help="Target recall of review.")] = None,
    step: Annotated[float, typer.Option(min=0.001, max=0.5, help="Threshold step.")] = 0.01,
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Prefix of the PNG and CSV (default: sweep-CATEGORY).")] = None,
    as_json: AsJson = False,
) -> None:
    """Precision/recall and review volume at every threshold, from stored scores; recommends thresholds."""
    from modscreen.tune.plotting import write_csv, write_png
    from modscreen.tune.sweep import sweep as run_sweep

    category = known_category(category)
    engine = database_engine()
    live = policy_or_exit(engine, policy)
    dataset = load_dataset(engine, parse_since(since), language)
    result = run_sweep(dataset, live.policy, category, language, step, reject_precision, review_recall)
    prefix = output or Path(f"sweep-{category}{'-' + language if language else ''}")
    png, csv_path = prefix.with_suffix(".png"), prefix.with_suffix(".csv")
    write_csv(result, csv_path)
    write_png(result, png)
    if as_json:
        print_json({**result.as_dict(), "png": str(png), "csv": str(csv_path)})
        return
    console = wide_console()
    console.print(f"[bold]{category}[/]{' (' + language + ')' if language else ''}: {result.screenings} screenings "
                  f"over {result.days} day(s), {result.labels} labelled, {result.positives} positive; policy "
                  f"{live.policy.version}: review_at {fmt(result.current_review_at)}, reject_at "
                  f"{fmt(result.current_reject_at)}")
    table = Table()
    for column in ("threshold", "precision [95% CI]", "recall [95% CI]", "F1", "review/day if review_at",
                   "rejected/day if reject_at", "score>=t /day"):
        table.add_column(column, justify="right")
    rec = result.recommendation
    marks = {result.current_review_at: "current review_at", result.current_reject_at: "current reject_at",
             rec.review_at: "recommended review_at", rec.reject_at: "recommended reject_at"}
    for point in result.points:
        if round(point.threshold * 100) % 5 and point.threshold not in marks:
            continue  # every 0.05, plus the marked thresholds
        label = ", ".join(name for t, name in marks.items() if t is not None and abs(t - point.threshold) < 1e-9)
        table.add_row(f"{point.threshold:g}" + (f" ← {label}" if label else ""), point.precision.short(),
                      point.recall.short(), pct(point.f1), f"{point.review_per_day:.1f}",
                      f"{point.reject_per_day:.1f}", f"{point.flagged_per_day:.1f}")
    console.print(table)
    if reject_precision is not None or review_recall is not None:
        console.print(f"[bold]recommended[/]: review_at {fmt(rec.review_at)} (recall >= {fmt(review_recall)}), "
                      f"reject_at {fmt(rec.reject_at)} (precision >= {fmt(reject_precision)})")
        edits = [f"{category}.{name}={value:g}" for name, value in (("review_at", rec.review_at),
                                                                   ("reject_at", rec.reject_at)) if value is not None]
        if edits:
            console.print("try it: modscreen tune whatif " + " ".join(f"--set {e}" for e in edits))
    for note in (*result.notes, *rec.notes):
        console.print(f"[yellow]note:[/] {note}")
    console.print(f"wrote {png} and {csv_path}")


def slider(category: Annotated[str, typer.Argument()], threshold: Annotated[float, typer.Argument(min=0, max=1)],
           since: Since = None, language: Language = None) -> None:
    """JSON: precision, recall and queue volume if CATEGORY's review_at were THRESHOLD (what a page's slider shows)."""
    from modscreen.tune.sweep import SliderData

    engine = database_engine()
    live = policy_or_exit(engine, None)
    data = SliderData(load_dataset(engine, parse_since(since), language), live.policy, known_category(category),
                      language)
    print_json(data.slider(threshold))

