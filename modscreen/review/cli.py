"""`modscreen users add|list|password|disable|unlock|role`: accounts of the review app (wired in modscreen.cli)."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer

from modscreen.review.accounts import ROLES, AccountError, Accounts

users_app = typer.Typer(help="Accounts of the moderator review app (served under /review by `modscreen api`).",
                        no_args_is_help=True)

RoleOption = Annotated[str, typer.Option("--role", help=f"One of: {', '.join(ROLES)}.")]


def _accounts() -> Accounts:
    from models.db import make_engine
    from modscreen.service_cli import checked_settings

    return Accounts(make_engine(checked_settings().database_url))


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _fail(error: Exception) -> typer.Exit:
    typer.echo(f"modscreen: {error}", err=True)
    return typer.Exit(1)


@users_app.command("add")
def add_user(
    username: Annotated[str, typer.Argument(help="The sign-in name.")],
    role: RoleOption = "moderator",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from the first line "
                                                                          "of standard input (scripts).")] = False,
) -> None:
    """Add a user; the password is prompted for (twice) or read from stdin, and stored as an argon2 hash."""
    if role not in ROLES:
        raise _fail(AccountError(f"--role must be one of {', '.join(ROLES)}"))
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        _accounts().add(username, password, role, _actor())
    except AccountError as error:
        raise _fail(error) from None
    typer.echo(f"modscreen: user {username!r} added as {role}", err=True)


@users_app.command("list")
def list_users() -> None:
    """Every user: name, role, state."""
    for user in _accounts().all():
        state = "disabled" if user.disabled else (f"slowed down until {user.slowed_until:%Y-%m-%d %H:%M:%S} UTC"
                                                  if user.slowed_until else "active")
        typer.echo(f"{user.username}\t{user.role}\t{state}")


@users_app.command("password")
def set_password(
    username: Annotated[str, typer.Argument()],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the new password from the first "
                                                                          "line of standard input.")] = False,
) -> None:
    """Give a user a new password (checked like any new one) and end their sessions."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else typer.prompt(
        "New password", hide_input=True, confirmation_prompt=True)
    try:
        _accounts().set_password(username, password, _actor())
    except AccountError as error:
        raise _fail(error) from None
    typer.echo(f"modscreen: user {username!r} has a new password; their sessions are ended", err=True)


@users_app.command("disable")
def disable_user(username: Annotated[str, typer.Argument()]) -> None:
    """Refuse this user's sign-ins from now on and end their sessions."""
    try:
        _accounts().change(username, _actor(), disable=True)
    except AccountError as error:
        raise _fail(error) from None
    typer.echo(f"modscreen: user {username!r} disabled", err=True)


@users_app.command("unlock")
def unlock_user(username: Annotated[str, typer.Argument()]) -> None:
    """Lift the slowdown of a username after failed sign-ins (nothing is ever locked; this only stops the wait)."""
    try:
        _accounts().change(username, _actor(), unlock=True)
    except AccountError as error:
        raise _fail(error) from None
    typer.echo(f"modscreen: sign-ins of {username!r} are no longer slowed down", err=True)


@users_app.command("role")
def set_role(username: Annotated[str, typer.Argument()], role: RoleOption) -> None:
    """Change a user's role."""
    try:
        _accounts().change(username, _actor(), role=role)
    except AccountError as error:
        raise _fail(error) from None
    typer.echo(f"modscreen: user {username!r} is now {role}", err=True)
