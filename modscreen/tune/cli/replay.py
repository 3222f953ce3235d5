"""`modscreen tune whatif` and `shadow-report`: another policy replayed on, or run beside, the live one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from modscreen.tune.cli.options import AsJson, Language, Since, policy_or_exit, wide_console
from modscreen.tune.common import database_engine, fmt, load_dataset, parse_since, policy_path, print_json


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
    baseline = policy_or_exit(engine, None)
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
    console = wide_console()
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
    live = policy_or_exit(engine, None)
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
    console = wide_console()
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
