"""Ingest extracts into the case store: validate, apply the policy, upsert in batches, delete.

Each extract file present is a full snapshot of its source system. Lines are written in
batches, one transaction each; deletions (records absent from a snapshot, records the
policy now refuses, and an explicit deletions file) happen only after every file has been
read. An interrupted run therefore leaves a consistent store, and re-running the same
input converges to exactly the state a clean run would give: nothing duplicated, nothing
missing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel
from tqdm import tqdm

from retrieval.ingest.quarantine import Quarantine
from retrieval.ingest.reader import (
    IngestError,
    LineResult,
    SystemExtract,
    count_lines,
    extracts_root,
    find_extracts,
    read_deletions,
    read_people,
    read_records,
)
from retrieval.ingest.relationships import Direction, check_relationships
from retrieval.ingest.report import Counts, IngestReport
from retrieval.policy import InformationSharingPolicy
from retrieval.records import Person, SourceRecord
from retrieval.store import CaseStore, Outcome
from retrieval.store.types import to_utc

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

#: Called after each committed batch with the running batch number (tests use it to
#: interrupt a run; operators could use it for metrics).
BatchHook = Callable[[int], None]

#: (version, updated_at) of a record; people carry neither.
Rank = tuple[int | None, datetime | None]


@dataclass
class _SnapshotState:
    """Keys seen in one system's files, to work out deletions once everything is read."""

    seen: set[tuple[str, str]] = field(default_factory=set)
    protected: set[tuple[str, str]] = field(default_factory=set)
    refused: set[tuple[str, str]] = field(default_factory=set)
    #: Lines whose id could not be read: while any exist, absent items are not deleted.
    unreadable: int = 0
    #: Line number and rank of the copy of each key kept so far (duplicate ids).
    kept: dict[tuple[str, str], tuple[int, Rank]] = field(default_factory=dict)


def _rank(item: Any) -> Rank:
    return (getattr(item, "version", None), getattr(item, "updated_at", None))


def is_older(candidate: Rank, than: Rank) -> bool:
    """True when ``candidate`` is an older version of a record than ``than``: a lower
    ``version``, or (versions equal or missing) an earlier ``updated_at``."""
    (version, updated), (other_version, other_updated) = candidate, than
    if version is not None and other_version is not None and version != other_version:
        return version < other_version
    if updated is not None and other_updated is not None:
        return to_utc(updated) < to_utc(other_updated)
    return False


