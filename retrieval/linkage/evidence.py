"""Readable evidence for a reviewer: which fields agreed, never the values themselves."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from retrieval.linkage.splink_model import DOB_LEVELS, NAME_LEVELS

_IDENTIFIERS: dict[str, str] = {
    "nhs_number": "NHS number",
    "upn": "UPN",
    "ni_number": "NI number",
}
_POSTCODE_LEVELS = ("postcode differs", "same postcode district", "postcode agrees")


def _gamma(row: Mapping[str, Any], column: str) -> int | None:
    value = row.get(f"gamma_{column}")
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _level(labels: tuple[str, ...], gamma: int | None, missing: str) -> str:
    if gamma is None or gamma < 0:
        return missing
    return labels[min(gamma, len(labels) - 1)]


def identifier_state(row: Mapping[str, Any], column: str) -> str:
    """``agrees`` / ``conflicts`` / ``missing`` for one identifier of a scored pair."""
    gamma = _gamma(row, column)
    if gamma is None or gamma < 0:
        return "missing"
    return "agrees" if gamma >= 1 else "conflicts"


def describe_pair(row: Mapping[str, Any]) -> str:
    """One line such as 'names agree exactly; date of birth day and month swapped; ...'."""
    parts = [
        _level(NAME_LEVELS, _gamma(row, "name"), "a name is missing"),
        _level(DOB_LEVELS, _gamma(row, "dob"), "date of birth missing on one side"),
        _level(_POSTCODE_LEVELS, _gamma(row, "postcode"), "postcode missing on one side"),
    ]
    for column, label in _IDENTIFIERS.items():
        state = identifier_state(row, column)
        if state != "missing":
            parts.append(f"{label} {state}")
    gender = _gamma(row, "gender")
    if gender == 0:
        parts.append("recorded gender differs")
    return "; ".join(parts)
