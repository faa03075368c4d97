"""``caselens vault keygen``: print a fresh token-vault key for ``CASELENS_VAULT_KEY``."""

from __future__ import annotations

import typer

app = typer.Typer(help="Token vault keys (the vault seals placeholder -> original text).")


@app.callback()
def vault() -> None:
    """Token vault commands."""


@app.command("keygen")
def keygen() -> None:
    """Print a new Fernet key. Keep it secret, out of the repository; losing it makes the
    vault unreadable (pseudonymised text stays usable, re-identification does not)."""
    from redaction.vault import generate_vault_key

    typer.echo(generate_vault_key())
