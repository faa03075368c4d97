"""``caselens redact``: pseudonymise text, one record or every stored record; evaluate.

``text`` uses Presidio only (no family knowledge) and needs no key; ``record`` and ``all``
use everything the case store knows and seal the mapping with ``CASELENS_VAULT_KEY``;
``eval`` scores against an estate's gold PII spans on a temporary store. Output carries
placeholders, offsets and counts; ``record`` shows pseudonymised text only.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from api import backends
from api.settings import load_settings

app = typer.Typer(
    help="Pseudonymise case records before indexing (see docs: redaction).",
    no_args_is_help=True,
)


def _spans_json(replacements: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "field": r.field,
            "start": r.start,
            "end": r.end,
            "entity_type": r.entity_type,
            "source": r.source,
            "placeholder": r.placeholder,
        }
        for r in replacements
    ]


def _span_table(replacements: list[Any]) -> Table:
    table = Table(show_header=True)
    for column in ("field", "start", "end", "entity", "source", "placeholder"):
        table.add_column(column)
    for r in replacements:
        table.add_row(r.field, str(r.start), str(r.end), r.entity_type, r.source, r.placeholder)
    return table


def _pseudonymiser_or_exit(stack: backends.Stack) -> Any:
    from redaction.vault import VaultKeyError

    try:
        return stack.pseudonymiser()
    except VaultKeyError as exc:
        typer.echo(f"Cannot redact: {exc}", err=True)
        raise typer.Exit(code=2) from exc


@app.command("text")
def text_command(
    text: Annotated[str | None, typer.Argument(help="Text to redact; stdin if omitted.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Redact free text with Presidio only and print it with the detected spans."""
    from redaction.pseudonymiser import redact_free_text

    value = sys.stdin.read() if text is None else text
    detector = backends.build_redaction_detector(load_settings())
    redacted, replacements = redact_free_text(detector, value)
    if as_json:
        typer.echo(json.dumps({"text": redacted, "spans": _spans_json(replacements)}, indent=2))
        return
    typer.echo(redacted)
    Console(stderr=True).print(_span_table(replacements))


