"""``caselens index rebuild|sync``: build or update the permitted hybrid index.

Reads pseudonymised records from the case store (or, with ``--gold-estate``, from a
synthetic estate de-identified with its gold spans) and prints counts only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from api import backends
from api.settings import load_settings

app = typer.Typer(help="Build and maintain the search index.", no_args_is_help=True)

GoldOption = Annotated[
    Path | None,
    typer.Option(
        "--gold-estate",
        help="Index a synthetic estate de-identified with its gold PII spans (evals, demos).",
        exists=True,
        file_okay=False,
    ),
]


def _source(settings: Any, gold_estate: Path | None, store: Any) -> Any:
    if gold_estate is not None:
        from evals.gold_pseudonymised import load_gold_source

        return load_gold_source(gold_estate, backends.load_policy(settings))
    if not hasattr(store, "iter_pseudonymised"):
        typer.echo("The case store has no pseudonymised records yet: run redaction.", err=True)
        raise typer.Exit(code=1)
    return store


def _run(rebuild: bool, gold_estate: Path | None, json_output: bool) -> None:
    from retrieval.index import rebuild_index, sync_index

    settings = load_settings()
    store = backends.open_case_store(settings) if gold_estate is None else None
    try:
        source = _source(settings, gold_estate, store)
        writer = backends.open_index_writer(settings)
        try:
            report = (rebuild_index if rebuild else sync_index)(writer, source)
            total = writer.store.count()
        finally:
            writer.store.close()
    finally:
        if store is not None:
            store.close()
    out = {**report.as_dict(), "chunks_in_index": total}
    if json_output:
        typer.echo(json.dumps(out, indent=2, sort_keys=True))
    else:
        for key, value in out.items():
            typer.echo(f"{key:>16}: {value}")


@app.command("rebuild")
def rebuild_command(
    gold_estate: GoldOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Drop the index and index every pseudonymised record again."""
    _run(True, gold_estate, json_output)


@app.command("sync")
def sync_command(
    gold_estate: GoldOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Add new, re-index changed (or embedded by another model) and delete removed records
    (incremental)."""
    _run(False, gold_estate, json_output)
