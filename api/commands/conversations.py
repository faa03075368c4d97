"""``caselens conversations purge``: delete chat conversations past their retention.

Conversations (pseudonymised, per user) are kept ``conversation_retention_days`` after
they were last continued. ``caselens ingest`` purges after each run (the nightly hook);
this command does the same on demand. Each purge is recorded in the audit log first: if
that cannot be written, nothing is deleted.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import typer

from api import backends
from api.settings import Settings, load_settings

app = typer.Typer(help="Chat conversations kept per user (pseudonymised).")

#: Who the audit log names for a purge: caselens itself, applying the retention setting.
RETENTION_USER, RETENTION_ROLE = "caselens-retention", "system"


@app.callback()
def conversations() -> None:
    """Chat conversation commands."""


def purge_expired(settings: Settings, store: Any, *, now: datetime | None = None) -> int:
    """Delete conversations not continued within the retention period; how many. A purge
    is audited before anything is deleted (``AuditError`` leaves them all); with nothing
    to purge, nothing is written."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=settings.conversation_retention_days)
    kept = store.conversations
    expired = kept.count_older(cutoff)
    if not expired:
        return 0
    backends.build_audit_log(settings, store).append(
        action="conversation_purge",
        user=RETENTION_USER,
        role=RETENTION_ROLE,
        outcome="ok",
        detail={
            "conversations": expired,
            "older_than": cutoff.isoformat(),
            "retention_days": settings.conversation_retention_days,
        },
    )
    return kept.purge(cutoff)


@app.command("purge")
def purge_command() -> None:
    """Delete conversations last continued more than ``conversation_retention_days`` ago."""
    from api.audit import AuditError

    settings = load_settings()
    with backends.open_case_store(settings) as store:
        try:
            purged = purge_expired(settings, store)
        except AuditError as exc:
            typer.echo(f"Nothing purged: {exc}", err=True)
            raise typer.Exit(code=2) from exc
    typer.echo(
        f"Purged {purged} conversation{'' if purged == 1 else 's'} not continued in the last "
        f"{settings.conversation_retention_days} days."
    )
