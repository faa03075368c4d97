"""Splink on Spark (``CASELENS_LINK_BACKEND=spark``): the same model, rules and clusters.

For councils whose people tables outgrow one machine. The linkage table becomes a Spark
DataFrame with an explicit schema; Splink's Spark API registers its similarity functions
(Jaro-Winkler, Damerau-Levenshtein) from the jar Splink ships, which the session is built
with. Intermediate tables are cached in memory (``persist``), not written as parquet, so
no personal data is written to disk by caselens's settings (Spark may still spill to its
local directories under memory pressure: give the linkage host encrypted local disks, or
``spark.io.encryption.enabled``). The session is created once per process and reused.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd


class SparkUnavailableError(RuntimeError):
    """pyspark or a Java runtime is missing for ``CASELENS_LINK_BACKEND=spark``."""


def _session(master: str) -> Any:
    try:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location
    except ImportError as exc:
        raise SparkUnavailableError(
            "CASELENS_LINK_BACKEND=spark needs pyspark (pip install 'caselens[spark]') "
            "and a Java 17+ runtime"
        ) from exc
    try:
        return (
            SparkSession.builder.master(master)
            .appName("caselens-linkage")
            .config("spark.jars", similarity_jar_location())
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.default.parallelism", "8")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.io.encryption.enabled", "true")
            .getOrCreate()
        )
    except Exception as exc:  # the JVM did not start: no Java, or no memory
        raise SparkUnavailableError(
            f"Spark could not start ({type(exc).__name__}); is a Java 17+ runtime installed?"
        ) from exc


def _schema(frame: pd.DataFrame) -> Any:
    from pyspark.sql import types as t

    fields = []
    for name in frame.columns:
        series = frame[name]
        if pd.api.types.is_integer_dtype(series.dtype):
            kind: Any = t.LongType()
        elif pd.api.types.is_float_dtype(series.dtype):
            kind = t.DoubleType()
        elif any(isinstance(v, list | tuple) for v in series if v is not None):
            kind = t.ArrayType(t.StringType())
        else:
            kind = t.StringType()
        fields.append(t.StructField(str(name), kind, nullable=True))
    return t.StructType(fields)


def _rows(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    def clean(value: Any) -> Any:
        if isinstance(value, list | tuple):
            return list(value)
        if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
            return None
        return int(value) if hasattr(value, "item") and not isinstance(value, float) else value

    return [tuple(clean(v) for v in row) for row in frame.astype(object).itertuples(index=False)]


@contextmanager
def spark_table(frame: pd.DataFrame, master: str = "local[2]") -> Iterator[Any]:
    """``frame`` registered with Splink's Spark API; cached tables dropped afterwards."""
    from splink import SparkAPI

    spark = _session(master)
    spark.sparkContext.setLogLevel("ERROR")
    db_api = SparkAPI(
        spark_session=spark,
        break_lineage_method="persist",
        num_partitions_on_repartition=8,
    )
    data = spark.createDataFrame(_rows(frame), schema=_schema(frame))
    try:
        yield db_api.register(data, dataset_display_name="linkage_input")
    finally:
        spark.catalog.clearCache()
