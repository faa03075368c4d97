"""The append-only, tamper-evident audit log in the case store database.

Every question, answer, record view, subject search, draft and sign-off is appended with
user, role, subject, purpose, time, the records shown and any break-glass reason. Each
entry stores the SHA-256 of its canonical JSON including the previous entry's hash, and
sequence numbers have no gaps, so ``verify`` finds the first edited or deleted entry.

What is stored (a governance record on the council's own database, protected like the
case store itself): the question exactly as typed, because an auditor has to judge what
was asked and why; record ids, never record text or answer text. Nothing from here goes to
log lines; errors name sequence numbers only.
"""

from __future__ import annotations

import csv
import random
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from api.audit.chain import GENESIS_HASH, HASHED_FIELDS, entry_hash
from api.audit.seal import AuditSeal, SealError
from retrieval.files import open_private
from retrieval.store.audit_store import AuditRows

Action = Literal[
    "question",
    "answer",
    "record_view",
    "subject_search",
    "draft",
    "sign_off",
    "denied",
    "audit_export",
    "link_review",
    "overview",
    "timeline",
    "whats_new",
    "answer_copy",
    "answer_export",
    "feedback",
    "conversation_view",
    "conversation_delete",
    "conversation_purge",
]
ACTIONS: frozenset[str] = frozenset(Action.__args__)  # type: ignore[attr-defined]
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_RETRIES = 8

#: Columns of the monthly CSV export, in order.
EXPORT_COLUMNS: tuple[str, ...] = (*HASHED_FIELDS, "prev_hash", "entry_hash")


class AuditError(Exception):
    """The entry could not be written; the caller must not show what it was about to show.

    Not a ``RuntimeError``: nothing that handles a generic runtime failure may mistake a
    failed audit write for something it can work around."""


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    user: str
    role: str
    action: str
    subject: str | None
    purpose: str | None
    record_ids: list[str]
    break_glass_reason: str | None
    question: str | None
    outcome: str
    detail: dict[str, Any]
    prev_hash: str
    entry_hash: str


@dataclass
class VerifyReport:
    """Result of walking the chain: ``ok``, how many entries, and the first problem."""

    entries: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    first_broken_seq: int | None = None
    problem: str | None = None
    problems: list[str] = field(default_factory=list)
    #: Checked against the signed checkpoints (an audit key was configured).
    sealed: bool = False
    #: The highest signed sequence number, and where the checkpoints start.
    signed_head_seq: int | None = None
    sealed_from_seq: int | None = None
    #: An entry signed but never committed, just past the end of the log: its writer
    #: stopped between the two (killed, or the database refused the commit). Nothing is
    #: missing; the next entry takes its number.
    unfinished_seq: int | None = None

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None and not self.problems

    @property
    def state(self) -> str:
        """``intact``, ``incomplete`` (intact, with one unfinished write) or ``tampered``."""
        if not self.ok:
            return "tampered"
        return "incomplete" if self.unfinished_seq is not None else "intact"

    def flag(self, seq: int, problem: str) -> None:
        if self.first_broken_seq is None or seq < self.first_broken_seq:
            self.first_broken_seq, self.problem = seq, problem
        self.problems.append(problem)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok, "state": self.state}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def parse_month(month: str) -> tuple[str, str]:
    """``2026-11`` -> ISO bounds [start, end) for comparing the stored ``at`` text."""
    match = _MONTH.match(month.strip())
    if not match:
        raise ValueError("month must look like 2026-11 (YYYY-MM)")
    year, mon = int(match.group(1)), int(match.group(2))
    start = datetime(year, mon, 1, tzinfo=UTC)
    end = datetime(year + (mon == 12), 1 if mon == 12 else mon + 1, 1, tzinfo=UTC)
    return start.isoformat(), end.isoformat()


