"""``make bench`` / ``caselens bench``: caselens vs a naive pipeline, side by side, one run.

1. Pipeline (real synthetic notes): a generated estate goes through caselens
   (``caselens_pipeline.py``) and through the naive pipeline (``naive_pipeline.py``):
   ingest notes/s split into redaction, embedding and indexing; subject-scoped question
   latency p50/p95, retrieval only and end to end; recall@10; peak RSS; index on disk.
2. Scale (``scale_index.py``): the index alone at increasing sizes (10k, 100k, 1M chunks
   where memory allows), caselens on Qdrant Edge vs qdrant-client local mode (the naive
   engine, only up to ``--naive-max``: it is brute force in Python).

Each measurement runs in its own process (its own model loads, its own peak RSS). Prints
the tables with caselens/naive ratios and writes everything to a JSON file.

    .venv/bin/python benchmarks/run_bench.py                 # default: < 10 min, quiet 2 cores
    .venv/bin/python benchmarks/run_bench.py --quick         # smoke run, about a minute
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
#: Peak RSS per indexed chunk measured for Qdrant Edge plus the synthetic points in Python
#: (about 2.8 GB at 1M); a size is skipped when it would not fit in available memory.
BYTES_PER_CHUNK = 3_500
TARGETS = {
    "ingest_ratio_min": 3.0,
    "retrieval_p95_ms_max": 5.0,
    "answer_p95_ms_max": 150.0,
    "peak_rss_mb_max": 4096.0,
}


class BenchError(RuntimeError):
    """A worker failed; the message names the step (never any note text)."""


def _worker(script: str, args: Sequence[str], out: Path, log: Path, env: dict[str, str]) -> dict:
    cmd = [sys.executable, str(HERE / script), *args, str(out)]
    with log.open("a") as handle:
        done = subprocess.run(cmd, stdout=handle, stderr=subprocess.STDOUT, env=env, cwd=REPO)
    if done.returncode != 0 or not out.is_file():
        raise BenchError(f"{script} {' '.join(args[:2])} failed ({done.returncode}); see {log}")
    return dict(json.loads(out.read_text()))


def _available_mb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _ratio(a: float | None, b: float | None) -> float | None:
    if not a or not b:
        return None
    return round(a / b, 2)


def pipeline_ratios(caselens: dict[str, Any], naive: dict[str, Any]) -> dict[str, float | None]:
    """caselens/naive for throughputs (higher is better), naive/caselens for latencies,
    memory and disk (so every ratio above 1 means caselens is better)."""
    c, n = caselens["notes_per_s"], naive["notes_per_s"]
    return {
        "ingest_total_speedup": _ratio(c["total"], n["total"]),
        "redaction_speedup": _ratio(c["redaction"], n["redaction"]),
        "embedding_speedup": _ratio(c["embedding"], n["embedding"]),
        "indexing_speedup": _ratio(c["indexing"], n["indexing"]),
        "retrieval_p95_speedup": _ratio(
            naive["retrieval"]["p95_ms"], caselens["retrieval"]["p95_ms"]
        ),
        "answer_p95_speedup": _ratio(
            naive["answer_e2e"]["p95_ms"], caselens["answer_e2e"]["p95_ms"]
        ),
        "peak_rss_naive_over_caselens": _ratio(naive["peak_rss_mb"], caselens["peak_rss_mb"]),
        "index_disk_naive_over_caselens": _ratio(naive["index_disk_mb"], caselens["index_disk_mb"]),
    }


def check_targets(results: dict[str, Any]) -> dict[str, Any]:
    """The issue's targets, each with the measured value and whether it is met."""
    pipe = results["pipeline"]
    largest = max(
        (s for s in results["scale"] if s["side"] == "caselens"),
        key=lambda s: s["size"],
        default=None,
    )
    rss = [pipe["caselens"]["peak_rss_mb"]] + [
        s["peak_rss_mb"] for s in results["scale"] if s["side"] == "caselens"
    ]
    out: dict[str, Any] = {}
    ratio = pipe["ratios"]["ingest_total_speedup"]
    out["ingest_vs_naive"] = {"value": ratio, "target": ">= 3x", "met": bool(ratio and ratio >= 3)}
    if largest is not None:
        p95 = largest["search"]["p95_ms"]
        out["index_search_p95_ms_at_largest"] = {
            "size": largest["size"],
            "value": p95,
            "target": "<= 5 ms",
            "met": p95 <= TARGETS["retrieval_p95_ms_max"],
            "note": "index search only; add the question embedding p95 (pipeline retrieval)",
        }
    p95 = pipe["caselens"]["answer_e2e"]["p95_ms"]
    out["answer_e2e_p95_ms"] = {"value": p95, "target": "<= 150 ms", "met": p95 <= 150.0}
    out["peak_rss_mb"] = {"value": max(rss), "target": "<= 4096 MiB", "met": max(rss) <= 4096}
    return out


