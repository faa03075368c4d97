"""``caselens ingest DIR [--deletions FILE] [--json]``: load source-system extracts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from api.backends import build_ingestor, load_policy, open_case_store
from api.settings import load_settings


def ingest_command(
    directory: Annotated[
        Path,
        typer.Argument(help="An estate folder (with extracts/) or an extracts folder."),
    ],
    deletions: Annotated[
        Path | None,
        typer.Option(
            "--deletions",
            help="JSONL of {source_system, record_id}: records the source systems deleted.",
        ),
    ] = None,
    allow_deletions: Annotated[
        bool,
        typer.Option(
            "--allow-deletions",
            help="Apply snapshot deletions even when an extract has lines whose id cannot be "
            "read, or is empty or much smaller than what is stored.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Validate, permit and load extracts into the case store; report counts per system."""
    from retrieval.ingest import IngestError
    from retrieval.policy import PolicyError

    err = Console(stderr=True)
    settings = load_settings()
    try:
        policy = load_policy(settings)
    except PolicyError as exc:
        err.print(f"[red]Refusing to ingest:[/red] {exc}", markup=True, highlight=False)
        raise typer.Exit(code=2) from exc
    store = open_case_store(settings)
    try:
        ingestor = build_ingestor(
            settings,
            store,
            policy,
            on_wait=lambda: err.print(
                "Another caselens ingest is running on this case store; waiting for it to finish.",
                highlight=False,
            ),
        )
        report = ingestor.ingest(directory, deletions=deletions, allow_deletions=allow_deletions)
        _purge_conversations(settings, store, err)
    except IngestError as exc:
        err.print(f"[red]Ingest failed:[/red] {exc}", markup=True, highlight=False)
        raise typer.Exit(code=2) from exc
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2, sort_keys=True))
    else:
        console = Console()
        # Piped output (logs, CI) gets room for every column instead of 80 cut ones.
        report.render(console if console.is_terminal else Console(width=132))


def _purge_conversations(settings: Any, store: Any, err: Console) -> None:
    """The nightly hook: chat conversations past their retention go after each ingest (a
    purge that cannot be audited is skipped and said, never fails the ingest)."""
    from api.audit import AuditError
    from api.commands.conversations import purge_expired

    try:
        purge_expired(settings, store)
    except AuditError as exc:
        err.print(f"Conversations not purged: {exc}", highlight=False)
