"""Splink on Spark gives the same clusters as Splink on DuckDB (``CASELENS_LINK_BACKEND``).

Needs pyspark and a Java runtime (``make test`` installs both); without them the Spark
test is skipped, saying which is missing. The model SQL is checked for both dialects
without Spark.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from retrieval.linkage.evaluate import load_estate_people
from retrieval.linkage.linker import link_people_with_stats
from retrieval.linkage.splink_model import person_model_spec, swapped_names_rule


def test_model_sql_is_written_in_each_backends_dialect() -> None:

    def name_sql(dialect: str) -> str:
        comparison = person_model_spec(dialect).comparisons[0].get_comparison(dialect)
        return " ".join(level.sql_condition for level in comparison.comparison_levels)

    duck_sql, spark_sql = name_sql("duckdb"), name_sql("spark")
    assert "jaro_winkler_similarity" in duck_sql and "list_has_any" in duck_sql
    assert "jaro_winkler(" in spark_sql and "arrays_overlap" in spark_sql
    assert '"' not in spark_sql.replace("'", "")  # Spark quotes names with backticks
    rule = swapped_names_rule("spark").get_blocking_rule("spark")
    assert "`given_name`" in rule.blocking_rule_sql
    with pytest.raises(ValueError, match="unknown linkage backend"):
        person_model_spec("oracle")


@pytest.fixture(scope="module")
def demo_estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from evals.estate import generate_estate

    out = tmp_path_factory.mktemp("demo-estate")
    generate_estate(out, families=20, seed=7)  # the `make demo` estate
    return out


def test_spark_and_duckdb_give_identical_clusters(demo_estate: Path) -> None:
    pytest.importorskip("pyspark", reason="pyspark is not installed (make test installs it)")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime (make test installs default-jre-headless)")
    people = load_estate_people(demo_estate)
    duck, duck_stats = link_people_with_stats(people, backend="duckdb")
    spark, spark_stats = link_people_with_stats(people, backend="spark", spark_master="local[2]")
    assert duck_stats.merged_clusters > 50
    assert sorted(map(tuple, spark.clusters.values())) == sorted(map(tuple, duck.clusters.values()))
    assert [(r.left, r.right) for r in spark.review_pairs] == [
        (r.left, r.right) for r in duck.review_pairs
    ]
    assert spark_stats.household_links == duck_stats.household_links
