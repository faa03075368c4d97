"""The Splink (DuckDB) model: comparisons, blocking, training and pairwise scoring.

Comparison builders take column names so the same modelling approach serves the caselens
person table and the FEBRL benchmark. Every level carries an expert starting m/u value:
inputs too small to train on (a handful of people in a test, a first small ingest) are
scored with those, larger inputs re-estimate u by seeded random sampling and m by EM.
Splink runs in an in-memory DuckDB per call, so no personal data is written to disk; with
``backend="spark"`` the same model and rules run on Spark (``retrieval.linkage.spark``),
for people tables that outgrow one machine.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator

BlockingRule = BlockingRuleCreator

# --- comparison level codes ------------------------------------------------------------
# Gamma values Splink writes for each comparison (highest = most similar; -1 = null).
# Shared with evidence.py, which turns them into words for reviewers.

NAME_LEVELS: tuple[str, ...] = (
    "given and family names differ",
    "family name agrees, given name differs",
    "given name agrees, family name differs",
    "family name and given-name initial agree",
    "names sound alike",
    "alias or nickname agrees, family name similar",
    "names similar (minor spelling difference)",
    "given and family names swapped",
    "names agree after nickname/spelling normalisation",
    "names agree exactly",
)
DOB_LEVELS: tuple[str, ...] = (
    "date of birth differs",
    "date of birth differs by one transposed digit pair",
    "date of birth differs by one digit",
    "date of birth day and month swapped",
    "date of birth agrees",
)


#: Backends Splink runs on (``CASELENS_LINK_BACKEND``): the same model and rules on each.
LinkBackend = Literal["duckdb", "spark"]
BACKENDS: tuple[LinkBackend, ...] = ("duckdb", "spark")


@dataclass(frozen=True)
class _Sql:
    """The few SQL spellings that differ between the backends' dialects."""

    quote: str
    jaro_winkler: str
    arrays_overlap: str

    def col(self, name: str) -> str:
        return f"{self.quote}{name}{self.quote}"


_DIALECTS: dict[str, _Sql] = {
    "duckdb": _Sql('"', "jaro_winkler_similarity", "list_has_any"),
    # jaro_winkler and damerau_levenshtein: Splink's Scala UDFs, registered by SparkAPI.
    "spark": _Sql("`", "jaro_winkler", "arrays_overlap"),
}


def _sql(dialect: str) -> _Sql:
    if dialect not in _DIALECTS:
        raise ValueError(f"unknown linkage backend {dialect!r}; expected one of {BACKENDS}")
    return _DIALECTS[dialect]


