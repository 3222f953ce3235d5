"""What the tuning commands share: their common options, the console they print to, and argument checks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from modscreen.tune.common import policy_path

Since = Annotated[str | None, typer.Option("--since", help="Posts received since (2026-11-01, a date-time, or 7d).")]
Language = Annotated[str | None, typer.Option("--language", help="Only posts detected in this language (en, fr).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON (the same data a page renders).")]
PolicyFile = Annotated[Path | None, typer.Option("--policy", help="Measure this policy file instead of the live one.")]


def wide_console() -> Console:
    # piped into a file or a pager, rich would wrap the tables at 80 columns
    console = Console()
    return console if console.is_terminal else Console(width=160)


def policy_or_exit(engine, path: Path | None):
    """The policy in PATH, or the live one; an unreadable or invalid policy ends the command with exit code 2."""
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


def known_category(value: str) -> str:
    from modscreen.tune.policies import CATEGORIES

    if value not in CATEGORIES:
        raise typer.BadParameter(f"unknown category {value!r} (known: {', '.join(CATEGORIES)})")
    return value
