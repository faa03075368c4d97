"""``caselens users demo`` (one demo user per role, tokens printed once) and
``caselens users token USER`` (issue a new API token; only its hash is stored)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from api import backends
from api.settings import load_settings
from retrieval.files import write_private

app = typer.Typer(help="Users file: roles, caseloads and hashed API tokens.")


@app.callback()
def users() -> None:
    """Users commands."""


@app.command("demo")
def demo_command(
    out: Annotated[Path | None, typer.Option("--out", help="Users file to write.")] = None,
    families: Annotated[int, typer.Option(help="Families on each caseload.")] = 3,
) -> None:
    """Write a users file with one ``demo-<role>`` user per policy role and print each
    user's API token ONCE (the file keeps only a salted hash). The family worker's
    caseload is one family smaller, to show what is withheld."""
    from api.app.tokens import hash_token, new_token

    settings = load_settings()
    path = out or settings.resolved_users_path
    policy = backends.load_policy(settings)
    with backends.open_case_store(settings) as store:
        found = store.family_ids(families)
    if not found:
        typer.echo("No linked families in the case store: run ingest and link first.", err=True)
        raise typer.Exit(code=2)
    entries: dict[str, Any] = {}
    tokens: dict[str, str] = {}
    for role in policy.role_names:
        name = f"demo-{role.replace('_', '-')}"
        caseload = found[: max(1, len(found) - 1)] if role == "family_worker" else found
        tokens[name] = new_token(name)
        entries[name] = {
            "role": role,
            "caseload": caseload if policy.roles[role].caseload_scoped else [],
            "token_hash": hash_token(tokens[name]),
        }
    write_private(path, yaml.safe_dump({"users": entries}, sort_keys=True))
    typer.echo(f"wrote {len(entries)} demo users to {path}; tokens (shown once):")
    for name, token in tokens.items():
        typer.echo(f"  {name:28} {token}")


@app.command("token")
def token_command(
    user: Annotated[str, typer.Argument(help="User name in the users file.")],
    file: Annotated[Path | None, typer.Option("--file", help="Users file.")] = None,
) -> None:
    """Issue a new API token for USER (the old one stops working); printed once."""
    from api.app.tokens import hash_token, new_token

    path = file or load_settings().resolved_users_path
    if not path.is_file():
        typer.echo(f"users file not found: {path}", err=True)
        raise typer.Exit(code=2)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entry = (data.get("users") or {}).get(user)
    if not isinstance(entry, dict):
        typer.echo(f"unknown user {user!r}", err=True)
        raise typer.Exit(code=2)
    token = new_token(user)
    entry["token_hash"] = hash_token(token)
    write_private(path, yaml.safe_dump(data, sort_keys=True))
    typer.echo(token)