class AuditLog:
    """Appends and checks audit entries, over the case store's ``audit_rows``."""

    def __init__(self, rows: AuditRows, seal: AuditSeal | None = None) -> None:
        """``seal`` (see ``api.audit.seal``) signs every entry with a key held outside the
        database; without it the log is hash-chained only."""
        self._rows = rows
        self._seal = seal
        if seal is not None and seal.created:
            seal.start(*(rows.head() or (0, GENESIS_HASH)))

    def append(
        self,
        *,
        user: str,
        role: str,
        action: str,
        subject: str | None = None,
        purpose: str | None = None,
        record_ids: Sequence[str] = (),
        break_glass_reason: str | None = None,
        question: str | None = None,
        outcome: str = "ok",
        detail: dict[str, Any] | None = None,
    ) -> AuditEntry:
        """Write one entry in its own transaction; raises ``AuditError`` if it cannot."""
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}; expected one of {sorted(ACTIONS)}")
        if not user or not role:
            raise ValueError("an audit entry needs a user and a role")
        values: dict[str, Any] = {
            "at": _now(),
            "user": user,
            "role": role,
            "action": action,
            "subject": subject,
            "purpose": purpose,
            "record_ids": list(dict.fromkeys(record_ids)),
            "break_glass_reason": break_glass_reason,
            "question": question,
            "outcome": outcome,
            "detail": dict(detail or {}),
        }
        last_error: Exception | None = None
        for attempt in range(_RETRIES):
            if attempt:  # another process took the number: back off a little, at random
                time.sleep(random.uniform(0, 0.005 * 2**attempt))
            try:
                with self._rows.writer:
                    with self._rows.next_entry() as slot:
                        seq, prev = (
                            (1, GENESIS_HASH)
                            if slot.head is None
                            else (slot.head[0] + 1, slot.head[1])
                        )
                        row = {**values, "seq": seq, "prev_hash": prev}
                        row["entry_hash"] = entry_hash(row)
                        slot.insert(row)
                        if self._seal is not None:
                            # Signed while this transaction holds the sequence number, so
                            # only the writer that commits it signs it.
                            self._seal.sign(seq, row["entry_hash"])
                    if self._seal is not None:  # committed: a kill before this line is an
                        self._seal.committed(seq, row["entry_hash"])  # unfinished write
                return AuditEntry(**row)
            except IntegrityError as exc:  # another writer took this sequence number
                last_error = exc
            except (SQLAlchemyError, SealError) as exc:
                raise AuditError(f"audit entry ({action}) could not be written") from exc
        raise AuditError(f"audit entry ({action}) could not be written") from last_error

    def entries(self, since: str | None = None, until: str | None = None) -> Iterator[AuditEntry]:
        """Entries in sequence order, optionally with ``since <= at < until`` (ISO text)."""
        last = 0
        while True:
            rows = self._rows.page(last, since, until)
            if not rows:
                return
            for row in rows:
                last = int(row["seq"])
                yield AuditEntry(**{k: row[k] for k in AuditEntry.__dataclass_fields__})

    def latest(self, user: str, action: str, limit: int = 1) -> list[AuditEntry]:
        """``user``'s most recent ``action`` entries, newest first (when they last looked at
        What's new; the answers they were shown, for feedback and exports)."""
        rows = self._rows.latest(user, action, limit)
        return [AuditEntry(**{k: row[k] for k in AuditEntry.__dataclass_fields__}) for row in rows]

    def count(self) -> int:
        return self._rows.count()

    def verify(self) -> VerifyReport:
        """Walk the chain; report the first entry that was edited, removed or re-ordered.

        With a seal, also check the entries against the signed checkpoints: the last
        entries or all of them deleted, a chain rebuilt after an edit, or an entry appended
        without the key. Raises ``SealError`` or ``SQLAlchemyError`` when the key,
        checkpoints or database cannot be read (that is not evidence of tampering).
        """
        report = VerifyReport()
        signed: dict[int, set[str]] = {}
        committed: dict[int, set[str]] = {}
        start: tuple[int, str] | None = None
        if self._seal is not None:
            report.sealed = True
            for point in self._seal.checkpoints():
                if not point.valid:
                    report.flag(
                        max(point.seq, 0),
                        f"checkpoint {point.source} line {point.line} is not signed by the "
                        "audit key (forged or edited)",
                    )
                elif point.kind == "start":
                    start = start or (point.seq, point.entry_hash)
                elif point.kind == "commit":
                    committed.setdefault(point.seq, set()).add(point.entry_hash)
                else:
                    signed.setdefault(point.seq, set()).add(point.entry_hash)
            if start is None:
                report.flag(0, "the checkpoint file has no start line (removed or replaced)")
            else:
                report.sealed_from_seq = start[0]
            report.signed_head_seq = max([*signed, start[0] if start else 0])
        self._walk(report, signed, start)
        if self._seal is not None and (report.signed_head_seq or 0) > report.head_seq:
            if _unfinished(report, signed, committed, start):
                report.unfinished_seq = report.head_seq + 1
                return report
            report.flag(
                report.head_seq + 1,
                f"entries {report.head_seq + 1}..{report.signed_head_seq} were deleted "
                f"(signed up to {report.signed_head_seq}, the log ends at {report.head_seq})",
            )
        return report

    def _walk(
        self, report: VerifyReport, signed: dict[int, set[str]], start: tuple[int, str] | None
    ) -> None:
        sealed_from = start[0] if start is not None else None
        expected_seq, prev = 1, GENESIS_HASH
        for entry in self.entries():
            report.entries += 1
            row = asdict(entry)
            problems = []
            if entry.seq != expected_seq:
                problems.append(
                    f"entries {expected_seq}..{entry.seq - 1} are missing (deleted)"
                    if entry.seq > expected_seq
                    else f"entry {entry.seq} is out of sequence"
                )
            if entry.prev_hash != prev:
                problems.append(f"entry {entry.seq} does not follow the previous entry's hash")
            if entry_hash(row) != entry.entry_hash:
                problems.append(f"entry {entry.seq} was changed after it was written")
            if sealed_from is not None and start is not None:
                if entry.seq == sealed_from and entry.entry_hash != start[1]:
                    problems.append(f"entry {entry.seq} differs from the signed start checkpoint")
                elif entry.seq > sealed_from and entry.entry_hash not in signed.get(entry.seq, ()):
                    problems.append(
                        f"entry {entry.seq} differs from its signed checkpoint "
                        "(edited and re-chained)"
                        if entry.seq in signed
                        else f"entry {entry.seq} is not signed (written without the audit key)"
                    )
            for problem in problems:
                report.flag(min(entry.seq, expected_seq), problem)
            expected_seq, prev = entry.seq + 1, entry.entry_hash
            report.head_seq, report.head_hash = entry.seq, entry.entry_hash

    def export_month(self, month: str, out: Path) -> int:
        """Write the month's entries (UTC) as CSV for the monthly audit; returns the count."""
        since, until = parse_month(month)
        count = 0
        with open_private(out, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(EXPORT_COLUMNS)
            for entry in self.entries(since, until):
                row = asdict(entry)
                row["record_ids"] = " ".join(entry.record_ids)
                row["detail"] = _flat(entry.detail)
                writer.writerow(["" if row[c] is None else row[c] for c in EXPORT_COLUMNS])
                count += 1
        return count


def _unfinished(
    report: VerifyReport,
    signed: dict[int, set[str]],
    committed: dict[int, set[str]],
    start: tuple[int, str] | None,
) -> bool:
    """The only signed entry past the log's end is the next number, was never committed,
    and the log's last entry was (or is the start): a writer stopped between signing and
    committing. A deleted entry had committed, so it is never mistaken for this."""
    beyond = sorted(seq for seq in signed if seq > report.head_seq)
    if beyond != [report.head_seq + 1] or committed.get(beyond[0]):
        return False
    at_start = start is not None and start[0] == report.head_seq
    return at_start or report.head_seq in committed


def _flat(detail: dict[str, Any]) -> str:
    return "; ".join(f"{k}={detail[k]}" for k in sorted(detail))
