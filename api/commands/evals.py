"""``caselens evals run``: accuracy, fairness, redaction (and EHCP) suites on a generated
estate through the real stack; writes summary.json, per-case JSONL and report.html, and
prints what got better or worse against the committed baseline. ``--suite devset`` judges
an independent development set instead (``evals/suites/devset.py``; not part of ``all``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    help="Evaluate accuracy and fairness on a synthetic estate.", no_args_is_help=True
)

#: "all" is the generated-estate suites only: "devset" needs a development set folder.
SUITE_CHOICES = ("accuracy", "fairness", "redaction", "ehcp", "all", "devset")


class _Bar:
    """tqdm progress (stderr, terminals only): one bar per stage."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar: Any = None

    def stage(self, name: str, total: int | None = None) -> None:
        from tqdm import tqdm

        if self._bar is not None:
            self._bar.close()
        self._bar = tqdm(
            total=total,
            desc=name,
            unit="q" if total else "it",
            disable=not self.enabled,
            leave=False,
        )

    def advance(self, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _print_changes(changes: list[Any]) -> None:
    table = Table(title="Against the baseline", show_header=True)
    for column in ("metric", "baseline", "this run", "verdict"):
        table.add_column(column)
    styles = {"better": "green", "worse": "bold red", "same": "dim"}
    for c in changes:
        table.add_row(
            c.metric,
            f"{c.baseline:.4g}",
            f"{c.current:.4g}",
            f"[{styles[c.verdict]}]{c.verdict}[/]",
        )
    Console().print(table)


@app.command("run")
def run_command(
    out: Annotated[Path, typer.Option("--out", help="Folder for summary, cases and report.")],
    suite: Annotated[
        str, typer.Option("--suite", help="accuracy|fairness|redaction|ehcp|all|devset")
    ] = "all",
    generator: Annotated[str, typer.Option("--generator", help="extractive|ollama")] = "extractive",
    families: Annotated[int, typer.Option("--families", min=2, help="Families to generate.")] = 50,
    seed: Annotated[int, typer.Option("--seed", help="Estate seed.")] = 2026,
    pairs: Annotated[
        int | None,
        typer.Option(
            "--pairs", min=1, help="Counterfactual pairs (default: families/5, at least 5)."
        ),
    ] = None,
    questions_per_family: Annotated[
        int | None,
        typer.Option(
            "--questions-per-family", min=1, help="Cap gold questions per family (smoke runs)."
        ),
    ] = None,
    redteam_stride: Annotated[
        int,
        typer.Option("--redteam-stride", min=1, help="Ask every n-th refusal/factual phrasing."),
    ] = 1,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            exists=True,
            dir_okay=False,
            help="Baseline JSON (default: the committed one for this config).",
        ),
    ] = None,
    save_baseline: Annotated[
        bool,
        typer.Option("--save-baseline", help="Write this run's numbers as the committed baseline."),
    ] = False,
    fail_on_worse: Annotated[
        bool, typer.Option("--fail-on-worse", help="Exit 1 when any headline metric got worse.")
    ] = False,
    devset: Annotated[
        Path | None,
        typer.Option(
            "--devset",
            file_okay=False,
            help="--suite devset: the set's folder (default ../shared/devset).",
        ),
    ] = None,
    workdir: Annotated[
        Path | None,
        typer.Option(
            "--workdir",
            file_okay=False,
            help="--suite devset: keep the built store and index here; reruns reuse them.",
        ),
    ] = None,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="--suite devset: build again even if kept.")
    ] = False,
    free_text_set: Annotated[
        Path | None,
        typer.Option(
            "--set",
            exists=True,
            dir_okay=False,
            help="--suite redaction: score a free-text set in the pii.jsonl format "
            "(e.g. ../shared/devset/pii.jsonl) instead of a generated estate.",
        ),
    ] = None,
) -> None:
    """Generate an estate, run the suites through the real stack, report and compare."""
    import sys

    from api.settings import load_settings
    from evals import baseline as baselines
    from evals.report import write_report
    from evals.runner import SUITES, RunConfig, run

    if suite not in SUITE_CHOICES:
        typer.echo(f"Unknown suite {suite!r}; choose one of {', '.join(SUITE_CHOICES)}.", err=True)
        raise typer.Exit(code=2)
    if generator not in ("extractive", "ollama"):
        typer.echo("--generator must be extractive or ollama.", err=True)
        raise typer.Exit(code=2)
    settings = load_settings()
    if free_text_set is not None:
        if suite != "redaction":
            typer.echo("--set goes with --suite redaction.", err=True)
            raise typer.Exit(code=2)
        _run_free_text_set(out, free_text_set, settings)
        return
    if suite == "devset":
        _run_devset(out, devset, workdir, rebuild, generator, settings)
        return
    suites = SUITES if suite == "all" else (suite,)
    bar = _Bar(settings.progress and sys.stderr.isatty())
    try:
        summary = run(
            RunConfig(
                suites,
                out,
                families=families,
                seed=seed,
                generator=generator,
                pairs=pairs,
                questions_per_family=questions_per_family,
                redteam_stride=redteam_stride,
                base_settings=settings,
            ),
            bar,
        )
    finally:
        bar.close()
    path = baseline or baselines.find_baseline(families, seed, generator)
    changes = baselines.compare(summary, baselines.load_baseline(path)) if path else None
    (out / "comparison.json").write_text(
        json.dumps(
            {
                "baseline": str(path) if path else None,
                "changes": [c.as_dict() for c in changes or []],
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    report = write_report(summary, out, changes)
    typer.echo(
        f"Wrote {out / 'summary.json'}, per-case JSONL and {report} "
        f"({summary['meta']['wall_s']} s)."
    )
    if changes is None:
        typer.echo("No committed baseline for this configuration.")
    else:
        _print_changes(changes)
        worse = [c for c in changes if c.verdict == "worse"]
        better = [c for c in changes if c.verdict == "better"]
        typer.echo(f"{len(better)} better, {len(worse)} worse than {path}.")
    if save_baseline:
        typer.echo(f"Saved baseline {baselines.save_baseline(summary)}.")
    if fail_on_worse and changes and any(c.verdict == "worse" for c in changes):
        raise typer.Exit(code=1)


def _run_free_text_set(out: Path, path: Path, settings: Any) -> None:
    """``--suite redaction --set PATH``: a free-text set (evals/suites/redaction.py)."""
    from api import backends
    from evals.suites import redaction as suite

    report = suite.run_free_text_set(path, backends.build_redaction_detector(settings))
    for line in suite.free_text_lines(report):
        typer.echo(line)
    typer.echo(f"Wrote {out / 'summary.json'} and {suite.write_free_text_outputs(report, out)}.")


def _run_devset(
    out: Path,
    devset: Path | None,
    workdir: Path | None,
    rebuild: bool,
    generator: str,
    settings: Any,
) -> None:
    """``--suite devset``: the development set through the real stack (evals/suites/devset.py)."""
    from evals.suites import devset as suite

    try:
        folder = suite.check_devset(devset) if devset else suite.default_devset()
    except suite.DevsetError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    run = suite.run_devset(
        folder,
        workdir=workdir,
        rebuild=rebuild,
        generator=generator,
        base_settings=settings,
        note=lambda msg: typer.echo(msg, err=True) if settings.progress else None,
    )
    suite.write_outputs(run, out)
    suite.print_report(run, lines=False)
    typer.echo(f"Wrote {out / 'summary.json'} and {out / 'cases.jsonl'}.")


@app.command("index-gold")
def index_gold_command(
    estate: Annotated[
        Path,
        typer.Argument(help="A generated estate (with gold/).", exists=True, file_okay=False),
    ],
    sync: Annotated[bool, typer.Option("--sync", help="Update instead of rebuilding.")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Index a synthetic estate de-identified with its gold PII spans (evals, demos)."""
    from api import backends
    from api.commands.index import index_source
    from api.settings import load_settings
    from evals.gold_pseudonymised import load_gold_source

    settings = load_settings()
    source = load_gold_source(estate, backends.load_policy(settings))
    index_source(settings, source, rebuild=not sync, json_output=json_output)
