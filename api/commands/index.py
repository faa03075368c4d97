"""``caselens index rebuild|sync``: build or update the permitted hybrid index.

Reads pseudonymised records from the case store and prints counts only. (Indexing a
synthetic estate de-identified with its gold spans is an evaluation command:
``caselens evals index-gold``.)
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from api import backends
from api.settings import Settings, load_settings

app = typer.Typer(help="Build and maintain the search index.", no_args_is_help=True)


def index_source(settings: Settings, source: Any, rebuild: bool, json_output: bool) -> None:
    """Rebuild or sync the configured index from ``source`` and print the counts."""
    from retrieval.index import rebuild_index, sync_index

    writer = backends.open_index_writer(settings)
    try:
        report = (rebuild_index if rebuild else sync_index)(writer, source)
        total = writer.store.count()
    finally:
        writer.store.close()
    out = {**report.as_dict(), "chunks_in_index": total}
    if json_output:
        typer.echo(json.dumps(out, indent=2, sort_keys=True))
    else:
        for key, value in out.items():
            typer.echo(f"{key:>16}: {value}")


def _run(rebuild: bool, json_output: bool) -> None:
    settings = load_settings()
    store = backends.open_case_store(settings)
    try:
        if not hasattr(store, "iter_pseudonymised"):
            typer.echo("The case store has no pseudonymised records yet: run redaction.", err=True)
            raise typer.Exit(code=1)
        index_source(settings, store, rebuild, json_output)
    finally:
        store.close()


@app.command("rebuild")
def rebuild_command(
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Drop the index and index every pseudonymised record again."""
    _run(True, json_output)


@app.command("sync")
def sync_command(
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Add new, re-index changed (or embedded by another model) and delete removed records
    (incremental)."""
    _run(False, json_output)
