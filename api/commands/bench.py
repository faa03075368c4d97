"""``caselens bench``: run the side-by-side benchmark (caselens vs a naive pipeline).

The benchmark scripts live in the repository's ``benchmarks/`` folder (they are not part
of the installed package), so this command runs ``benchmarks/run_bench.py`` from a
source checkout in a child process and passes the options through.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer


def bench_script() -> Path:
    """``benchmarks/run_bench.py`` next to the ``api`` package (a source checkout)."""
    return Path(__file__).resolve().parents[2] / "benchmarks" / "run_bench.py"


def bench_command(
    quick: Annotated[
        bool, typer.Option("--quick", help="Tiny smoke run (about 2 minutes).")
    ] = False,
    families: Annotated[
        int | None, typer.Option("--families", min=1, help="Estate size (~21 notes each).")
    ] = None,
    sizes: Annotated[
        list[int] | None, typer.Option("--size", min=1, help="Index size in chunks; repeat.")
    ] = None,
    naive_max: Annotated[
        int | None, typer.Option("--naive-max", min=0, help="Largest naive index size.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="JSON results file.")] = None,
) -> None:
    """Ingest and question latency, caselens vs llama-index/Presidio defaults; JSON + tables."""
    script = bench_script()
    if not script.is_file():
        typer.echo(
            "caselens bench needs a source checkout (benchmarks/run_bench.py not found).",
            err=True,
        )
        raise typer.Exit(code=2)
    args = [sys.executable, str(script)]
    if quick:
        args.append("--quick")
    if families is not None:
        args += ["--families", str(families)]
    if sizes:
        args += ["--sizes", *map(str, sizes)]
    if naive_max is not None:
        args += ["--naive-max", str(naive_max)]
    if out is not None:
        args += ["--out", str(out)]
    raise typer.Exit(code=subprocess.call(args))
