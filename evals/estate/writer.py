"""Write a whole synthetic estate to disk: extracts per system, gold files, manifest.

Deterministic: lines are written in family order then plan order, JSON keys in a fixed
order, no timestamps; the same (families, seed) gives byte-identical files.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from evals.estate.family import generate_family
from evals.estate.structure import REFERENCE_DATE
from evals.estate.systems import SYSTEMS

GOLD_FILES: tuple[str, ...] = ("persons", "links", "families", "facts", "pii_spans", "policy")


@dataclass
class EstateSummary:
    """Counts a person (or a test) can check after generation."""

    out_dir: Path
    seed: int
    families: int
    reference_date: str
    systems: dict[str, dict[str, int]]
    true_people: int
    person_lines: int
    records: int
    facts: int
    pii_spans: int
    policy_records: int
    fact_kinds: dict[str, int] = field(default_factory=dict)
    name_origins: dict[str, int] = field(default_factory=dict)
    distortions: dict[str, int] = field(default_factory=dict)
    span_types: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "out_dir": str(self.out_dir),
            "seed": self.seed,
            "families": self.families,
            "reference_date": self.reference_date,
            "systems": self.systems,
            "true_people": self.true_people,
            "person_lines": self.person_lines,
            "records": self.records,
            "facts": self.facts,
            "pii_spans": self.pii_spans,
            "policy_records": self.policy_records,
            "fact_kinds": self.fact_kinds,
            "name_origins": self.name_origins,
            "distortions": self.distortions,
            "span_types": self.span_types,
        }


def _dump(handle: IO[str], obj: object) -> None:
    handle.write(json.dumps(obj, ensure_ascii=False) + "\n")


def is_nonempty_dir(path: Path) -> bool:
    return path.exists() and (not path.is_dir() or any(path.iterdir()))


def generate_estate(
    out_dir: Path, families: int, seed: int, *, force: bool = False
) -> EstateSummary:
    """Generate ``families`` families with ``seed`` into ``out_dir``.

    Refuses a non-empty ``out_dir`` unless ``force``; with ``force`` only the estate's own
    outputs (extracts/, gold/, manifest.json) are replaced.
    """
    out_dir = Path(out_dir)
    if families < 1:
        raise ValueError("families must be at least 1")
    if out_dir.exists() and not out_dir.is_dir():
        raise NotADirectoryError(f"{out_dir} is not a directory")
    if is_nonempty_dir(out_dir):
        if not force:
            raise FileExistsError(f"{out_dir} is not empty (use force to overwrite)")
        for sub in ("extracts", "gold"):
            if (out_dir / sub).exists():
                shutil.rmtree(out_dir / sub)
        (out_dir / "manifest.json").unlink(missing_ok=True)
    extracts = out_dir / "extracts"
    gold = out_dir / "gold"
    for system in SYSTEMS:
        (extracts / system).mkdir(parents=True, exist_ok=True)
    gold.mkdir(parents=True, exist_ok=True)

    counts = {s: {"people": 0, "records": 0} for s in SYSTEMS}
    fact_kinds: Counter[str] = Counter()
    origins: Counter[str] = Counter()
    distortions: Counter[str] = Counter()
    span_types: Counter[str] = Counter()
    totals = Counter[str]()
    people_files = {
        s: (extracts / s / "people.jsonl").open("w", encoding="utf-8", newline="\n")
        for s in SYSTEMS
    }
    record_files = {
        s: (extracts / s / "records.jsonl").open("w", encoding="utf-8", newline="\n")
        for s in SYSTEMS
    }
    gold_files = {
        name: (gold / f"{name}.jsonl").open("w", encoding="utf-8", newline="\n")
        for name in GOLD_FILES
    }
    try:
        for index in range(families):
            fam = generate_family(seed, index)
            origins[fam.name_origin] += 1
            for system in SYSTEMS:
                for person in fam.persons[system]:
                    _dump(people_files[system], person)
                for record in fam.records[system]:
                    _dump(record_files[system], record)
                counts[system]["people"] += len(fam.persons[system])
                counts[system]["records"] += len(fam.records[system])
            for person in fam.gold_persons():
                _dump(gold_files["persons"], person)
            for link in fam.links:
                _dump(gold_files["links"], link)
            _dump(gold_files["families"], fam.family)
            for fact in fam.facts:
                _dump(gold_files["facts"], fact)
                fact_kinds[str(fact["kind"])] += 1
            for span in fam.pii_spans:
                _dump(gold_files["pii_spans"], span)
                span_types[str(span["type"])] += 1
            for entry in fam.policy:
                _dump(gold_files["policy"], entry)
            for _, _, kind in fam.distortions:
                distortions[kind] += 1
            totals["true_people"] += len(fam.people)
            totals["facts"] += len(fam.facts)
            totals["spans"] += len(fam.pii_spans)
            totals["policy"] += len(fam.policy)
    finally:
        for handle in [*people_files.values(), *record_files.values(), *gold_files.values()]:
            handle.close()
    manifest = {
        "seed": seed,
        "families": families,
        "reference_date": REFERENCE_DATE.isoformat(),
        "systems": counts,
        "totals": {
            "true_people": totals["true_people"],
            "person_lines": sum(c["people"] for c in counts.values()),
            "records": sum(c["records"] for c in counts.values()),
            "facts": totals["facts"],
            "pii_spans": totals["spans"],
            "policy_records": totals["policy"],
        },
    }
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return EstateSummary(
        out_dir=out_dir,
        seed=seed,
        families=families,
        reference_date=REFERENCE_DATE.isoformat(),
        systems=counts,
        true_people=totals["true_people"],
        person_lines=sum(c["people"] for c in counts.values()),
        records=sum(c["records"] for c in counts.values()),
        facts=totals["facts"],
        pii_spans=totals["spans"],
        policy_records=totals["policy"],
        fact_kinds=dict(sorted(fact_kinds.items())),
        name_origins=dict(sorted(origins.items())),
        distortions=dict(sorted(distortions.items())),
        span_types=dict(sorted(span_types.items())),
    )
