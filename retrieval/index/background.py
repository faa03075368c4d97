"""Index records on a worker thread while redaction goes on, then make the index exact.

Redaction (spaCy, Presidio: Python holding the GIL) and embedding (ONNX Runtime or torch:
native code that releases it) use different cores, so overlapping them nearly halves the
wall time of ``redact all`` followed by ``index sync`` on a two-core machine. Only
records already pseudonymised and saved are indexed (the worker reads them back from the
store by key), so nothing unredacted can reach the index. ``finish`` ends with an
ordinary ``sync_index``: whatever the worker missed or a failure left half-written is
put right there, so the result is the same index ``index sync`` would build.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from retrieval.index.chunking import record_key
from retrieval.index.sync import IndexWriter, SyncReport, sync_index
from retrieval.pseudonymised import PseudonymisedRecord, PseudonymisedSource, RecordKey


class PseudonymisedLookup(PseudonymisedSource, Protocol):
    """A pseudonymised source that can also read given records back (``CaseStore``)."""

    def pseudonymised_records(self, keys: Sequence[RecordKey]) -> list[PseudonymisedRecord]: ...


class BackgroundIndexError(RuntimeError):
    """The indexing worker failed; the message names the error type, never record text."""


@dataclass
class BackgroundReport:
    """What the worker did, and the closing sync that made the index exact."""

    batches: int = 0
    records: int = 0
    chunks_written: int = 0
    worker_seconds: float = 0.0
    final_sync: SyncReport | None = None

    def as_dict(self) -> dict[str, object]:
        final = self.final_sync.as_dict() if self.final_sync else None
        return {
            "batches": self.batches,
            "records": self.records,
            "chunks_written": self.chunks_written,
            "worker_seconds": round(self.worker_seconds, 3),
            "final_sync": final,
        }


class BackgroundIndexer:
    """Call ``submit(keys)`` after each saved redaction batch, then ``finish()``.

    At most ``max_pending`` batches wait (``submit`` blocks beyond that), so memory stays
    bounded however far redaction runs ahead. Use as a context manager: leaving it with
    an exception stops the worker without the closing sync.
    """

    def __init__(
        self, writer: IndexWriter, source: PseudonymisedLookup, max_pending: int = 4
    ) -> None:
        if max_pending < 1:
            raise ValueError("max_pending must be at least 1")
        self.writer = writer
        self.source = source
        self.report = BackgroundReport()
        # Batches of keys; None tells the worker to stop.
        self._queue: queue.Queue[list[RecordKey] | None] = queue.Queue(maxsize=max_pending)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="caselens-indexer", daemon=True)
        self._thread.start()
        self._closed = False

    def _run(self) -> None:
        while True:
            keys = self._queue.get()
            if keys is None:
                return
            if self._error is not None:
                continue  # drain after a failure; the closing sync redoes the work
            started = time.perf_counter()
            try:
                records = self.source.pseudonymised_records(keys)
                # A changed record loses its old chunks before the new ones are written.
                self.writer.store.delete_records(sorted({record_key(*k) for k in keys}))
                self.report.chunks_written += self.writer.write(records)
                self.report.records += len(records)
                self.report.batches += 1
            except BaseException as exc:  # re-raised in the caller's thread
                self._error = exc
            finally:
                self.report.worker_seconds += time.perf_counter() - started

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise BackgroundIndexError(
                f"background indexing failed: {type(self._error).__name__}"
            ) from self._error

    def submit(self, keys: Sequence[RecordKey]) -> None:
        """Queue the keys of records just pseudonymised and saved."""
        if self._closed:
            raise RuntimeError("the background indexer is finished")
        self._raise_if_failed()
        if keys:
            self._queue.put(list(keys))

    def _stop(self) -> None:
        if not self._closed:
            self._closed = True
            self._queue.put(None)
            self._thread.join()

    def finish(self) -> BackgroundReport:
        """Wait for the worker, raise its error if any, then sync the index exactly."""
        self._stop()
        self._raise_if_failed()
        self.report.final_sync = sync_index(self.writer, self.source)
        self.report.chunks_written += self.report.final_sync.chunks_written
        return self.report

    def __enter__(self) -> BackgroundIndexer:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._stop()
