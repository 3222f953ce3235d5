"""`modscreen tune ...`, `modscreen rescreen`, `modscreen train`, `modscreen demo seed`.

    modscreen tune report [--since DATE] [--category C] [--language L]
    modscreen tune sweep hate_speech --reject-precision 0.98 --review-recall 0.95
    modscreen tune whatif --set hate_speech.review_at=0.6        # or --policy candidate.toml
    modscreen tune shadow-report
    modscreen tune export --format jsonl --output labels.jsonl
    modscreen tune slider hate_speech 0.6                         # JSON: what a page's slider shows
    modscreen rescreen --since 2026-11-01 --queue bulk
    modscreen train hate_speech --extra-data labels.jsonl
    modscreen demo seed --posts 500
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from modscreen.tune.common import database_engine, fmt, load_dataset, parse_since, pct, policy_path, print_json

tune_app = typer.Typer(help="Tune thresholds from moderator decisions: report, sweep, what-if, shadow, export.",
                       no_args_is_help=True)
demo_app = typer.Typer(help="Demo data.", no_args_is_help=True)

Since = Annotated[str | None, typer.Option("--since", help="Posts received since (2026-11-01, a date-time, or 7d).")]
Language = Annotated[str | None, typer.Option("--language", help="Only posts detected in this language (en, fr).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON (the same data a page renders).")]
PolicyFile = Annotated[Path | None, typer.Option("--policy", help="Measure this policy file instead of the live one.")]


def _console() -> Console:
    console = Console()
    return console if console.is_terminal else Console(width=160)


def _policy(engine, path: Path | None):
    from modscreen.tune.policies import PolicyText, live_policy
    from worker.assembly import load_policy_text
    from worker.errors import ConfigurationError

    try:
        if path is not None:
            text = path.read_text(encoding="utf-8")
            return PolicyText(load_policy_text(text, str(path)), text, str(path))
        return live_policy(engine, policy_path())
    except (ConfigurationError, OSError) as error:
        typer.echo(f"modscreen: {error}", err=True)
        raise typer.Exit(2) from None


def _category(value: str) -> str:
    from modscreen.tune.policies import CATEGORIES

    if value not in CATEGORIES:
        raise typer.BadParameter(f"unknown category {value!r} (known: {', '.join(CATEGORIES)})")
    return value


def _mark(small: bool) -> str:
    return "*" if small else ""


# ---- report ------------------------------------------------------------------------------------
@tune_app.command()
def report(since: Since = None, category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
           language: Language = None, policy: PolicyFile = None, as_json: AsJson = False) -> None:
    """Precision, recall, F1, overturns, decision volumes and review load per category and language."""
    from modscreen.tune.report import build_report

    engine = database_engine()
    live = _policy(engine, policy)
    dataset = load_dataset(engine, parse_since(since), language)
    result = build_report(dataset, live.policy, [_category(category)] if category else None,
                          [language] if language else None)
    if as_json:
        print_json(result.as_dict())
        return
    console = _console()
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


# ---- sweep -------------------------------------------------------------------------------------
@tune_app.command()
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

    category = _category(category)
    engine = database_engine()
    live = _policy(engine, policy)
    dataset = load_dataset(engine, parse_since(since), language)
    result = run_sweep(dataset, live.policy, category, language, step, reject_precision, review_recall)
    prefix = output or Path(f"sweep-{category}{'-' + language if language else ''}")
    png, csv_path = prefix.with_suffix(".png"), prefix.with_suffix(".csv")
    write_csv(result, csv_path)
    write_png(result, png)
    if as_json:
        print_json({**result.as_dict(), "png": str(png), "csv": str(csv_path)})
        return
    console = _console()
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


# ---- what-if -----------------------------------------------------------------------------------
@tune_app.command()
def whatif(
    policy: Annotated[Path | None, typer.Option("--policy", help="Candidate policy file to replay.")] = None,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", help="Change one threshold of the live policy, e.g. hate_speech.review_at=0.6 (repeatable; "
                      "fr.sms_language.review_at=0.7 for a language; VALUE none removes it).")] = None,
    since: Since = None, language: Language = None,
    sample: Annotated[int, typer.Option(min=0, max=1000, help="Changed items to show.")] = 10,
    save: Annotated[Path | None, typer.Option(help="Write the candidate policy (from --set) to this file.")] = None,
    propose: Annotated[bool, typer.Option(help="Store the candidate as a candidate policy version.")] = False,
    author: Annotated[str | None, typer.Option(help="Author of the proposal (default: $USER).")] = None,
    message: Annotated[str, typer.Option(help="Why (stored with the proposal).")] = "",
    as_json: AsJson = False,
) -> None:
    """Replay stored scores under a candidate policy: decisions changed, precision/recall before and after."""
    from models.analytics_store import AnalyticsStore
    from modscreen.tune.common import actor
    from modscreen.tune.policies import EditError, apply_edits, parse_edit
    from modscreen.tune.whatif import headline, whatif as run_whatif, with_texts
    from worker.assembly import load_policy_text
    from worker.errors import ConfigurationError

    if (policy is None) == (not set_):
        typer.echo("modscreen: give either --policy FILE or one or more --set CATEGORY.FIELD=VALUE", err=True)
        raise typer.Exit(2)
    engine = database_engine()
    baseline = _policy(engine, None)
    try:
        if policy is not None:
            text = policy.read_text(encoding="utf-8")
            source = str(policy)
        else:
            text = apply_edits(baseline.text, [parse_edit(spec) for spec in set_ or []])
            source = "live policy with " + ", ".join(set_ or [])
        candidate = load_policy_text(text, source)
    except (EditError, ConfigurationError, OSError) as error:
        typer.echo(f"modscreen: {error}", err=True)
        raise typer.Exit(2) from None
    dataset = load_dataset(engine, parse_since(since), language)
    result = run_whatif(dataset, baseline.policy, candidate, sample_size=sample)
    result = with_texts(result, AnalyticsStore(engine).texts([s.revision_id for s in result.sample]))
    if save is not None:
        save.write_text(text, encoding="utf-8")
    proposed = None
    if propose:
        from models.policy_store import PolicyStore
        from modscreen.policy_lifecycle import PolicyLifecycle, PolicyRefused
        from modscreen.tune.common import policy_path

        try:
            proposed = PolicyLifecycle(PolicyStore(engine), policy_path()).propose(
                text, source, actor(author), message or f"proposed from what-if: {source}").version
        except PolicyRefused as error:
            typer.echo(f"modscreen: {error}", err=True)
            raise typer.Exit(2) from None
    if as_json:
        print_json({**result.as_dict(), "candidate_text": text, "saved": str(save) if save else None,
                    "proposed": proposed.version if proposed else None})
        return
    console = _console()
    console.print(f"[bold]baseline[/] {baseline.policy.version} ({baseline.source}) → [bold]candidate[/] "
                  f"{candidate.version} ({source})")
    for change in result.threshold_changes:
        scope = "" if change.scope == "all" else f" [{change.scope}]"
        console.print(f"  {change.category}.{change.field}{scope}: {fmt(change.before)} → {fmt(change.after)}")
    for line in headline(result):
        console.print(line)
    if result.transitions:
        console.print("decisions changed: " + ", ".join(f"{k} {v}" for k, v in result.transitions.items()))
    if result.sample:
        table = Table(title=f"sample of changed items ({len(result.sample)} of {result.changed})")
        for column in ("post", "lang", "before → after", "scores that matter", "moderator", "text"):
            table.add_column(column, overflow="fold")
        changed_categories = {c.category for c in result.threshold_changes}
        for item in result.sample:
            scores = ", ".join(f"{c} {s:.2f}" for c, s in sorted(item.scores.items(), key=lambda kv: -kv[1])
                               if c in changed_categories or s >= 0.5)
            moderator = (f"{item.moderator_decision}" + (f" ({item.reason_code})" if item.reason_code else "")
                         if item.moderator_decision else "–")
            table.add_row(item.post_id, item.language, f"{item.before} → {item.after}", scores, moderator,
                          item.text[:160])
        console.print(table)
    for note in result.notes:
        console.print(f"[yellow]note:[/] {note}")
    if save:
        console.print(f"wrote the candidate policy to {save}: activate it with "
                      f"`modscreen policy apply {save} --message ...`")
    elif proposed:
        console.print(f"stored as candidate {proposed.version}: activate with `modscreen policy activate "
                      f"{proposed.version}`")
    else:
        console.print("to keep it: add --save candidate.toml (then `modscreen policy apply candidate.toml`) "
                      "or --propose")


# ---- shadow ------------------------------------------------------------------------------------
@tune_app.command("shadow-report")
def shadow_report(
    since: Since = None, language: Language = None,
    version: Annotated[str | None, typer.Option(help="Shadow policy version (default: the current shadow).")] = None,
    sample: Annotated[int, typer.Option(min=0, max=1000)] = 10, as_json: AsJson = False,
) -> None:
    """Where the shadow policy disagrees with the live one, and which side moderators agreed with."""
    from models.analytics_store import AnalyticsStore
    from models.policy_store import PolicyStore
    from modscreen.tune.shadow import shadow_report as run_report
    from worker.assembly import load_policy_text

    engine = database_engine()
    live = _policy(engine, None)
    policies = PolicyStore(engine)
    shadow = policies.get(version) if version else policies.shadow()
    if version and shadow is None:
        typer.echo(f"modscreen: no policy version {version!r}", err=True)
        raise typer.Exit(2)
    store = AnalyticsStore(engine)
    moment = parse_since(since)
    live_rows = store.screenings(since=moment, language=language)
    shadow_rows = store.screenings(since=moment, language=language, role="shadow",
                                   policy_version=shadow.version if shadow else None)
    decisions = store.decisions([row.revision_id for row in live_rows])
    shadow_policy = load_policy_text(shadow.content, shadow.version) if shadow else None
    result = run_report(live_rows, shadow_rows, decisions, live.policy, shadow_policy, sample)
    if as_json:
        print_json(result.as_dict())
        return
    console = _console()
    console.print(f"[bold]live[/] {result.live_version} vs [bold]shadow[/] {result.shadow_version or '(none)'}: "
                  f"{result.pairs} posts screened by both, {result.agree} agree, {result.pairs - result.agree} differ")
    if result.transitions:
        console.print("live → shadow: " + ", ".join(f"{k} {v}" for k, v in result.transitions.items()))
    if result.by_category:
        console.print("categories acted on by one side only: "
                      + ", ".join(f"{k} {v}" for k, v in result.by_category.items()))
    if result.labelled_disagreements:
        console.print(f"moderators decided {result.labelled_disagreements} of the disagreements: live right "
                      f"{result.live_right}, shadow right {result.shadow_right}")
    table = Table(title="per category vs moderator labels (live | shadow)")
    for column in ("category", "labels", "precision live", "precision shadow", "recall live", "recall shadow"):
        table.add_column(column)
    for category, conf in result.live.items():
        other = result.shadow.get(category)
        table.add_row(category, str(conf.labels), conf.precision.text(),
                      other.precision.text() if other else "–", conf.recall.text(),
                      other.recall.text() if other else "–")
    console.print(table)
    if result.sample:
        sample_table = Table(title="sample of disagreements")
        for column in ("post", "lang", "live", "shadow", "categories", "moderator"):
            sample_table.add_column(column)
        for d in result.sample:
            sample_table.add_row(d.post_id, d.language, d.live, d.shadow, ", ".join(d.categories),
                                 f"{d.moderator_decision or '–'} {d.reason_code or ''}")
        console.print(sample_table)
    for note in result.notes:
        console.print(f"[yellow]note:[/] {note}")


# ---- export, slider ----------------------------------------------------------------------------
@tune_app.command()
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
        count = run_export(AnalyticsStore(engine), handle, format_, _category(category) if category else None,
                           parse_since(since))
    finally:
        if output:
            handle.close()
    typer.echo(f"modscreen: {count} labelled rows", err=True)


@tune_app.command()
def slider(category: Annotated[str, typer.Argument()], threshold: Annotated[float, typer.Argument(min=0, max=1)],
           since: Since = None, language: Language = None) -> None:
    """JSON: precision, recall and queue volume if CATEGORY's review_at were THRESHOLD (what a page's slider shows)."""
    from modscreen.tune.sweep import SliderData

    engine = database_engine()
    live = _policy(engine, None)
    data = SliderData(load_dataset(engine, parse_since(since), language), live.policy, _category(category), language)
    print_json(data.slider(threshold))


# ---- rescreen, train, demo (top-level commands) ------------------------------------------------
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
    ids, enqueued = run_rescreen(engine, start, end, _category(category) if category else None, limit=limit,
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


@demo_app.command("seed")
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


def register(app: typer.Typer) -> None:
    """Wire every tuning command into the main app (one line in modscreen/cli.py: `register(app)`)."""
    from modscreen.policy_cli import policy_app

    app.add_typer(tune_app, name="tune")
    app.add_typer(policy_app, name="policy")
    app.add_typer(demo_app, name="demo")
    app.command()(rescreen)
    app.command()(train)