def _m_u(values: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Starting (m, u) pairs listed from the most similar level down to 'else'."""
    return list(values)


def name_comparison(
    given: str = "given_name",
    family: str = "family_name",
    canonical: str = "given_canonical",
    initial: str = "given_initial",
    given_phonetic: str = "given_metaphone",
    family_phonetic: str = "family_metaphone",
    aliases: str | None = "alias_canonicals",
    dialect: str = "duckdb",
) -> ComparisonCreator:
    """Given + family name together, so swapped names and nicknames are handled as one."""
    sql = _sql(dialect)

    def c(name: str) -> str:
        return sql.col(name)

    def both(col: str) -> str:
        return f"{c(col + '_l')} = {c(col + '_r')}"

    def jw(col: str, at: float) -> str:
        return f"{sql.jaro_winkler}({c(col + '_l')}, {c(col + '_r')}) >= {at}"

    alias_agrees = (
        f"{sql.arrays_overlap}({c(aliases + '_l')}, {c(aliases + '_r')})"
        if aliases
        else both(canonical)
    )
    given_agrees = f"({both(canonical)} OR {alias_agrees})"
    priors = _m_u(
        [
            (0.70, 0.0005),
            (0.10, 0.0002),
            (0.02, 0.00001),
            (0.06, 0.0008),
            (0.03, 0.0004),
            (0.02, 0.001),
            (0.02, 0.003),
            (0.02, 0.01),
            (0.004, 0.03),
            (0.006, 0.955),
        ]
    )
    conditions = [
        f"{both(given)} AND {both(family)}",
        f"{both(canonical)} AND {both(family)}",
        f"{c(given + '_l')} = {c(family + '_r')} AND {c(family + '_l')} = {c(given + '_r')}",
        f"{jw(canonical, 0.9)} AND {jw(family, 0.9)}",
        f"{alias_agrees} AND {jw(family, 0.85)}",
        f"{both(given_phonetic)} AND {both(family_phonetic)}",
        f"{both(family)} AND {both(initial)}",
        f"{given_agrees}",
        f"{jw(family, 0.9)}",
    ]
    labels = list(reversed(NAME_LEVELS))
    levels: list[Any] = [
        cll.CustomLevel(
            f"({c(given + '_l')} IS NULL OR {c(given + '_r')} IS NULL) "
            f"AND ({c(family + '_l')} IS NULL OR {c(family + '_r')} IS NULL)"
        ).configure(is_null_level=True, label_for_charts="names missing")
    ]
    for condition, label, (m, u) in zip(conditions, labels, priors, strict=False):
        levels.append(
            cll.CustomLevel(condition).configure(
                label_for_charts=label, m_probability=m, u_probability=u
            )
        )
    m, u = priors[-1]
    levels.append(cll.ElseLevel().configure(m_probability=m, u_probability=u))
    return cl.CustomComparison(levels, output_column_name="name")


def dob_comparison(
    dob: str = "dob",
    year: str = "dob_year",
    month: str = "dob_month",
    day: str = "dob_day",
    dialect: str = "duckdb",
) -> ComparisonCreator:
    """DOB with typo tolerance: exact, day/month swapped, one digit, one transposition."""
    c = _sql(dialect).col
    priors = [(0.88, 0.0002), (0.02, 0.00002), (0.05, 0.003), (0.02, 0.001), (0.03, 0.9957)]
    conditions = [
        f"{c(dob + '_l')} = {c(dob + '_r')}",
        f"{c(year + '_l')} = {c(year + '_r')} AND {c(month + '_l')} = {c(day + '_r')} "
        f"AND {c(day + '_l')} = {c(month + '_r')}",
        f"levenshtein({c(dob + '_l')}, {c(dob + '_r')}) <= 1",
        f"damerau_levenshtein({c(dob + '_l')}, {c(dob + '_r')}) <= 1",
    ]
    labels = list(reversed(DOB_LEVELS))
    levels: list[Any] = [cll.NullLevel(dob)]
    for condition, label, (m, u) in zip(conditions, labels, priors, strict=False):
        levels.append(
            cll.CustomLevel(condition).configure(
                label_for_charts=label, m_probability=m, u_probability=u
            )
        )
    m, u = priors[-1]
    levels.append(cll.ElseLevel().configure(m_probability=m, u_probability=u))
    return cl.CustomComparison(levels, output_column_name=dob)


def postcode_comparison(
    postcode: str = "postcode", district: str | None = "postcode_district"
) -> ComparisonCreator:
    """Postcode: exact, same district (moved nearby), else (moved, or someone else)."""
    levels: list[Any] = [
        cll.NullLevel(postcode),
        cll.ExactMatchLevel(postcode).configure(m_probability=0.6, u_probability=0.002),
    ]
    if district:
        levels.append(
            cll.ExactMatchLevel(district).configure(m_probability=0.15, u_probability=0.05)
        )
    levels.append(cll.ElseLevel().configure(m_probability=0.25, u_probability=0.948))
    return cl.CustomComparison(levels, output_column_name=postcode)


def identifier_comparison(column: str, typo_level: bool = False) -> ComparisonCreator:
    """A strong identifier (NHS number, UPN, NI number): agreement is near-proof.

    ``typo_level`` adds a one-character-difference level for identifiers that are
    re-typed by hand (the FEBRL social security id); NHS numbers carry a check digit.
    """
    levels: list[Any] = [
        cll.NullLevel(column),
        cll.ExactMatchLevel(column).configure(m_probability=0.97, u_probability=1e-6),
    ]
    if typo_level:
        levels.append(
            cll.DamerauLevenshteinLevel(column, 1).configure(m_probability=0.02, u_probability=1e-4)
        )
    levels.append(cll.ElseLevel().configure(m_probability=0.01, u_probability=0.999))
    return cl.CustomComparison(levels, output_column_name=column)


def gender_comparison(column: str = "gender") -> ComparisonCreator:
    levels: list[Any] = [
        cll.NullLevel(column),
        cll.ExactMatchLevel(column).configure(m_probability=0.97, u_probability=0.5),
        cll.ElseLevel().configure(m_probability=0.03, u_probability=0.5),
    ]
    return cl.CustomComparison(levels, output_column_name=column)


def text_comparison(column: str, thresholds: Sequence[float] = (0.9,)) -> ComparisonCreator:
    """A free-text attribute (street, suburb): exact, Jaro-Winkler levels, else."""
    return cl.JaroWinklerAtThresholds(column, list(thresholds))


# --- model specification ---------------------------------------------------------------


@dataclass(frozen=True)
class ModelSpec:
    """Everything that defines one linkage model; pure data, built by the functions below."""

    comparisons: list[ComparisonCreator]
    prediction_blocking: list[BlockingRule]
    training_blocking: list[BlockingRule]
    deterministic_rules: list[BlockingRule]
    #: Share of true matches the deterministic rules are believed to find (prior estimate).
    deterministic_recall: float = 0.8
    #: Below this many rows the expert starting values are used without training.
    min_training_rows: int = 300
    #: Prior used when training is skipped.
    default_prior: float = 0.001
    u_max_pairs: float = 1e6


def swapped_names_rule(dialect: str = "duckdb") -> BlockingRule:
    """Block pairs whose given and family names are swapped."""
    c = _sql(dialect).col
    return CustomRule(
        f"l.{c('given_name')} = r.{c('family_name')} AND l.{c('family_name')} = r.{c('given_name')}"
    )


def person_model_spec(dialect: str = "duckdb") -> ModelSpec:
    """The caselens person model (see features.FEATURE_COLUMNS), in a backend's dialect."""
    swapped = swapped_names_rule(dialect)
    return ModelSpec(
        comparisons=[
            name_comparison(dialect=dialect),
            dob_comparison(dialect=dialect),
            postcode_comparison(),
            identifier_comparison("nhs_number"),
            identifier_comparison("upn"),
            identifier_comparison("ni_number"),
            gender_comparison(),
        ],
        prediction_blocking=[
            block_on("nhs_number"),
            block_on("upn"),
            block_on("ni_number"),
            block_on("dob"),
            block_on("given_canonical", "family_name"),
            block_on("family_metaphone", "dob_year"),
            block_on("given_metaphone", "dob_year"),
            block_on("postcode", "given_initial"),
            swapped,
        ],
        training_blocking=[block_on("dob"), block_on("given_canonical", "family_name")],
        deterministic_rules=[
            block_on("nhs_number"),
            block_on("given_canonical", "family_name", "dob"),
        ],
        deterministic_recall=0.8,
    )


# --- running Splink ----------------------------------------------------------------------


@contextmanager
def quiet_splink(level: int = logging.ERROR) -> Iterator[None]:
    """Keep Splink's progress chatter (and any value it might echo) out of the logs."""
    logger = logging.getLogger("splink")
    previous = logger.level
    logger.setLevel(level)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(previous)


def _settings(spec: ModelSpec, prior: float) -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=list[Any](spec.comparisons),
        blocking_rules_to_generate_predictions=list[Any](spec.prediction_blocking),
        probability_two_random_records_match=prior,
        retain_matching_columns=True,  # needed for gamma_* (evidence); raw columns dropped below
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=[],
    )


