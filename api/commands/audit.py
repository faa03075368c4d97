"""``caselens audit verify`` and ``caselens audit export --month 2026-11 --out FILE``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from api import backends
from api.settings import load_settings

app = typer.Typer(help="The tamper-evident audit log (every question, answer and record view).")


@app.callback()
def audit() -> None:
    """Audit log commands."""


#: ``caselens audit verify`` exit codes: 0 intact, 1 tampered, 2 cannot read.
EXIT_TAMPERED, EXIT_CANNOT_READ = 1, 2


@app.command("verify")
def verify_command(
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check the hash chain and the signed checkpoints. Exit 0 if intact, 1 if tampered
    (names the first edited, deleted or forged entry), 2 if the log, key or checkpoints
    cannot be read. A write stopped between signing and committing (a killed server) is
    reported as incomplete, exit 0: nothing is missing."""
    from sqlalchemy.exc import SQLAlchemyError

    from api.audit.seal import SealError
    from api.cli_errors import store_location
    from retrieval.errors import safe_reason

    settings = load_settings()
    try:
        with backends.open_case_store(settings) as store:
            report = backends.build_audit_log(settings, store).verify()
    except (SealError, SQLAlchemyError, OSError) as exc:
        if isinstance(exc, SealError):
            reason = str(exc)
        elif isinstance(exc, OSError):
            reason = f"{exc.filename or 'a file'} ({safe_reason(exc)})"
        else:
            reason = f"{store_location(settings.resolved_database_url)} ({safe_reason(exc)})"
        typer.echo(f"audit log cannot be read: {reason}", err=True)
        raise typer.Exit(code=EXIT_CANNOT_READ) from exc
    if json_output:
        typer.echo(json.dumps(report.as_dict(), indent=2))
    elif report.ok:
        typer.echo(
            f"audit log intact: {report.entries} entries, head {report.head_seq} "
            f"sha256 {report.head_hash}; every entry since {report.sealed_from_seq} signed"
        )
        if report.unfinished_seq is not None:
            typer.echo(
                f"incomplete: entry {report.unfinished_seq} was signed but never committed "
                "(its writer stopped in between, e.g. killed); nothing is missing, and the "
                "next entry takes its number"
            )
    else:
        typer.echo(
            f"audit log BROKEN at entry {report.first_broken_seq} (tampered): {report.problem}"
        )
        for problem in report.problems[1:]:
            typer.echo(f"  also: {problem}")
    if not report.ok:
        raise typer.Exit(code=EXIT_TAMPERED)


@app.command("export")
def export_command(
    month: Annotated[str, typer.Option("--month", help="Calendar month (UTC), e.g. 2026-11.")],
    out: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
) -> None:
    """Write one month's entries as CSV for the monthly audit (with their chain hashes)."""
    settings = load_settings()
    with backends.open_case_store(settings) as store:
        log = backends.build_audit_log(settings, store)
        try:
            count = log.export_month(month, out)
        except ValueError as exc:
            typer.echo(f"Cannot export: {exc}", err=True)
            raise typer.Exit(code=2) from exc
        report = log.verify()
    typer.echo(f"wrote {count} entries for {month} to {out}")
    if not report.ok:
        typer.echo(f"warning: the audit log is broken at entry {report.first_broken_seq}", err=True)
        raise typer.Exit(code=1)
