"""``redact all``: bring the pseudonymised table in step with the stored records.

A record is (re)done when it is new, its content changed, what the store knows about its
family changed, or the redactor version changed. Rows whose record is gone or no longer
permitted are removed. Work goes in batches (one Presidio batch, one transaction each),
so an interrupted run keeps what it finished and the next run carries on.

A record that cannot be processed (longer than ``max_chars``, or one the NER model fails
on) is skipped and reported by key and reason, never by content, and the run goes on; the
next run tries it again. Failures of the machine (disk, memory) still stop the run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from time import perf_counter
from typing import Any, Protocol

from redaction.context import RecordContext
from redaction.pseudonymiser import REDACTOR_VERSION, Pseudonymiser
from retrieval.errors import is_environmental, safe_reason
from retrieval.policy import InformationSharingPolicy
from retrieval.records import SourceRecord
from retrieval.store.redaction_store import (
    PlaceholderEntry,
    PseudonymisedRow,
    RecordKey,
    RedactionState,
)

log = logging.getLogger(__name__)


class RedactionTarget(Protocol):
    """The store methods ``redact_all`` uses (``CaseStore`` implements them)."""

    def iter_records(self, source_system: str | None = None) -> Iterator[SourceRecord]: ...

    def record_content_hashes(self) -> dict[RecordKey, str]: ...

    def redaction_states(self) -> dict[RecordKey, RedactionState]: ...

    def save_pseudonymised(
        self, rows: Sequence[PseudonymisedRow], placeholders: Sequence[PlaceholderEntry] = ()
    ) -> None: ...

    def delete_pseudonymised(self, keys: Sequence[RecordKey]) -> int: ...


@dataclass
class RedactAllReport:
    records: int = 0
    redacted_new: int = 0
    redacted_changed: int = 0
    unchanged: int = 0
    not_permitted: int = 0
    removed_stale: int = 0
    replacements: int = 0
    seconds: float = 0.0
    by_source: dict[str, int] = field(default_factory=dict)
    #: Records skipped because they could not be processed: "SYSTEM:id" -> reason.
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def notes_per_second(self) -> float:
        done = self.redacted_new + self.redacted_changed
        return round(done / self.seconds, 1) if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "notes_per_second": self.notes_per_second}


def redact_all(
    store: RedactionTarget,
    pseudonymiser: Pseudonymiser,
    policy: InformationSharingPolicy,
    *,
    batch_size: int = 64,
    progress: Callable[[int], None] | None = None,
    force: bool = False,
    on_saved: Callable[[list[RecordKey]], None] | None = None,
    max_chars: int | None = None,
) -> RedactAllReport:
    """Pseudonymise every stored record ``policy`` permits for processing that is new or
    stale; remove orphans and rows of records it no longer permits. There is no way to
    skip the policy check.

    ``progress(n)`` is called after each record considered; ``on_saved(keys)`` after each
    batch is committed (``retrieval.index.background`` indexes them meanwhile). Records
    with a text or title longer than ``max_chars``, or that the pseudonymiser fails on,
    are skipped and listed in ``report.skipped`` with the reason.
    """
    started = perf_counter()
    report = RedactAllReport()
    states = store.redaction_states()
    current = store.record_content_hashes()
    stale = [k for k in states if k not in current]
    batch: list[SourceRecord] = []
    batch_contexts: list[RecordContext] = []
    # Permitted records wait here so their contexts are looked up together (one store
    # query per chunk, not two per record); each context is built once and reused.
    pending: list[SourceRecord] = []

    def skip(record: SourceRecord, reason: str, counted: bool = False) -> None:
        key = f"{record.source_system}:{record.record_id}"
        report.skipped[key] = reason
        if counted:  # it was counted as to be redacted
            if record.key in states:
                report.redacted_changed -= 1
            else:
                report.redacted_new -= 1
        log.warning("redaction skipped record %s: %s", key, reason)

    def pseudonymise(records: list[SourceRecord], contexts: list[RecordContext]) -> list[Any]:
        """The batch at once; if that fails, record by record, skipping the ones that fail."""
        try:
            return list(pseudonymiser.pseudonymise_many(records, contexts))
        except Exception as exc:
            if is_environmental(exc):
                raise
            if len(records) == 1:
                skip(records[0], safe_reason(exc), counted=True)
                return []
        results: list[Any] = []
        for record, context in zip(records, contexts, strict=True):
            results.extend(pseudonymise([record], [context]))
        return results

    def flush() -> None:
        if not batch:
            return
        results = pseudonymise(list(batch), list(batch_contexts))
        placeholders = [p for r in results for p in r.new_placeholders]
        if results:
            store.save_pseudonymised([r.row for r in results], placeholders)
        if on_saved is not None and results:
            on_saved([r.row.key for r in results])
        for result in results:
            report.replacements += len(result.replacements)
            for replacement in result.replacements:
                report.by_source[replacement.source] = (
                    report.by_source.get(replacement.source, 0) + 1
                )
        batch.clear()
        batch_contexts.clear()

    def consider_pending() -> None:
        if not pending:
            return
        for record, context in zip(pending, pseudonymiser.contexts_for(pending), strict=True):
            key = record.key
            state = states.get(key)
            if (
                not force
                and state is not None
                and state.source_content_hash == current.get(key)
                and state.context_hash == context.context_hash
                and state.redactor_version == REDACTOR_VERSION
            ):
                report.unchanged += 1
            elif max_chars is not None and max(len(record.text), len(record.title)) > max_chars:
                skip(record, f"longer than {max_chars} characters")
            else:
                if state is None:
                    report.redacted_new += 1
                else:
                    report.redacted_changed += 1
                batch.append(record)
                batch_contexts.append(context)
                if len(batch) >= batch_size:
                    flush()
            if progress is not None:
                progress(1)
        pending.clear()

    for record in store.iter_records():
        report.records += 1
        if not policy.permits_processing(record).permitted:
            report.not_permitted += 1
            if record.key in states:
                stale.append(record.key)
            if progress is not None:
                progress(1)
        else:
            pending.append(record)
            if len(pending) >= batch_size:
                consider_pending()
    consider_pending()
    flush()
    if stale:
        report.removed_stale = store.delete_pseudonymised(sorted(set(stale)))
    report.seconds = round(perf_counter() - started, 3)
    return report