class Ingestor:
    """Reads an extracts folder into a ``CaseStore`` under an ``InformationSharingPolicy``."""

    def __init__(
        self,
        store: CaseStore,
        policy: InformationSharingPolicy,
        quarantine_dir: Path,
        batch_size: int = 500,
        progress: bool = False,
        after_batch: BatchHook | None = None,
        max_record_chars: int | None = None,
        min_snapshot_ratio: float = 0.5,
        on_wait: Callable[[], None] | None = None,
        relationship_direction: Direction = "theirs_to_me",
        relationship_direction_by_system: Mapping[str, Direction] | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if not 0.0 <= min_snapshot_ratio <= 1.0:
            raise ValueError("min_snapshot_ratio must be between 0 and 1")
        self._store = store
        self._policy = policy
        self._quarantine_dir = Path(quarantine_dir)
        self._batch_size = batch_size
        self._progress = progress
        self._after_batch = after_batch
        self._max_chars = max_record_chars
        self._min_ratio = min_snapshot_ratio
        self._on_wait = on_wait
        self._direction = relationship_direction
        self._direction_by_system = dict(relationship_direction_by_system or {})
        self._allow_deletions = False
        self._batches = 0  # batches committed in the current run

    def ingest(
        self, directory: Path, deletions: Path | None = None, allow_deletions: bool = False
    ) -> IngestReport:
        """Ingest every system extract under ``directory``; returns the run's report.

        ``allow_deletions`` applies snapshot deletions even when a file has unreadable
        lines or is much smaller than what is stored (the operator has checked it).
        """
        directory = Path(directory)
        extracts = find_extracts(directory)
        if deletions is not None and not Path(deletions).is_file():
            raise IngestError(f"deletions file not found: {deletions}")
        with self._store.ingest_lock(self._wait_message):
            abandoned = self._store.close_stale_runs()
            if abandoned:
                log.warning("closed %d ingest run(s) left running by a killed process", abandoned)
            if not allow_deletions:
                self._refuse_shrunken_snapshots(extracts, extracts_root(directory))
            self._allow_deletions = allow_deletions
            return self._run(directory, extracts, deletions)

    def _wait_message(self) -> None:
        log.warning("another ingest is running on this case store; waiting for it to finish")
        if self._on_wait is not None:
            self._on_wait()

    def _refuse_shrunken_snapshots(self, extracts: Sequence[SystemExtract], root: Path) -> None:
        """Refuse, before writing anything, a snapshot that would delete much of a system."""
        for extract in extracts:
            for path, stored in (
                (extract.records, self._store.count_records(source_system=extract.system)),
                (extract.people, self._store.count_people(extract.system)),
            ):
                if path is None or stored == 0:
                    continue
                lines = count_lines(path)
                if lines == 0 or lines < stored * self._min_ratio:
                    raise IngestError(
                        f"{path.relative_to(root)} holds {lines} line(s) but the case store "
                        f"holds {stored} {extract.system} {path.stem}: as a full snapshot it "
                        f"would delete up to {stored - lines}. Nothing was changed. If "
                        f"{extract.system} really removed them, run again with "
                        "--allow-deletions."
                    )

    def _run(
        self, directory: Path, extracts: list[SystemExtract], deletions: Path | None
    ) -> IngestReport:
        self._batches = 0
        run_id = self._store.start_run(str(directory.resolve()))
        report = IngestReport(run_id=run_id, source=str(directory.resolve()))
        quarantine = Quarantine(self._quarantine_dir, run_id)
        root = extracts_root(directory)
        started = time.perf_counter()
        log.info("ingest run %s started: %d system extract(s)", run_id, len(extracts))
        try:
            states: dict[str, tuple[_SnapshotState, _SnapshotState]] = {}
            for extract in extracts:
                states[extract.system] = self._read_system(extract, root, report, quarantine)
            self._apply_snapshot_deletions(extracts, states, report)
            if deletions is not None:
                self._apply_deletions_file(Path(deletions), root, report, quarantine)
        except BaseException as exc:
            report.seconds = time.perf_counter() - started
            status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
            # The class name only: database errors can quote the values they failed on.
            error = str(exc) if isinstance(exc, IngestError) else type(exc).__name__
            report.quarantine_file = quarantine.written
            self._store.finish_run(run_id, status, report.to_dict(), error=error)
            log.warning("ingest run %s %s (%s)", run_id, status, type(exc).__name__)
            raise
        finally:
            quarantine.close()
        report.seconds = time.perf_counter() - started
        report.quarantine_file = quarantine.written
        self._store.finish_run(run_id, "succeeded", report.to_dict())
        log.info(
            "ingest run %s finished: %d records read, %d quarantined line(s)",
            run_id,
            report.totals().records.read,
            report.quarantined,
        )
        return report

    # --- one system -------------------------------------------------------------------------

    def _read_system(
        self, extract: SystemExtract, root: Path, report: IngestReport, quarantine: Quarantine
    ) -> tuple[_SnapshotState, _SnapshotState]:
        counts = report.system(extract.system)
        people_state, record_state = _SnapshotState(), _SnapshotState()
        if extract.people is not None:
            self._read_file(
                self._checked_people(extract, root, counts.people, quarantine),
                extract.people,
                root,
                counts.people,
                people_state,
                quarantine,
                decide=lambda p: self._policy.permits_system(p.source_system),
                write=self._store.upsert_people,
            )
        if extract.records is not None:
            self._read_file(
                read_records(extract.records, extract.system, self._max_chars),
                extract.records,
                root,
                counts.records,
                record_state,
                quarantine,
                decide=self._policy.permits_processing,
                write=self._store.upsert_records,
            )
        return people_state, record_state

    def _checked_people(
        self, extract: SystemExtract, root: Path, counts: Counts, quarantine: Quarantine
    ) -> Iterator[LineResult[Person]]:
        """The system's person lines with relationships in the contract direction, checked
        (``retrieval.ingest.relationships``); a relationship that cannot be true is
        quarantined and dropped, its person kept."""
        assert extract.people is not None
        lines = list(read_people(extract.people, extract.system))
        direction = self._direction_by_system.get(extract.system, self._direction)
        checked, issues = check_relationships(
            [(r.line, r.model) for r in lines if r.model is not None], direction
        )
        raw_of = {r.line: r.raw for r in lines}
        relative = str(extract.people.relative_to(root))
        for issue in issues:
            error = {"field": issue.field, "error": issue.error}
            quarantine.add(relative, issue.line, [error], raw_of[issue.line])
            counts.relationships_quarantined += 1
        for result in lines:
            if result.model is not None:
                result.model = checked[result.line]
            yield result

    def _read_file(
        self,
        lines: Iterator[LineResult[Any]],
        path: Path,
        root: Path,
        counts: Counts,
        state: _SnapshotState,
        quarantine: Quarantine,
        decide: Callable[[Any], Any],
        write: Callable[[Sequence[Any]], list[Outcome]],
    ) -> None:
        system = path.parent.name
        relative = str(path.relative_to(root))
        batch: list[tuple[int, Any]] = []
        bar = tqdm(
            lines,
            desc=f"{system} {path.stem}",
            unit=" lines",
            # None: tqdm shows a bar on a terminal only, never in piped logs.
            disable=None if self._progress else True,
            leave=False,
        )
        for result in bar:
            counts.read += 1
            if result.model is None:
                counts.quarantined += 1
                quarantine.add(relative, result.line, result.errors, result.raw)
                if result.readable_id:
                    state.protected.add((system, result.readable_id))
                else:
                    state.unreadable += 1
                fields = ", ".join(sorted({e["field"] for e in result.errors}))
                log.warning("quarantined %s line %d (fields: %s)", relative, result.line, fields)
                continue
            item = result.model
            key = (item.source_system, _ident(item))
            earlier = state.kept.get(key)
            if earlier is not None:
                counts.duplicates += 1
                older = is_older(_rank(item), earlier[1])
                log.warning(
                    "%s line %d repeats the id of line %d; kept the %s version",
                    relative,
                    result.line,
                    earlier[0],
                    "earlier line's newer" if older else "newer",
                )
                if older:
                    continue
            state.kept[key] = (result.line, _rank(item))
            decision = decide(item)
            if not decision.permitted:
                counts.skipped_by_policy[decision.reason] += 1
                state.refused.add(key)
                state.seen.discard(key)
                continue
            state.refused.discard(key)
            state.seen.add(key)
            batch.append((result.line, item))
            if len(batch) >= self._batch_size:
                self._flush(batch, write, counts, relative)
                batch = []
        if batch:
            self._flush(batch, write, counts, relative)

    def _flush(
        self,
        batch: list[tuple[int, Any]],
        write: Callable[[Sequence[Any]], list[Outcome]],
        counts: Counts,
        relative: str,
    ) -> None:
        items = [item for _, item in batch]
        if items and isinstance(items[0], SourceRecord):
            stored = self._store.record_versions(item.key for item in items)
            keep = []
            for line, item in batch:
                if item.key in stored and is_older(_rank(item), stored[item.key]):
                    counts.older_versions += 1
                    log.warning(
                        "%s line %d is older than the stored version; kept the stored one",
                        relative,
                        line,
                    )
                else:
                    keep.append(item)
            items = keep
        for outcome in write(items) if items else []:
            setattr(counts, outcome.value, getattr(counts, outcome.value) + 1)
        self._batches += 1
        if self._after_batch is not None:
            self._after_batch(self._batches)

    # --- deletions --------------------------------------------------------------------------

    def _apply_snapshot_deletions(
        self,
        extracts: Iterable[SystemExtract],
        states: dict[str, tuple[_SnapshotState, _SnapshotState]],
        report: IngestReport,
    ) -> None:
        for extract in extracts:
            people_state, record_state = states[extract.system]
            counts = report.system(extract.system)
            if extract.records is not None:
                stored = self._store.record_keys(extract.system)
                refused = stored & record_state.refused
                absent = stored - record_state.seen - record_state.protected - refused
                counts.records.removed_by_policy += self._store.delete_records(sorted(refused))
                if self._holds(extract.records, record_state, absent, counts.records):
                    absent = set()
                counts.records.deleted += self._store.delete_records(sorted(absent))
            if extract.people is not None:
                stored_people = self._store.person_keys(extract.system)
                refused = stored_people & people_state.refused
                absent = stored_people - people_state.seen - people_state.protected - refused
                counts.people.removed_by_policy += self._store.delete_people(sorted(refused))
                if self._holds(extract.people, people_state, absent, counts.people):
                    absent = set()
                counts.people.deleted += self._store.delete_people(sorted(absent))

    def _holds(self, path: Path, state: _SnapshotState, absent: set[Any], counts: Counts) -> bool:
        """Whether to keep ``absent`` items: the file had lines whose id could not be read,
        so any of them might be one of these (unless the operator allowed deletions)."""
        if not absent or not state.unreadable or self._allow_deletions:
            return False
        counts.deletions_held = len(absent)
        log.warning(
            "%s/%s: %d line(s) without a readable id, so %d absent item(s) were not deleted "
            "(re-run with --allow-deletions to delete them)",
            path.parent.name,
            path.name,
            state.unreadable,
            len(absent),
        )
        return True

    def _apply_deletions_file(
        self, path: Path, root: Path, report: IngestReport, quarantine: Quarantine
    ) -> None:
        keys: dict[str, set[tuple[str, str]]] = {}
        for result in read_deletions(path):
            if result.model is None:
                report.deletions_quarantined += 1
                quarantine.add(str(path), result.line, result.errors, result.raw)
                continue
            keys.setdefault(result.model.source_system, set()).add(result.model.key)
        for system, system_keys in sorted(keys.items()):
            report.system(system).records.deleted += self._store.delete_records(sorted(system_keys))


def _ident(item: SourceRecord | Person) -> str:
    return item.record_id if isinstance(item, SourceRecord) else item.person_id
