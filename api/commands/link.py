"""``caselens link``: link the case store's people across source systems and store the result.

Prints counts only (never names or other personal data). With ``--estate DIR`` pointing at
a synthetic estate that has gold links, it also scores the clusters against them.

``caselens link review`` lists the pairs linkage was unsure about, children on a caseload
first, with their evidence in words (never values); ``accept`` / ``reject`` record a data
steward's decision (audited), which every later ``caselens link`` applies, and re-link at
once unless ``--no-relink``.
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
from api.link_review import (
    NoSuchPairError,
    ReviewNotAllowedError,
    decide,
    pair_json,
    pending,
)
from api.settings import load_settings

app = typer.Typer(
    help="Link people across source systems (Splink); review the pairs it was unsure about.",
    invoke_without_command=True,
)
review_app = typer.Typer(
    help="Clerical review: pending pairs with their evidence; accept or reject them.",
    invoke_without_command=True,
)
app.add_typer(review_app, name="review")

EstateOption = Annotated[
    Path | None,
    typer.Option(
        "--estate",
        help="An estate folder with gold/links.jsonl: report precision/recall/F1.",
        exists=True,
        file_okay=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
UserOption = Annotated[
    str, typer.Option("--user", help="User name in the users file (a role that reviews linkage).")
]
NoRelinkOption = Annotated[
    bool,
    typer.Option("--no-relink", help="Record only; the next `caselens link` applies it."),
]


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


@app.callback()
def link_callback(ctx: typer.Context, estate: EstateOption = None, json_output: JsonOption = False):
    """Link people across source systems (Splink), store clusters and review pairs."""
    if ctx.invoked_subcommand is None:
        link_command(estate=estate, json_output=json_output)


def link_command(estate: EstateOption = None, json_output: JsonOption = False) -> None:
    """Link people across source systems (Splink), store clusters and review pairs."""
    from retrieval.linkage.evaluate import load_gold_links, score_against_gold

    settings = load_settings()
    store = backends.open_case_store(settings)
    try:
        if store.count_people() == 0:
            typer.echo("The case store holds no people: run `caselens ingest` first.", err=True)
            raise typer.Exit(code=1)
        result, stats, summary = backends.relink(settings, store)
    finally:
        store.close()
    report: dict[str, Any] = {
        "people": stats.people,
        "linked_persons": stats.linked_persons,
        "merged_clusters": stats.merged_clusters,
        "household_links": stats.household_links,
        "review_pairs": stats.review_pairs,
        "decisions_applied": stats.decisions_applied,
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


@review_app.callback()
def review_list(
    ctx: typer.Context,
    json_output: JsonOption = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show at most this many.")] = 50,
) -> None:
    """Pending pairs, children on a caseload first: ids and evidence in words, no values."""
    if ctx.invoked_subcommand is not None:
        return
    settings = load_settings()
    store = backends.open_case_store(settings)
    try:
        pairs = pending(settings, store)
    finally:
        store.close()
    shown = [pair_json(p) for p in pairs[:limit]]
    if json_output:
        typer.echo(json.dumps({"pending": len(pairs), "pairs": shown}, indent=2))
        return
    table = Table(title=f"Linkage review: {len(pairs)} pending", show_header=True)
    for column in ("id", "left", "right", "probability", "evidence"):
        table.add_column(column)
    for row in shown:
        table.add_row(
            str(row["review_id"]),
            row["left"],
            row["right"],
            f"{row['probability']:.3f}",
            row["evidence"],
        )
    Console().print(table)
    if not pairs:
        typer.echo("Nothing to review.")


def _decide(review_ids: list[int], user: str, accept: bool, relink_now: bool) -> None:
    settings = load_settings()
    try:
        principal = backends.load_users(settings).principal(user)
        policy = backends.load_policy(settings)
    except (FileNotFoundError, KeyError, ValueError) as exc:
        typer.echo(f"Cannot decide: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    store = backends.open_case_store(settings)
    try:
        audit = backends.build_audit_log(settings, store)
        decided, relinked = decide(
            settings, store, audit, policy, principal, review_ids, accept, relink_now=relink_now
        )
    except ReviewNotAllowedError as exc:
        typer.echo(f"Cannot decide: {exc}.", err=True)
        raise typer.Exit(code=3) from exc
    except NoSuchPairError as exc:
        typer.echo(f"Cannot decide: {exc}.", err=True)
        raise typer.Exit(code=1) from exc
    finally:
        store.close()
    report: dict[str, Any] = {"decided": [pair_json(p) for p in decided]}
    if relinked is not None:
        report["linked_persons"] = relinked.linked_persons
        report["review_pairs"] = relinked.review_pairs
    typer.echo(json.dumps(report, indent=2))


@review_app.command("accept")
def review_accept(
    review_ids: Annotated[list[int], typer.Argument(help="Review pair ids (from the list).")],
    user: UserOption,
    no_relink: NoRelinkOption = False,
) -> None:
    """The two records are one person: merge them (now, and in every later run)."""
    _decide(review_ids, user, True, not no_relink)


@review_app.command("reject")
def review_reject(
    review_ids: Annotated[list[int], typer.Argument(help="Review pair ids (from the list).")],
    user: UserOption,
    no_relink: NoRelinkOption = False,
) -> None:
    """The two records are two people: never merge them, never ask again."""
    _decide(review_ids, user, False, not no_relink)
