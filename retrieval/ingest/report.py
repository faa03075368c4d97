"""What an ingest run did, per source system: counts only, never record contents."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table


@dataclass
class Counts:
    """Outcome counts for one kind of line (records or people) of one source system."""

    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    quarantined: int = 0
    #: Stored earlier, now refused by the policy, so removed.
    removed_by_policy: int = 0
    #: Lines repeating an id already read in this file (the newer version is kept).
    duplicates: int = 0
    #: Lines older than the version already stored (the stored, newer one is kept).
    older_versions: int = 0
    #: Stored items absent from the snapshot but not deleted, because the file had lines
    #: whose id could not be read (``--allow-deletions`` deletes them).
    deletions_held: int = 0
    #: Relationships not stored because they cannot be true (the person is kept).
    relationships_quarantined: int = 0
    skipped_by_policy: Counter[str] = field(default_factory=Counter)

    @property
    def skipped(self) -> int:
        return sum(self.skipped_by_policy.values())

    def add(self, other: Counts) -> None:
        for name in (
            "read",
            "inserted",
            "updated",
            "unchanged",
            "deleted",
            "quarantined",
            "removed_by_policy",
            "duplicates",
            "older_versions",
            "deletions_held",
            "relationships_quarantined",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.skipped_by_policy.update(other.skipped_by_policy)

    def notes(self) -> list[str]:
        """What an operator should know beyond the table (duplicates, held deletions)."""
        out = []
        if self.duplicates:
            out.append(f"{self.duplicates} line(s) repeated an id; the newer version was kept")
        if self.older_versions:
            out.append(
                f"{self.older_versions} line(s) older than the stored version; the stored, "
                "newer version was kept"
            )
        if self.deletions_held:
            out.append(
                f"{self.deletions_held} stored item(s) absent from the snapshot were NOT "
                "deleted: the file has lines whose id could not be read (fix them, or re-run "
                "with --allow-deletions)"
            )
        if self.relationships_quarantined:
            out.append(
                f"{self.relationships_quarantined} relationship(s) quarantined: a parent not "
                "older than the child, or two lines that contradict each other (the people "
                "are kept; see the quarantine file for file, line and field)"
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "quarantined": self.quarantined,
            "removed_by_policy": self.removed_by_policy,
            "duplicates": self.duplicates,
            "older_versions": self.older_versions,
            "deletions_held": self.deletions_held,
            "relationships_quarantined": self.relationships_quarantined,
            "skipped_by_policy": dict(sorted(self.skipped_by_policy.items())),
        }


@dataclass
class SystemCounts:
    records: Counts = field(default_factory=Counts)
    people: Counts = field(default_factory=Counts)


@dataclass
class IngestReport:
    """Per-system counts of one run, plus where quarantined lines went and how fast it was."""

    run_id: int
    source: str
    systems: dict[str, SystemCounts] = field(default_factory=dict)
    #: Explicit deletions file lines that could not be read.
    deletions_quarantined: int = 0
    quarantine_file: Path | None = None
    seconds: float = 0.0

    def system(self, name: str) -> SystemCounts:
        return self.systems.setdefault(name, SystemCounts())

    def totals(self) -> SystemCounts:
        total = SystemCounts()
        for counts in self.systems.values():
            total.records.add(counts.records)
            total.people.add(counts.people)
        return total

    @property
    def quarantined(self) -> int:
        t = self.totals()
        return t.records.quarantined + t.people.quarantined + self.deletions_quarantined

    @property
    def records_per_second(self) -> float:
        return self.totals().records.read / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        totals = self.totals()
        return {
            "run_id": self.run_id,
            "source": self.source,
            "seconds": round(self.seconds, 3),
            "records_per_second": round(self.records_per_second, 1),
            "quarantine_file": str(self.quarantine_file) if self.quarantine_file else None,
            "deletions_quarantined": self.deletions_quarantined,
            "systems": {
                name: {"records": c.records.to_dict(), "people": c.people.to_dict()}
                for name, c in sorted(self.systems.items())
            },
            "totals": {"records": totals.records.to_dict(), "people": totals.people.to_dict()},
        }

    def render(self, console: Console) -> None:
        """Print the run as a table (one row per system and kind) and the skip reasons."""
        table = Table(title=f"Ingest run {self.run_id}", show_lines=False)
        table.add_column("system")
        table.add_column("kind")
        for name in (
            "read",
            "inserted",
            "updated",
            "unchanged",
            "deleted",
            "skipped (policy)",
            "removed (policy)",
            "quarantined",
        ):
            table.add_column(name, justify="right")

        def row(system: str, kind: str, c: Counts, style: str | None = None) -> None:
            table.add_row(
                system,
                kind,
                str(c.read),
                str(c.inserted),
                str(c.updated),
                str(c.unchanged),
                str(c.deleted),
                str(c.skipped),
                str(c.removed_by_policy),
                str(c.quarantined),
                style=style,
            )

        for name, counts in sorted(self.systems.items()):
            row(name, "records", counts.records)
            row(name, "people", counts.people)
        totals = self.totals()
        row("TOTAL", "records", totals.records, style="bold")
        row("TOTAL", "people", totals.people, style="bold")
        console.print(table)

        reasons = totals.records.skipped_by_policy + totals.people.skipped_by_policy
        if reasons:
            why = Table(title="Skipped by the information-sharing policy")
            why.add_column("reason")
            why.add_column("count", justify="right")
            for reason, count in sorted(reasons.items()):
                why.add_row(reason, str(count))
            console.print(why)
        console.print(
            f"{totals.records.read} records read in {self.seconds:.1f} s "
            f"({self.records_per_second:.0f} records/s)"
        )
        for name, counts in sorted(self.systems.items()):
            for kind, c in (("records", counts.records), ("people", counts.people)):
                for line in c.notes():
                    console.print(f"[yellow]{name} {kind}[/yellow]: {line}", highlight=False)
        if self.quarantined:
            console.print(
                f"[yellow]{self.quarantined} line(s) quarantined[/yellow]: {self.quarantine_file}"
            )