def _train(linker: Linker, spec: ModelSpec, seed: int) -> None:
    try:
        linker.training.estimate_probability_two_random_records_match(
            list[Any](spec.deterministic_rules), recall=spec.deterministic_recall
        )
    except ValueError:
        # Rules found more pairs than the assumed recall allows: assume they find all.
        linker.training.estimate_probability_two_random_records_match(
            list[Any](spec.deterministic_rules), recall=1.0
        )
    linker.training.estimate_u_using_random_sampling(
        max_pairs=spec.u_max_pairs, seed=seed, min_count_per_level=None
    )
    for rule in spec.training_blocking:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )


@contextmanager
def _registered(frame: pd.DataFrame, backend: str, spark_master: str) -> Iterator[Any]:
    """The linkage table registered with the backend's Splink database API."""
    if backend == "duckdb":
        db_api = DuckDBAPI()
        try:
            yield db_api.register(frame, dataset_display_name="linkage_input")
        finally:
            db_api.duckdb_con.close()
        return
    if backend != "spark":
        raise ValueError(f"unknown linkage backend {backend!r}; expected one of {BACKENDS}")
    from retrieval.linkage.spark import spark_table

    with spark_table(frame, spark_master) as table:
        yield table


def score_pairs(
    frame: pd.DataFrame,
    spec: ModelSpec,
    *,
    keep_from: float,
    seed: int = 42,
    train: bool | None = None,
    backend: str = "duckdb",
    spark_master: str = "local[2]",
) -> pd.DataFrame:
    """Score every blocked pair; return pairs with ``match_probability >= keep_from``.

    ``backend``: ``duckdb`` (in process, in memory) or ``spark`` (``spark_master``, e.g.
    ``local[4]`` or a cluster URL; needs ``pyspark`` and Java). ``spec`` must be built for
    the same backend (``person_model_spec(backend)``).

    Columns: ``unique_id_l``, ``unique_id_r``, ``match_probability``, ``match_weight``
    and one ``gamma_<comparison>`` column per comparison. ``train=None`` trains only when
    the table has at least ``spec.min_training_rows`` rows.
    """
    if "unique_id" not in frame.columns:
        raise ValueError("the linkage table needs a unique_id column")
    if len(frame) < 2:
        return pd.DataFrame(columns=["unique_id_l", "unique_id_r", "match_probability"])
    should_train = len(frame) >= spec.min_training_rows if train is None else train
    with quiet_splink(), _registered(frame, backend, spark_master) as table:
        linker = Linker(table, _settings(spec, spec.default_prior), log_level=None)
        if should_train:
            _train(linker, spec, seed)
        predictions = linker.inference.predict(
            threshold_match_probability=keep_from, warning_mode="never"
        )
        scored = predictions.as_pandas_dataframe()
    keep = ["unique_id_l", "unique_id_r", "match_probability", "match_weight"]
    keep += [c for c in scored.columns if c.startswith("gamma_")]
    return scored[keep].reset_index(drop=True)