def _row(label: str, c: Any, n: Any, ratio: Any) -> str:
    def fmt(v: Any) -> str:
        if v is None:
            return "-"
        return f"{v:,.2f}" if isinstance(v, float) else str(v)

    return f"{label:<34}{fmt(c):>14}{fmt(n):>14}{fmt(ratio):>10}"


def _backend_rows(pipe: dict[str, Any]) -> list[str]:
    """caselens with its configured embedding backend vs torch: speed and recall@10."""
    other = pipe.get("caselens_torch")
    if other is None:
        return []
    lines = [
        f"{'embedding backend':<20}{'embed notes/s':>15}{'ingest notes/s':>16}"
        f"{'retrieval p95':>15}{'recall@10':>11}"
    ]
    for side in (pipe["caselens"], other):
        lines.append(
            f"{side.get('embedding_backend', '?'):<20}{side['notes_per_s']['embedding']:>15.1f}"
            f"{side['notes_per_s']['total']:>16.1f}{side['retrieval']['p95_ms']:>15.1f}"
            f"{side['recall_at_10']:>11.3f}"
        )
    return [*lines, "(same notes and questions; the index is rebuilt for each backend)", ""]


def render(results: dict[str, Any]) -> str:
    """Plain-text tables (what the terminal and the README get)."""
    pipe = results["pipeline"]
    c, n, r = pipe["caselens"], pipe["naive"], pipe["ratios"]
    lines = [
        f"caselens bench: {c['notes']} notes, {c['chunks']} caselens chunks / {n['chunks']} naive "
        f"chunks, {c['questions']} questions; {results['machine']['cpus']} CPUs, load average "
        f"{results['machine']['load_before']} before, {results['machine']['load_after']} after",
        "",
        f"{'pipeline':<34}{'caselens':>14}{'naive':>14}{'ratio':>10}",
        _row(
            "ingest notes/s (total)",
            c["notes_per_s"]["total"],
            n["notes_per_s"]["total"],
            r["ingest_total_speedup"],
        ),
        _row(
            "  redaction notes/s",
            c["notes_per_s"]["redaction"],
            n["notes_per_s"]["redaction"],
            r["redaction_speedup"],
        ),
        _row(
            "  embedding notes/s",
            c["notes_per_s"]["embedding"],
            n["notes_per_s"]["embedding"],
            r["embedding_speedup"],
        ),
        _row(
            "  indexing notes/s",
            c["notes_per_s"]["indexing"],
            n["notes_per_s"]["indexing"],
            r["indexing_speedup"],
        ),
        _row("retrieval p50 ms", c["retrieval"]["p50_ms"], n["retrieval"]["p50_ms"], None),
        _row(
            "retrieval p95 ms",
            c["retrieval"]["p95_ms"],
            n["retrieval"]["p95_ms"],
            r["retrieval_p95_speedup"],
        ),
        _row(
            "answer end to end p50 ms", c["answer_e2e"]["p50_ms"], n["answer_e2e"]["p50_ms"], None
        ),
        _row(
            "answer end to end p95 ms",
            c["answer_e2e"]["p95_ms"],
            n["answer_e2e"]["p95_ms"],
            r["answer_p95_speedup"],
        ),
        _row("recall@10", c["recall_at_10"], n["recall_at_10"], None),
        _row("peak RSS MiB", c["peak_rss_mb"], n["peak_rss_mb"], r["peak_rss_naive_over_caselens"]),
        _row(
            "index on disk MiB",
            c["index_disk_mb"],
            n["index_disk_mb"],
            r["index_disk_naive_over_caselens"],
        ),
        "(ratio > 1: caselens better; latencies include the question embedding; naive e2e "
        "is llama-index's query engine with MockLLM; caselens indexes each redaction batch "
        "on a second thread, so its stages overlap and its total is wall time)",
        "",
        *_backend_rows(pipe),
        f"{'index at scale':<16}{'chunks':>10}{'build/s':>10}{'p50 ms':>10}{'p95 ms':>10}"
        f"{'RSS MiB':>10}{'disk MiB':>10}",
    ]
    for s in results["scale"]:
        disk = "-" if s["index_disk_mb"] is None else f"{s['index_disk_mb']:.0f}"
        lines.append(
            f"{s['side']:<16}{s['size']:>10,}{s['build_chunks_per_s']:>10,.0f}"
            f"{s['search']['p50_ms']:>10.2f}{s['search']['p95_ms']:>10.2f}"
            f"{s['peak_rss_mb']:>10.0f}{disk:>10}"
        )
    for size in results.get("skipped_sizes", []):
        lines.append(f"{'skipped':<16}{size:>10,}  (not enough free memory)")
    lines += ["(index search only, random vectors; caselens: policy filter + hybrid RRF)", ""]
    for name, t in results["targets"].items():
        lines.append(
            f"target {name}: {t['value']} ({t['target']}) {'met' if t['met'] else 'NOT met'}"
        )
    return "\n".join(lines)