@app.command("record")
def record_command(
    source_system: Annotated[str, typer.Argument(help="Source system, e.g. LCS.")],
    record_id: Annotated[str, typer.Argument(help="Record id within that system.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Pseudonymise one stored record (and store the result); print it with its spans."""
    pipeline = backends.open_stack(load_settings())
    store = pipeline.store
    try:
        record = store.get_record(source_system, record_id)
        if record is None:
            typer.echo(f"No record {source_system}:{record_id} in the case store.", err=True)
            raise typer.Exit(code=1)
        decision = pipeline.policy.permits_processing(record)
        if not decision.permitted:
            typer.echo(
                f"Record {source_system}:{record_id} is not permitted for AI processing "
                f"({decision.reason}).",
                err=True,
            )
            raise typer.Exit(code=1)
        result = _pseudonymiser_or_exit(pipeline).pseudonymise(record)
        store.save_pseudonymised([result.row], list(result.new_placeholders))
    finally:
        pipeline.close()
    row = result.row
    if as_json:
        payload = {
            "source_system": row.source_system,
            "record_id": row.record_id,
            "title": row.title,
            "text": row.text,
            "linked_person_ids": list(row.linked_person_ids),
            "family_ids": list(row.family_ids),
            "spans": _spans_json(list(result.replacements)),
        }
        typer.echo(json.dumps(payload, indent=2))
        return
    typer.echo(f"{row.source_system}:{row.record_id}  {row.title}\n\n{row.text}")
    Console(stderr=True).print(_span_table(list(result.replacements)))


def _background_indexer(settings: Any, store: Any, stack: Any) -> Any:
    """An indexer thread writing to the configured index; closed with ``stack``."""
    from retrieval.index.background import BackgroundIndexer

    writer = backends.open_index_writer(settings)
    stack.callback(writer.store.close)
    return stack.enter_context(BackgroundIndexer(writer, store))


@app.command("all")
def all_command(
    force: Annotated[bool, typer.Option("--force", help="Redo every record.")] = False,
    index: Annotated[
        bool,
        typer.Option(
            "--index",
            help="Also index each batch as soon as it is saved (overlaps redaction and "
            "embedding; the same index as a later `caselens index sync`).",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print counts as JSON.")] = False,
) -> None:
    """Pseudonymise every stored permitted record that is new or changed; drop stale rows."""
    from contextlib import ExitStack

    from tqdm import tqdm

    settings = load_settings()
    pipeline = backends.open_stack(settings)
    store = pipeline.store
    indexed: dict[str, Any] | None = None
    try:
        _pseudonymiser_or_exit(pipeline)
        total = store.count_records()
        show = settings.progress and sys.stderr.isatty()
        with ExitStack() as stack:
            indexer = _background_indexer(settings, store, stack) if index else None
            with tqdm(total=total, desc="redact", unit="rec", disable=not show) as bar:
                report = pipeline.redact(
                    progress=bar.update,
                    force=force,
                    batch_size=settings.redaction_batch_size,
                    on_saved=indexer.submit if indexer is not None else None,
                    max_chars=settings.max_record_chars,
                )
            if indexer is not None:
                indexed = indexer.finish().as_dict()
    finally:
        pipeline.close()
    counts: dict[str, Any] = report.to_dict()
    if indexed is not None:
        counts["index"] = indexed
    if report.skipped:
        typer.echo(
            f"{len(report.skipped)} record(s) could not be redacted and were skipped (not "
            "indexed; tried again next run): "
            + ", ".join(f"{key} ({why})" for key, why in sorted(report.skipped.items())),
            err=True,
        )
    if as_json:
        typer.echo(json.dumps(counts, indent=2, sort_keys=True))
        return
    table = Table(title="Redaction", show_header=True)
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in counts.items():
        table.add_row(key, json.dumps(value) if isinstance(value, dict) else str(value))
    Console().print(table)


@app.command("eval")
def eval_command(
    estate: Annotated[
        Path,
        typer.Option(
            "--estate",
            help="A generated estate (with gold/pii_spans.jsonl).",
            exists=True,
            file_okay=False,
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Score pseudonymisation against the estate's gold PII spans (on a temporary store):
    precision/recall per type, recall per name-origin group, remaining misses (counts)."""
    from pydantic import SecretStr

    from redaction.evaluation import evaluate_store
    from redaction.vault import generate_vault_key

    settings = load_settings()
    with tempfile.TemporaryDirectory(prefix="caselens-redact-eval-") as workdir:
        # The configured models and thresholds on a throwaway store and vault key.
        scratch = settings.model_copy(
            update={
                "data_dir": Path(workdir),
                "database_url": "",
                "vault_key": SecretStr(generate_vault_key()),
                "progress": False,
            }
        )
        stack = backends.open_stack(scratch)
        try:
            stack.ingest(estate)
            stack.link()
            scores = evaluate_store(stack.store, stack.pseudonymiser(), estate)
        finally:
            stack.close()
    report = scores.to_dict()
    if as_json:
        typer.echo(json.dumps(report, indent=2, sort_keys=True))
        return
    table = Table(title="Redaction against gold PII spans", show_header=True)
    for column in ("measure", "hit/total", "rate"):
        table.add_column(column)
    for key in (
        "overall_recall",
        "overall_precision",
        "direct_identifier_recall",
        "family_direct_identifier_recall",
    ):
        r = report[key]
        table.add_row(key, f"{r['hit']}/{r['total']}", str(r["rate"]))
    for section in (
        "recall_by_type",
        "precision_by_predicted_type",
        "direct_recall_by_name_origin",
    ):
        for name, r in report[section].items():
            table.add_row(f"{section}.{name}", f"{r['hit']}/{r['total']}", str(r["rate"]))
    table.add_row("direct_recall_gap_points", "", str(report["direct_recall_gap_points"]))
    for name, count in report["misses_by_type"].items():
        table.add_row(f"miss.{name}", str(count), "")
    for name, count in report["false_positives_by_predicted_type"].items():
        table.add_row(f"false_positive.{name}", str(count), "")
    Console(width=132).print(table)
