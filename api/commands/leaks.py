"""``caselens leaks scan``: prove the index, pseudonymised records and logs hold no identifiers.

Known identifiers come from the case store's people. Prints counts by kind and target,
then the hits (kind, owner ``SYSTEM:person_id``, location and a masked form, never the
value). Exit code: 0 clean, 1 when any strong hit is found (CI and ops gate on it),
2 when the scan cannot run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from api import backends
from api.settings import Settings, load_settings

app = typer.Typer(
    help="Scan for known personal identifiers where only pseudonymised text may be.",
    no_args_is_help=True,
)


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=2)


def _store_target(store: Any, explicit: bool, skipped: list[str]) -> Any | None:
    from redaction.leaks import PseudonymisedTarget

    if not hasattr(store, "iter_pseudonymised"):
        if explicit:
            raise _fail("This case store has no pseudonymised records to scan.")
        skipped.append("pseudonymised records: not available in this case store")
        return None
    if hasattr(store, "count_pseudonymised") and store.count_pseudonymised() == 0:
        skipped.append("pseudonymised records: none yet (run redaction first)")
    return PseudonymisedTarget(store)


def _index_target(settings: Settings, explicit: bool, skipped: list[str]) -> Any | None:
    """The vector index payloads, once the index can list them (``iter_payloads``)."""
    from redaction.leaks import IndexPayloadTarget

    source = backends.open_index_payloads(settings)
    if source is None:
        if explicit:
            raise _fail("Scanning the vector index is not available in this build.")
        skipped.append("index payloads: not available in this build")
        return None
    return IndexPayloadTarget(source)


def _meaning_lost(settings: Settings, store: Any, skipped: list[str]) -> Any | None:
    """Placeholders of the pseudonymised records whose original was an allow-listed term
    or an ordinary word (``redaction.leaks.meaning``); needs the vault key."""
    from redaction.leaks.meaning import MeaningScanner, sealed_entries
    from redaction.vault import VaultKeyError

    if not hasattr(store, "iter_pseudonymised") or not hasattr(store, "get_pseudonymised"):
        return None
    try:
        vault = backends.build_token_vault(settings)
    except VaultKeyError:
        skipped.append("meaning lost: no vault key, placeholders' originals not checked")
        return None
    return MeaningScanner().scan(sealed_entries(store), vault)


def _print_meaning(meaning: Any) -> None:
    console = Console()
    if meaning.lost:
        table = Table(title="Meaning lost: placeholders whose original was not personal data")
        for column in ("original was", "placeholder", "count"):
            table.add_column(column, justify="right" if column == "count" else "left")
        for (kind, placeholder), n in sorted(meaning.lost.items()):
            table.add_row(kind, placeholder, str(n))
        console.print(table)
        if meaning.sections:
            sections = ", ".join(f"{k} {n}" for k, n in sorted(meaning.sections.items()))
            console.print(f"allow-list sections: {sections}")
    console.print(
        f"MEANING: {meaning.allow_listed} allow-listed terms and {meaning.ordinary} ordinary "
        f"words replaced; {meaning.placeholders} placeholders in {meaning.records} records"
        + (f" ({meaning.unopened} vault entries not opened)" if meaning.unopened else "")
    )


def _owners_text(owners: tuple[str, ...]) -> str:
    more = f" +{len(owners) - 3}" if len(owners) > 3 else ""
    return ", ".join(owners[:3]) + more


def _print_report(report: Any, skipped: list[str], limit: int) -> None:
    console = Console()
    if not console.is_terminal:  # logs and CI get room for whole locations
        console = Console(width=200)
    counts = Table(title="Leak scan: hits by kind", show_header=True)
    for column in ("kind", "strength", "hits"):
        counts.add_column(column, justify="right" if column == "hits" else "left")
    for (kind, strength), n in sorted(report.by_kind.items()):
        counts.add_row(kind, strength, str(n))
    console.print(counts)
    targets = Table(title="Hits by target", show_header=True)
    for column in ("target", "strong", "weak"):
        targets.add_column(column, justify="left" if column == "target" else "right")
    for name in report.targets:
        targets.add_row(
            name,
            str(report.by_target.get((name, "strong"), 0)),
            str(report.by_target.get((name, "weak"), 0)),
        )
    console.print(targets)
    shown = sorted(report.hits, key=lambda h: h.strength != "strong")[:limit]
    if shown:
        hits = Table(title=f"Hits (first {len(shown)})", show_header=True)
        for column in ("strength", "kind", "location", "masked", "owners"):
            hits.add_column(column, overflow="fold")
        for hit in shown:
            location = f"{hit.location}:{hit.column}"
            hits.add_row(hit.strength, hit.kind, location, hit.masked, _owners_text(hit.owners))
        console.print(hits)
    for line in skipped:
        console.print(f"note: {line}")
    if not report.clean:
        verdict = f"LEAKS: {report.strong} strong hits"
    elif report.texts == 0:
        verdict = "NOTHING SCANNED: no texts in any target"
    else:
        verdict = "CLEAN: no strong hits"
    console.print(
        f"{verdict} ({report.weak} weak); {report.texts} texts, {report.chars} chars, "
        f"{report.needles} identifier forms, {report.seconds:.2f}s"
    )


@app.command("scan")
def scan_command(
    store: Annotated[
        bool, typer.Option("--store", help="Scan the pseudonymised records in the case store.")
    ] = False,
    index: Annotated[bool, typer.Option("--index", help="Scan the vector index payloads.")] = False,
    paths: Annotated[
        list[Path] | None,
        typer.Option("--path", help="A log/trace/export file or folder to scan (repeatable)."),
    ] = None,
    raw_records: Annotated[
        bool,
        typer.Option(
            "--raw-records",
            help="Self-check: scan the RAW source records (always full of identifiers).",
        ),
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Hits to list (table).")] = 50,
) -> None:
    """Scan for known identifiers. With no target options: store + index + data-dir logs."""
    from redaction.leaks import PathTarget, RawRecordTarget

    settings = load_settings()
    scan_default = not (store or index or paths or raw_records)
    skipped: list[str] = []
    case_store = backends.open_case_store(settings)
    try:
        scanner = backends.build_leak_scanner(settings, case_store.iter_people())
        if scanner.needles == 0:
            raise _fail("The case store holds no people: run `caselens ingest` first.")
        targets: list[Any] = []
        if store or scan_default:
            targets.append(_store_target(case_store, store, skipped))
        if index or scan_default:
            targets.append(_index_target(settings, index, skipped))
        if raw_records:
            targets.append(RawRecordTarget(case_store))
        file_paths = list(paths or [])
        if scan_default:
            file_paths += backends.leak_scan_log_paths(settings)
            if not file_paths:
                skipped.append(f"logs: none under {settings.data_dir}")
        if file_paths:
            try:
                targets.append(PathTarget(file_paths))
            except FileNotFoundError as exc:
                raise _fail(str(exc)) from exc
        report = scanner.scan(t for t in targets if t is not None)
        meaning = _meaning_lost(settings, case_store, skipped) if (store or scan_default) else None
    finally:
        case_store.close()
    if json_output:
        data = report.to_dict()
        data["skipped"] = skipped
        if meaning is not None:
            data["meaning_lost"] = meaning.to_dict()
        typer.echo(json.dumps(data, indent=2, sort_keys=True))
    else:
        _print_report(report, skipped, limit)
        if meaning is not None:
            _print_meaning(meaning)
    if not report.clean:
        raise typer.Exit(code=1)
