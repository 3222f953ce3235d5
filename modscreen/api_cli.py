"""HTTP API commands: `api` serves it; `clients add|revoke|list` manages who may call it."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from modscreen._api_clients import ApiClients, ClientError
from modscreen.service_cli import checked_settings

clients_app = typer.Typer(help="Clients of the HTTP API and their tokens.", no_args_is_help=True)


def api(
    host: Annotated[str, typer.Option(help="Interface to listen on (put a TLS-terminating proxy in front).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Server processes.")] = 1,
    loglevel: Annotated[str, typer.Option()] = "INFO",
    forwarded_allow_ips: Annotated[str, typer.Option(
        help="Proxies trusted to say who the client is (X-Forwarded-For), comma-separated addresses or '*'. "
             "Sign-in throttling counts failures per client address: behind a proxy on another host, name it "
             "here, or every visitor shares the proxy's address.")] = "127.0.0.1",
) -> None:
    """Serve the HTTP API (POST /v1/posts, GET /v1/posts/{id}, /healthz, /metrics)."""
    checked_settings()
    import uvicorn

    if workers > 1:  # each process counts its own requests: aggregate them for /metrics
        from modscreen.metrics import prepare_multiprocess_metrics

        prepare_multiprocess_metrics()
    # a factory string, not an app object: each worker process builds its own app and connections
    uvicorn.run("modscreen.api:create_app", factory=True, host=host, port=port, workers=workers,
                log_config=json_log_config(loglevel), access_log=False, proxy_headers=True,
                forwarded_allow_ips=forwarded_allow_ips)


def json_log_config(level: str) -> dict[str, Any]:
    """JSON logs in every server process (uvicorn applies this in each worker it spawns).

    uvicorn's own access log is off: modscreen.api logs each request itself, without bodies.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "modscreen.logs.JsonFormatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {"uvicorn": {"handlers": [], "propagate": True}},
    }


def client_registry() -> ApiClients:
    from models.db import make_engine

    return ApiClients(make_engine(checked_settings().database_url))


@clients_app.command("add")
def add_client(name: Annotated[str, typer.Argument(help="The backend's name, e.g. forum-prod.")]) -> None:
    """Create a client and print its token once (only a hash of it is stored)."""
    try:
        token = client_registry().add(name)
    except ClientError as error:
        typer.echo(f"modscreen: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(token)  # stdout holds the token alone, so it can be piped into a secret store
    typer.echo(f"modscreen: client {name!r} added; store this token now, it cannot be shown again", err=True)


@clients_app.command("revoke")
def revoke_client(name: Annotated[str, typer.Argument()]) -> None:
    """Refuse this client's token from now on."""
    try:
        client_registry().revoke(name)
    except ClientError as error:
        typer.echo(f"modscreen: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"modscreen: client {name!r} revoked", err=True)


@clients_app.command("list")
def list_clients() -> None:
    """Every client: name, creation time, and whether it is active or revoked."""
    for client in client_registry().all():
        state = f"revoked {client.revoked_at.isoformat()}" if client.revoked_at else "active"
        typer.echo(f"{client.name}\t{client.created_at.isoformat()}\t{state}")
