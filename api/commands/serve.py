"""``caselens serve``: the API and chat panel on uvicorn (127.0.0.1 by default).

The access log masks query values, and SIGTERM stops the server within
``shutdown_grace_s`` seconds (``api.app.serving``)."""

from __future__ import annotations

from typing import Annotated

import typer

from api.settings import load_settings


def serve_command(
    host: Annotated[str | None, typer.Option(help="Interface (default: api_host).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: settings api_port).")] = None,
) -> None:
    """Start the API and the chat panel; prints the URL to open."""
    import uvicorn

    from api.app import create_app
    from api.app.serving import uvicorn_config

    settings = load_settings()
    host = host or settings.api_host
    port = port or settings.api_port
    try:
        app = create_app(settings)
    except (FileNotFoundError, ValueError, KeyError) as exc:
        typer.echo(f"Cannot start: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    typer.echo(f"caselens chat panel: http://{host}:{port}/   (API docs: /docs)")
    uvicorn.Server(uvicorn_config(app, settings, host, port)).run()
