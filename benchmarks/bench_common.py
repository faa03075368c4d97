"""Shared helpers for the pipeline benchmark workers: timing, percentiles, RSS, disk size.

The workers run as separate processes (one per side and size) so that each reports its
own peak RSS and loads its own models once, as a real deployment would.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # the workers run as scripts from any folder
    sys.path.insert(0, str(REPO))

from evals.stats import percentile as evals_percentile  # noqa: E402


def percentile(values: Sequence[float], p: float) -> float:
    """``evals.stats.percentile`` with ``p`` in per cent; 0.0 for no values."""
    return evals_percentile(values, p / 100)


def latency_summary(ms: Sequence[float]) -> dict[str, float]:
    """p50/p95/mean of millisecond timings, rounded for the JSON file."""
    return {
        "p50_ms": round(percentile(ms, 50), 3),
        "p95_ms": round(percentile(ms, 95), 3),
        "mean_ms": round(sum(ms) / len(ms), 3) if ms else 0.0,
        "n": len(ms),
    }


def peak_rss_mb() -> float:
    """This process's peak resident set size in MiB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def dir_size_mb(path: Path) -> float:
    """Bytes on disk under ``path`` (allocated blocks, so sparse files count as used)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.stat(os.path.join(root, name)).st_blocks * 512
            except FileNotFoundError:
                continue
    return round(total / 2**20, 2)


def rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0


def write_result(path: Path, result: dict[str, Any]) -> None:
    result["peak_rss_mb"] = peak_rss_mb()
    Path(path).write_text(json.dumps(result, indent=2, sort_keys=True))
