"""Smoke tests of the benchmark harness (benchmarks/) and the PostgreSQL test runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "benchmarks"
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO / "tests" / "pg"))


def _worker(args: list[str], tmp_path: Path, **env_vars: str) -> dict:
    out = tmp_path / "out.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(BENCH), str(REPO)]), **env_vars}
    done = subprocess.run(
        [sys.executable, str(BENCH / "scale_index.py"), *args, str(tmp_path / "w"), str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(out.read_text())


@pytest.mark.parametrize("side", ["caselens", "naive"])
def test_scale_worker_measures_a_subject_scoped_index(side: str, tmp_path: Path) -> None:
    result = _worker([side, "1500", "--queries", "20"], tmp_path)
    assert result["side"] == side and result["size"] == 1500
    assert result["build_chunks_per_s"] > 0
    assert result["search"]["n"] > 0
    assert 0 < result["search"]["p50_ms"] <= result["search"]["p95_ms"]
    assert result["mean_hits"] > 0  # subject-scoped questions find that family's chunks
    assert result["peak_rss_mb"] > 50
    if side == "caselens":
        assert result["index_disk_mb"] > 0
        assert result["index_storage"] == "disk"  # the Settings default
        assert 0 < result["peak_rss_anon_mb"] < result["peak_rss_mb"]
        assert 0 < result["peak_rss_file_mb"] < result["peak_rss_mb"]


def test_scale_worker_takes_the_index_storage_setting_or_flag(tmp_path: Path) -> None:
    args = ["caselens", "300", "--queries", "5"]
    from_env = _worker(args, tmp_path / "env", CASELENS_INDEX_STORAGE="memory")
    assert from_env["index_storage"] == "memory" and from_env["mean_hits"] > 0
    flagged = _worker(
        [*args, "--storage", "disk"], tmp_path / "flag", CASELENS_INDEX_STORAGE="memory"
    )
    assert flagged["index_storage"] == "disk" and flagged["mean_hits"] > 0


def test_scale_worker_rejects_a_bad_size(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "scale_index.py"), "caselens", "0", str(tmp_path), "o.json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "size must be at least 1" in done.stderr


def _side(notes_s: float, p95: float, rss: float) -> dict:
    rates = {k: notes_s for k in ("total", "redaction", "embedding", "indexing")}
    lat = {"p50_ms": p95 / 2, "p95_ms": p95, "mean_ms": p95 / 2, "n": 5}
    return {
        "notes_per_s": rates,
        "retrieval": lat,
        "answer_e2e": lat,
        "peak_rss_mb": rss,
        "index_disk_mb": 2.0,
    }


def test_ratios_read_above_one_when_caselens_is_better() -> None:
    from run_bench import pipeline_ratios

    ratios = pipeline_ratios(_side(30.0, 10.0, 500.0), _side(10.0, 50.0, 1000.0))
    assert ratios["ingest_total_speedup"] == 3.0
    assert ratios["retrieval_p95_speedup"] == 5.0
    assert ratios["peak_rss_naive_over_caselens"] == 2.0
    worse = pipeline_ratios(_side(5.0, 80.0, 500.0), _side(10.0, 40.0, 500.0))
    assert worse["ingest_total_speedup"] == 0.5 and worse["answer_p95_speedup"] == 0.5


def test_postgres_runner_starts_migrates_and_cleans_up() -> None:
    from with_postgres import PostgresUnavailableError, find_bindir, throwaway_postgres

    if find_bindir() is None and os.geteuid() != 0:
        pytest.skip("no PostgreSQL binaries and not root to apt-get install them")
    from sqlalchemy import inspect

    from retrieval.store import CaseStore
    from retrieval.store.engine import make_engine

    try:
        with throwaway_postgres() as url:
            assert url.startswith("postgresql+psycopg://") and "@127.0.0.1:" in url
            CaseStore.open(url).close()  # creates the schema by migration
            engine = make_engine(url)
            tables = set(inspect(engine).get_table_names())
            engine.dispose()
            assert "alembic_version" in tables and len(tables) > 3
            port = int(url.rsplit(":", 1)[1].split("/")[0])
    except PostgresUnavailableError as exc:
        pytest.fail(f"PostgreSQL could not start: {exc}")
    import socket

    with socket.socket() as sock:  # the server is gone once the block exits
        assert sock.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.slow
def test_quick_bench_prints_both_sides_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, str(BENCH / "run_bench.py"), "--quick", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(out.read_text())
    for side in ("caselens", "naive"):
        pipe = results["pipeline"][side]
        assert pipe["notes"] > 10 and pipe["chunks"] >= pipe["notes"]
        assert pipe["notes_per_s"]["total"] > 0 and pipe["retrieval"]["p95_ms"] > 0
        assert pipe["recall_at_10"] is not None and pipe["peak_rss_mb"] > 100
    assert results["pipeline"]["caselens"]["notes"] == results["pipeline"]["naive"]["notes"]
    assert {s["side"] for s in results["scale"]} == {"caselens", "naive"}
    assert set(results["targets"]) >= {"ingest_vs_naive", "answer_e2e_p95_ms", "peak_rss_mb"}
    assert "ingest notes/s (total)" in done.stdout and "index at scale" in done.stdout
