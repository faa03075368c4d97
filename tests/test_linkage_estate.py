"""Linkage on a generated synthetic estate, scored against its gold links."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.linkage.evaluate import evaluate_estate

estate = pytest.importorskip("evals.estate", reason="estate generator not available yet")


@pytest.fixture(scope="module")
def estate_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not hasattr(estate, "generate_estate"):
        pytest.skip("evals.estate.generate_estate not available yet")
    out = tmp_path_factory.mktemp("estate")
    estate.generate_estate(out, families=60, seed=7)
    return out


def test_estate_linkage_is_precise(estate_dir: Path) -> None:
    report = evaluate_estate(estate_dir)
    assert report["people"] > 200
    assert report["merged_clusters"] > 0
    assert report["precision"] >= 0.995
    # Recall is reported; a floor catches a model that stops linking altogether.
    assert report["recall"] >= 0.8
