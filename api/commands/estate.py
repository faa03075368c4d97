"""``caselens estate generate``: write the synthetic case estate used by tests and evals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Synthetic case estate (families across eight source systems, with gold truth).",
    no_args_is_help=True,
)


@app.callback()
def estate() -> None:
    """Synthetic case estate commands."""


@app.command("generate")
def generate(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory (must be empty).")],
    families: Annotated[int, typer.Option("--families", "-n", min=1, help="Families.")] = 50,
    seed: Annotated[int, typer.Option("--seed", "-s", help="Same seed, same bytes.")] = 1,
    force: Annotated[bool, typer.Option("--force", help="Replace an estate in --out.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Write extracts/<SYSTEM>/{people,records}.jsonl, gold/*.jsonl and manifest.json."""
    from evals.estate import generate_estate
    from evals.estate.writer import is_nonempty_dir

    if is_nonempty_dir(out) and not force:
        typer.echo(f"Refusing to write into non-empty directory {out}; use --force.", err=True)
        raise typer.Exit(code=2)
    summary = generate_estate(out, families=families, seed=seed, force=force)
    if as_json:
        typer.echo(json.dumps(summary.as_dict(), indent=2))
        return
    typer.echo(
        f"Estate written to {out} (seed {seed}, {families} families, "
        f"reference date {summary.reference_date})"
    )
    typer.echo(f"{'system':<15}{'people':>8}{'records':>9}")
    for system, counts in summary.systems.items():
        typer.echo(f"{system:<15}{counts['people']:>8}{counts['records']:>9}")
    typer.echo(
        f"true people {summary.true_people}, person lines {summary.person_lines}, "
        f"records {summary.records}, facts {summary.facts}, PII spans {summary.pii_spans}, "
        f"policy-marked records {summary.policy_records}"
    )
