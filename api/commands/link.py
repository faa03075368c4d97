"""``caselens link``: link the case store's people across source systems and store the result.

Prints counts only (never names or other personal data). With ``--estate DIR`` pointing at
a synthetic estate that has gold links, it also scores the clusters against them.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from api import backends
from api.settings import load_settings


def _print_table(report: dict[str, Any]) -> None:
    table = Table(title="Record linkage", show_header=True)
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in report.items():
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                table.add_row(f"{key}.{inner}", str(inner_value))
        else:
            table.add_row(key, str(value))
    Console().print(table)


def link_command(
    estate: Annotated[
        Path | None,
        typer.Option(
            "--estate",
            help="An estate folder with gold/links.jsonl: report precision/recall/F1.",
            exists=True,
            file_okay=False,
        ),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Link people across source systems (Splink), store clusters and review pairs."""
    from retrieval.linkage.evaluate import load_gold_links, score_against_gold

    settings = load_settings()
    store = backends.open_case_store(settings)
    try:
        people = list(store.iter_people())
        if not people:
            typer.echo("The case store holds no people: run `caselens ingest` first.", err=True)
            raise typer.Exit(code=1)
        result, stats = backends.build_person_linker(settings)(people)
        summary = store.replace_linkage(result)
    finally:
        store.close()
    report: dict[str, Any] = {
        "people": stats.people,
        "linked_persons": stats.linked_persons,
        "merged_clusters": stats.merged_clusters,
        "review_pairs": stats.review_pairs,
        "scored_pairs": stats.scored_pairs,
        "seconds": stats.seconds,
        "link_threshold": result.link_threshold,
        "review_threshold": result.review_threshold,
        "families": getattr(summary, "families", None),
    }
    if estate is not None:
        try:
            gold = load_gold_links(estate)
            scores = score_against_gold(result, gold)
        except (FileNotFoundError, ValueError) as exc:
            typer.echo(f"Cannot score against gold: {exc}", err=True)
            raise typer.Exit(code=2) from exc
        report["gold"] = asdict(scores)
    if json_output:
        typer.echo(json.dumps(report, indent=2, sort_keys=True))
    else:
        _print_table(report)
