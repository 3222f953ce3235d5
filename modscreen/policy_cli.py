"""`modscreen policy ...`: versioned policies in the database.

    modscreen policy list
    modscreen policy show [VERSION]                 # default: live
    modscreen policy diff A B                       # versions, files, `live` or `file`
    modscreen policy apply FILE --message "why"     # validate, store, make live (workers follow within 30 s)
    modscreen policy propose FILE --message "why"   # store as a candidate (an admin activates it)
    modscreen policy activate VERSION               # make a stored version live
    modscreen policy shadow FILE|VERSION            # run it in shadow beside the live one
    modscreen policy rollback [VERSION]             # back to the previous live version (or VERSION)
    modscreen policy history                        # the audit trail
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

policy_app = typer.Typer(help="Versioned policies: list, show, diff, apply, propose, activate, shadow, rollback.",
                         no_args_is_help=True)

Author = Annotated[str | None, typer.Option(help="Who (default: $MODSCREEN_ACTOR or $USER).")]
Message = Annotated[str, typer.Option("--message", "-m", help="Why: stored with the version.")]


def _stores():
    from models.policy_store import PolicyStore
    from modscreen.tune.common import database_engine

    engine = database_engine()
    return engine, PolicyStore(engine)


def _lifecycle():
    from modscreen.policy_lifecycle import PolicyLifecycle
    from modscreen.tune.common import policy_path

    return PolicyLifecycle(_stores()[1], policy_path())


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"modscreen: {message}", err=True)
    raise typer.Exit(code)


def _refused(refusal: Exception) -> NoReturn:
    """Exit 2 with the lifecycle's reason (an unknown version also says where to find the known ones)."""
    from modscreen.policy_lifecycle import UnknownVersion

    _fail(f"{refusal} (see `modscreen policy list`)" if isinstance(refusal, UnknownVersion) else str(refusal))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        _fail(f"{path}: cannot read the policy: {error.strerror or error}")


def _resolve(spec: str, policies) -> tuple[str, str]:
    """(label, text) for a version, a file, `live` (the database's, else the file) or `file`."""
    from modscreen.tune.common import policy_path

    if spec == "file":
        path = policy_path()
        return str(path), path.read_text(encoding="utf-8")
    if spec == "live":
        live = policies.live()
        if live is not None:
            return f"live {live.version}", live.content
        path = policy_path()
        return f"live (file {path})", path.read_text(encoding="utf-8")
    stored = policies.get(spec)
    if stored is not None:
        return spec, stored.content
    path = Path(spec)
    if path.exists():
        return str(path), path.read_text(encoding="utf-8")
    _fail(f"{spec!r} is neither a stored version, a file, `live` nor `file` (see `modscreen policy list`)")


@policy_app.command("list")
def list_versions() -> None:
    """Every stored version: status, author, time, message."""
    _, policies = _stores()
    table = Table()
    for column in ("version", "status", "author", "created", "activated", "message"):
        table.add_column(column, overflow="fold")
    for v in policies.versions():
        style = "bold green" if v.status == "live" else "cyan" if v.status == "shadow" else None
        table.add_row(v.version, v.status, v.author, v.created_at.strftime("%Y-%m-%d %H:%M"),
                      v.activated_at.strftime("%Y-%m-%d %H:%M") if v.activated_at else "–", v.message, style=style)
    Console().print(table)
    if policies.live() is None:
        typer.echo("no live version in the database: workers use the policy file")


@policy_app.command()
def show(version: Annotated[str, typer.Argument(help="A version, `live` or `file`.")] = "live") -> None:
    """Print a policy's TOML."""
    _, policies = _stores()
    label, text = _resolve(version, policies)
    typer.echo(f"# {label}")
    typer.echo(text.rstrip("\n"))


@policy_app.command()
def diff(a: Annotated[str, typer.Argument(help="Version, file, `live` or `file`.")],
         b: Annotated[str, typer.Argument(help="Version, file, `live` or `file`.")]) -> None:
    """Unified diff of two policies' TOML and a table of the thresholds that change."""
    from modscreen.tune.policies import other_changes, threshold_changes, unified_diff
    from worker.assembly import load_policy_text
    from worker.errors import ConfigurationError

    _, policies = _stores()
    (label_a, text_a), (label_b, text_b) = _resolve(a, policies), _resolve(b, policies)
    typer.echo(unified_diff(text_a, text_b, label_a, label_b) or "(identical text)")
    try:
        pa, pb = load_policy_text(text_a, label_a), load_policy_text(text_b, label_b)
    except ConfigurationError as error:
        _fail(str(error))
    changes = threshold_changes(pa, pb)
    table = Table(title=f"threshold changes {pa.version} → {pb.version}")
    for column in ("category", "scope", "threshold", "before", "after"):
        table.add_column(column)
    for change in changes:
        table.add_row(change.category, change.scope, change.field, _n(change.before), _n(change.after))
    Console().print(table if changes else "no threshold changes")
    for note in other_changes(pa, pb):
        typer.echo(f"also: {note}")