def run_bench(
    *,
    families: int,
    questions: int,
    sizes: Sequence[int],
    naive_max: int,
    queries: int,
    work: Path,
    seed: int = 7,
    torch_threads: int | None = None,
    torch_check: bool = True,
) -> dict[str, Any]:
    """Run every worker under ``work`` and return the combined results."""
    sys.path.insert(0, str(REPO))
    from evals.estate import generate_estate

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(REPO)])}
    if torch_threads:
        env["OMP_NUM_THREADS"] = str(torch_threads)
    log = work / "workers.log"
    started = time.perf_counter()
    results: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_before": round(os.getloadavg()[0], 2),
        },
        "config": {
            "families": families,
            "questions": questions,
            "sizes": list(sizes),
            "naive_max": naive_max,
            "queries": queries,
            "seed": seed,
            "torch_threads": torch_threads,
            "torch_check": torch_check,
        },
    }
    estate = work / "estate"
    generate_estate(estate, families=families, seed=seed)
    print(f"estate of {families} families generated; running caselens pipeline", file=sys.stderr)
    # Derived model files (the int8 ONNX copy) are made once per checkout, not per run.
    cache = ["--model-cache", str(REPO / ".caselens" / "model-cache")]
    caselens = _worker(
        "caselens_pipeline.py",
        [str(estate), str(work / "caselens"), "--questions", str(questions), *cache],
        work / "caselens.json",
        log,
        env,
    )
    torch_side = None
    if torch_check:  # the same pipeline with torch embeddings: recall@10 before/after int8
        print("running caselens pipeline with torch embeddings", file=sys.stderr)
        torch_side = _worker(
            "caselens_pipeline.py",
            [
                *(str(estate), str(work / "caselens-torch"), "--questions", str(questions)),
                *("--embedding-backend", "torch", *cache),
            ],
            work / "caselens-torch.json",
            log,
            env,
        )
    print("running naive pipeline", file=sys.stderr)
    naive = _worker(
        "naive_pipeline.py",
        [str(estate), str(work / "caselens"), str(work / "naive"), "--questions", str(questions)],
        work / "naive.json",
        log,
        env,
    )
    results["pipeline"] = {
        "caselens": caselens,
        "naive": naive,
        "ratios": pipeline_ratios(caselens, naive),
    }
    if torch_side is not None:
        results["pipeline"]["caselens_torch"] = torch_side
    results["scale"], results["skipped_sizes"] = [], []
    for size in sizes:
        free = _available_mb()
        if free is not None and size * BYTES_PER_CHUNK / 2**20 > 0.8 * free:
            results["skipped_sizes"].append(size)
            continue
        sides = ["caselens"] + (["naive"] if size <= naive_max else [])
        for side in sides:
            print(f"index at {size:,} chunks: {side}", file=sys.stderr)
            folder = work / f"scale-{side}-{size}"
            results["scale"].append(
                _worker(
                    "scale_index.py",
                    [side, str(size), str(folder), "--queries", str(queries)],
                    work / f"scale-{side}-{size}.json",
                    log,
                    env,
                )
            )
            shutil.rmtree(folder, ignore_errors=True)
    results["machine"]["load_after"] = round(os.getloadavg()[0], 2)
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["targets"] = check_targets(results)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=20, help="estate size (~21 notes each)")
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--naive-max", type=int, default=10_000, help="largest naive index size")
    parser.add_argument("--queries", type=int, default=200, help="questions per index size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--torch-threads", type=int, default=None)
    parser.add_argument("--out", type=Path, default=REPO / ".caselens" / "bench" / "results.json")
    parser.add_argument("--keep", type=Path, default=None, help="keep the work folder here")
    parser.add_argument("--quick", action="store_true", help="tiny smoke run (tests, CI)")
    parser.add_argument(
        "--no-torch-check",
        action="store_true",
        help="skip the second caselens run with torch embeddings (recall before/after int8)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.families, args.questions, args.queries = 1, 6, 20
        args.sizes, args.naive_max = [1_000], 1_000
    if args.families < 1 or args.questions < 3 or any(s < 1 for s in args.sizes):
        parser.error("--families and --sizes must be positive, --questions at least 3")
    work = args.keep or Path(tempfile.mkdtemp(prefix="caselens-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = run_bench(
            families=args.families,
            questions=args.questions,
            sizes=args.sizes,
            naive_max=args.naive_max,
            queries=args.queries,
            work=work,
            seed=args.seed,
            torch_threads=args.torch_threads,
            torch_check=not (args.no_torch_check or args.quick),
        )
    except BenchError as exc:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        if (work / "workers.log").is_file():
            shutil.copy(work / "workers.log", args.out.parent / "workers.log")
        print(f"bench failed: {exc} (log copied to {args.out.parent})", file=sys.stderr)
        return 1
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, sort_keys=True))
    print(render(results))
    print(f"\nresults written to {args.out} ({results['seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
