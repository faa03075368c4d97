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


@app.command("verify")
def verify_command(
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Walk the hash chain; exit 1 and name the first edited or deleted entry if broken."""
    from api.audit import AuditLog

    with backends.open_case_store(load_settings()) as store:
        report = AuditLog(store.engine).verify()
    if json_output:
        typer.echo(json.dumps(report.as_dict(), indent=2))
    elif report.ok:
        typer.echo(
            f"audit log intact: {report.entries} entries, head {report.head_seq} "
            f"sha256 {report.head_hash}"
        )
    else:
        typer.echo(f"audit log BROKEN at entry {report.first_broken_seq}: {report.problem}")
        for problem in report.problems[1:]:
            typer.echo(f"  also: {problem}")
    if not report.ok:
        raise typer.Exit(code=1)


@app.command("export")
def export_command(
    month: Annotated[str, typer.Option("--month", help="Calendar month (UTC), e.g. 2026-11.")],
    out: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
) -> None:
    """Write one month's entries as CSV for the monthly audit (with their chain hashes)."""
    from api.audit import AuditLog

    with backends.open_case_store(load_settings()) as store:
        log = AuditLog(store.engine)
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