def _n(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


@policy_app.command()
def apply(file: Annotated[Path, typer.Argument(help="The policy TOML.")], message: Message, author: Author = None) -> None:
    """Validate FILE, store it and make it live (the previous live version is retired; workers follow)."""
    from modscreen.policy_lifecycle import PolicyRefused
    from modscreen.tune.common import actor

    text = _read(file)
    try:
        applied = _lifecycle().apply(text, str(file), actor(author), message)
    except PolicyRefused as refusal:
        _refused(refusal)
    if not applied.changed:
        typer.echo(f"modscreen: {applied.version.version} is already live")
        return
    typer.echo(f"modscreen: {applied.version.version} is live (was {applied.replaced or 'the policy file'}); workers "
               "pick it up within MODSCREEN_POLICY_REFRESH_SECONDS (30 s by default). Posts already screened keep "
               "their outcome: `modscreen rescreen --since ... --queue bulk` to screen them again.")


@policy_app.command()
def propose(file: Annotated[Path, typer.Argument()], message: Message, author: Author = None) -> None:
    """Validate FILE and store it as a candidate (not live); an admin activates it with `policy activate`."""
    from modscreen.policy_lifecycle import PolicyRefused
    from modscreen.tune.common import actor

    text = _read(file)
    try:
        stored = _lifecycle().propose(text, str(file), actor(author), message).version
    except PolicyRefused as refusal:
        _refused(refusal)
    typer.echo(f"modscreen: stored {stored.version} ({stored.status}); `modscreen policy diff live {stored.version}`, "
               f"then `modscreen policy activate {stored.version}`")


@policy_app.command()
def activate(version: Annotated[str, typer.Argument()], message: Message = "activated",
             author: Author = None) -> None:
    """Make a stored version live (validated again first)."""
    from modscreen.policy_lifecycle import PolicyRefused
    from modscreen.tune.common import actor

    try:
        activated = _lifecycle().activate(version, actor(author), message)
    except PolicyRefused as refusal:
        _refused(refusal)
    typer.echo(f"modscreen: {version} is live" if activated.changed else f"modscreen: {version} is already live")


@policy_app.command()
def shadow(target: Annotated[str, typer.Argument(help="A policy file or a stored version.")],
           message: Message = "shadow", author: Author = None,
           stop: Annotated[bool, typer.Option("--stop", help="Stop the current shadow instead.")] = False) -> None:
    """Run a policy in shadow: workers store its verdicts beside the live ones (role 'shadow'); only live acts."""
    from modscreen.policy_lifecycle import PolicyRefused
    from modscreen.tune.common import actor

    lifecycle, who = _lifecycle(), actor(author)
    try:
        if stop:
            stopped = lifecycle.stop_shadow(who, message)
            typer.echo(f"modscreen: shadow {stopped.version} stopped")
            return
        version = target
        if lifecycle.store.get(target) is None:  # a file: store it first
            version = lifecycle.propose(_read(Path(target)), target, who, message).version.version
        shadowed = lifecycle.shadow(version, who, message)
    except PolicyRefused as refusal:
        _refused(refusal)
    typer.echo(f"modscreen: {shadowed.version} runs in shadow; compare with `modscreen tune shadow-report`")


@policy_app.command()
def rollback(version: Annotated[str | None, typer.Argument(help="Version to go back to (default: the previous live).")] = None,
             message: Message = "rollback", author: Author = None) -> None:
    """Make the previous live version (or VERSION) live again."""
    from modscreen.policy_lifecycle import PolicyRefused
    from modscreen.tune.common import actor

    try:
        rolled = _lifecycle().rollback(version, actor(author), message)
    except PolicyRefused as refusal:
        _fail(str(refusal))
    typer.echo(f"modscreen: rolled back from {rolled.replaced or '(none)'} to {rolled.version.version}")


@policy_app.command()
def history(version: Annotated[str | None, typer.Argument()] = None) -> None:
    """The audit trail of policy changes."""
    _, policies = _stores()
    table = Table()
    for column in ("at", "actor", "action", "version", "before", "after"):
        table.add_column(column, overflow="fold")
    for event in policies.audit_events(version):
        table.add_row(str(event["at"])[:19], event["actor"], event["action"], event["subject"], str(event["before"] or ""),
                      str(event["after"] or ""))
    Console().print(table)
