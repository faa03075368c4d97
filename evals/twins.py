"""Counterfactual twin estates: the same families regenerated with one characteristic changed.

Family ``i`` of a (families, seed) estate is regenerated with ``FamilyOverrides`` changing
one of name origin, gender, religion, disability or language (cycling through them), and
written in the estate layout so the real pipeline can ingest it. Record ids, dates and
planted facts are the same as in the base family, so the pair's answers can be compared
record for record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from evals.estate import (
    DISABILITIES,
    GENDERS,
    LANGUAGES,
    NAME_ORIGINS,
    RELIGIONS,
    SYSTEMS,
    FamilyOverrides,
    GeneratedFamily,
    generate_family,
)
from evals.estate.writer import GOLD_FILES

CHARACTERISTICS: tuple[str, ...] = ("name_origin", "gender", "religion", "disability", "language")
_CHOICES = {
    "name_origin": NAME_ORIGINS,
    "gender": GENDERS,
    "religion": RELIGIONS,
    "disability": DISABILITIES,
    "language": LANGUAGES,
}


@dataclass(frozen=True)
class TwinPair:
    family_id: str
    index: int
    characteristic: str
    base_value: str
    twin_value: str

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def _current(family: GeneratedFamily, characteristic: str) -> str:
    index_child = family.family["index_child"]
    child = next(p.gold() for p in family.people if p.gold()["true_person_id"] == index_child)
    if characteristic == "name_origin":
        return family.name_origin
    if characteristic == "language":
        adults = [p.gold() for p in family.people if p.family_role != "child"]
        return str((adults[0] if adults else child).get("language", "English"))
    return str(child.get(characteristic))


def _other(values: tuple[str, ...], current: str, index: int) -> str:
    """A different value, chosen deterministically (and not always the same one)."""
    options = [v for v in values if v != current]
    return options[index % len(options)]


def plan_pairs(seed: int, indices: list[int]) -> list[TwinPair]:
    pairs = []
    for n, index in enumerate(indices):
        characteristic = CHARACTERISTICS[n % len(CHARACTERISTICS)]
        base = generate_family(seed, index)
        current = _current(base, characteristic)
        pairs.append(
            TwinPair(
                base.family_id,
                index,
                characteristic,
                current,
                _other(_CHOICES[characteristic], current, n),
            )
        )
    return pairs


def _dump(handle: IO[str], obj: object) -> None:
    handle.write(json.dumps(obj, ensure_ascii=False) + "\n")


def write_twin_estate(out_dir: Path, seed: int, pairs: list[TwinPair]) -> None:
    """Write the twin of every pair's family into ``out_dir`` (estate layout)."""
    out_dir = Path(out_dir)
    gold = out_dir / "gold"
    gold.mkdir(parents=True, exist_ok=True)
    for system in SYSTEMS:
        (out_dir / "extracts" / system).mkdir(parents=True, exist_ok=True)
    files: dict[str, IO[str]] = {}
    try:
        for system in SYSTEMS:
            for kind in ("people", "records"):
                path = out_dir / "extracts" / system / f"{kind}.jsonl"
                files[f"{system}/{kind}"] = path.open("w", encoding="utf-8", newline="\n")
        for name in GOLD_FILES:
            files[name] = (gold / f"{name}.jsonl").open("w", encoding="utf-8", newline="\n")
        for pair in pairs:
            twin = generate_family(
                seed, pair.index, FamilyOverrides(**{pair.characteristic: pair.twin_value})
            )
            for system in SYSTEMS:
                for person in twin.persons[system]:
                    _dump(files[f"{system}/people"], person)
                for record in twin.records[system]:
                    _dump(files[f"{system}/records"], record)
            for person in twin.gold_persons():
                _dump(files["persons"], person)
            for link in twin.links:
                _dump(files["links"], link)
            _dump(files["families"], twin.family)
            for fact in twin.facts:
                _dump(files["facts"], fact)
            for span in twin.pii_spans:
                _dump(files["pii_spans"], span)
            for entry in twin.policy:
                _dump(files["policy"], entry)
    finally:
        for handle in files.values():
            handle.close()
    (out_dir / "manifest.json").write_text(
        json.dumps({"seed": seed, "twins": [p.as_dict() for p in pairs]}, indent=2) + "\n",
        encoding="utf-8",
    )
