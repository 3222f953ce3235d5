"""`modscreen`: screen posts from the command line.

    modscreen screen posts.jsonl --output verdicts.jsonl
    modscreen explain post.json
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Annotated, BinaryIO, TextIO

import typer

from config import DEFAULT_POLICY
from worker.assembly import build_engine
from worker.engine import Engine
from worker.errors import ConfigurationError
from worker.serialize import dumps
from worker.stream import DEFAULT_BATCH_SIZE, read_lines, screen_lines

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Screen community posts against the terms of use.")

PolicyOption = Annotated[
    Path | None,
    typer.Option("--policy", help="Policy file (default: $MODSCREEN_POLICY or config/policy.toml).", show_default=False),
]


def load_engine(policy: Path | None) -> Engine:
    path = policy or Path(os.environ.get("MODSCREEN_POLICY", DEFAULT_POLICY))
    try:
        with _engine_warnings_on_stderr():
            engine = build_engine(path)
            engine.load()
    except ConfigurationError as error:
        typer.echo(f"modscreen: configuration error: {error}", err=True)
        raise typer.Exit(2) from None
    return engine


@contextmanager
def _engine_warnings_on_stderr() -> Iterator[None]:
    """What the engine warns about while it is assembled (a placeholder community profile) reaches the
    person at the terminal, whether or not logging is configured."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("modscreen: warning: %(message)s"))
    engine_logger = logging.getLogger("worker")
    engine_logger.addHandler(handler)
    try:
        yield
    finally:
        engine_logger.removeHandler(handler)


@app.command()
def screen(
    source: Annotated[str, typer.Argument(help="JSONL file of posts, or - for standard input.")] = "-",
    policy: PolicyOption = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write verdicts here (default: stdout).")] = None,
    batch_size: Annotated[int, typer.Option(min=1, max=10_000, help="Posts screened together.")] = DEFAULT_BATCH_SIZE,
    pretty: Annotated[bool, typer.Option(
        "--pretty", help="Print a readable report on stdout; with --output, the JSONL verdicts still go to that file.")] = False,
) -> None:
    """Screen JSONL posts; print one verdict (or one error) per input line."""
    engine = load_engine(policy)
    with ExitStack() as stack:
        stream = _open_input(source, stack)
        jsonl: TextIO | None = stack.enter_context(output.open("w", encoding="utf-8")) if output else None
        if jsonl is None and not pretty:
            jsonl = sys.stdout
        lines = read_lines(stream)
        if source != "-" and sys.stderr.isatty():
            lines = _with_progress(lines, Path(source).stat().st_size, stack)
        totals: Counter[str] = Counter()
        for record in screen_lines(engine, lines, batch_size):
            totals[record.get("decision", "error")] += 1
            if pretty:
                from modscreen.report import print_report

                print_report(record, None, sys.stdout)
            if jsonl is not None:
                jsonl.write(dumps(record) + "\n")
    summary = ", ".join(f"{count} {name}" for name, count in sorted(totals.items()))
    written = f"; verdicts (JSONL) written to {output}" if output else ""
    typer.echo(f"modscreen: {sum(totals.values())} lines: {summary or 'nothing to screen'}{written}", err=True)


@app.command()
def explain(
    source: Annotated[str, typer.Argument(help="A JSON post (or JSONL posts), or - for standard input.")],
    policy: PolicyOption = None,
) -> None:
    """Print a readable report: the decision, each reason, and its evidence highlighted in the text."""
    from modscreen.report import print_report
    from worker.serialize import RecordError, parse_post, verdict_record

    engine = load_engine(policy)
    with ExitStack() as stack:
        raw = _open_input(source, stack).read()
    for number, line in enumerate(_records(raw), start=1):
        if not line.strip():
            continue
        try:
            post = parse_post(line)
        except RecordError as error:
            typer.echo(f"record {number}: {error}", err=True)
            raise typer.Exit(1) from None
        print_report(verdict_record(engine.screen(post)), post, sys.stdout)


def _records(raw: bytes) -> list[bytes]:
    """A file holding one JSON object (pretty-printed or not) is one record; otherwise JSON lines."""
    try:
        whole = json.loads(raw)
    except (ValueError, RecursionError):
        return raw.splitlines()
    return [raw] if isinstance(whole, dict) else raw.splitlines()


def _open_input(source: str, stack: ExitStack) -> BinaryIO:
    if source == "-":
        return sys.stdin.buffer
    try:
        return stack.enter_context(open(source, "rb"))
    except OSError as error:
        typer.echo(f"modscreen: cannot read {source}: {error.strerror}", err=True)
        raise typer.Exit(2) from None


def _with_progress(lines, total_bytes: int, stack: ExitStack):
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    progress = stack.enter_context(
        Progress(TextColumn("screening"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"), TimeRemainingColumn(),
                 transient=True)
    )
    task = progress.add_task("screening", total=total_bytes)
    for line in lines:
        progress.advance(task, len(line) + 1 if isinstance(line, bytes) else 0)
        yield line


def _add_service_commands() -> None:
    from modscreen import service_cli

    app.command()(service_cli.worker)
    app.command()(service_cli.submit)
    app.command()(service_cli.reconcile)
    app.command()(service_cli.purge)
    app.add_typer(service_cli.db_app, name="db")
    from modscreen import api_cli

    app.command()(api_cli.api)
    app.add_typer(api_cli.clients_app, name="clients")
    from modscreen.review.cli import users_app

    app.add_typer(users_app, name="users")
    from modscreen.tune.cli import register

    register(app)  # tune, policy, demo, rescreen, train


_add_service_commands()

if __name__ == "__main__":
    app()
