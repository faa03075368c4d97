"""``caselens feedback export --out FILE``: workers' ratings of answers as an evaluation
dataset (JSON lines).

One line per rating: the answer id, when, the worker's role (never their name), the
subject id, up or down, the reason codes, the pseudonymised comment, and from the audit
log's entry for that answer the records it cited and whether it was refused. No question or
answer text: join on ``answer_id`` with a kept conversation where one is needed. Put the
file beside an evals run (``--out`` of ``caselens evals run``) as ``feedback.jsonl`` and the
report shows it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api import backends
from api.settings import load_settings

app = typer.Typer(help="Workers' feedback on answers.", no_args_is_help=True)


@app.command("export")
def export_command(
    out: Annotated[Path, typer.Option("--out", help="The JSON lines file to write.")],
) -> None:
    """Write every rating as one JSON line (an evaluation dataset)."""
    from api.app.feedback_store import export_dataset

    settings = load_settings()
    store = backends.open_case_store(settings)
    try:
        rows = export_dataset(store.feedback, backends.build_audit_log(settings, store), out)
    finally:
        store.close()
    typer.echo(f"Wrote {rows} ratings to {out}.")
