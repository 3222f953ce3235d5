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

The commands live by what they do: measure.py (report, sweep, slider), replay.py (whatif, shadow-report),
data.py (export, rescreen, train, demo seed); options.py holds what they share.
"""

from __future__ import annotations

import typer

from modscreen.tune.cli.data import demo_seed, export, rescreen, train
from modscreen.tune.cli.measure import report, slider, sweep
from modscreen.tune.cli.replay import shadow_report, whatif

tune_app = typer.Typer(help="Tune thresholds from moderator decisions: report, sweep, what-if, shadow, export.",
                       no_args_is_help=True)
demo_app = typer.Typer(help="Demo data.", no_args_is_help=True)

# registration order is the order `modscreen tune --help` lists them in
tune_app.command()(report)
tune_app.command()(sweep)
tune_app.command()(whatif)
tune_app.command("shadow-report")(shadow_report)
tune_app.command()(export)
tune_app.command()(slider)
demo_app.command("seed")(demo_seed)


def register(app: typer.Typer) -> None:
    """Wire every tuning command into the main app (one line in modscreen/cli.py: `register(app)`)."""
    from modscreen.policy_cli import policy_app

    app.add_typer(tune_app, name="tune")
    app.add_typer(policy_app, name="policy")
    app.add_typer(demo_app, name="demo")
    app.command()(rescreen)
    app.command()(train)
