"""Pseudonymised records out of redaction: the part of the case store redaction writes.

``PseudonymStore`` keeps the pseudonymised records, their sealed vault entries and the
per-family placeholder registry (what redaction knows of a family in comes from
``LinkageStore.family_people``). It implements
``retrieval.pseudonymised.PseudonymisedSource``, the only way the index reads text. It
stores sealed bytes and keyed hashes; it never sees keys.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Table, select, tuple_

from retrieval.pseudonymised import PseudonymisedRecord, RecordKey
from retrieval.store import redaction_models as rm
from retrieval.store.engine import StorePart
from retrieval.store.linkage_store import FamilyPeople as FamilyPeople  # redaction reads it here
from retrieval.store.sql import delete_keys, insert_many
from retrieval.store.types import utc_now

PSEUDONYMISED: Table = rm.PseudonymisedRecordRow.__table__  # type: ignore[assignment]
PLACEHOLDERS: Table = rm.RedactionPlaceholderRow.__table__  # type: ignore[assignment]
_PAGE = 500
#: Everything the index reads of a pseudonymised row: the sealed vault stays unread.
_INDEXED_COLUMNS = [c for c in PSEUDONYMISED.c if c.name != "vault"]


@dataclass(frozen=True)
class RedactionState:
    """What a stored pseudonymisation was made from (to tell whether it is stale)."""

    source_content_hash: str
    context_hash: str
    redactor_version: str


@dataclass(frozen=True)
class PseudonymisedRow:
    """One pseudonymised record as redaction writes it."""

    source_system: str
    record_id: str
    record_type: str
    occurred_at: Any
    recorded_at: Any
    sensitivity: str
    title: str
    text: str
    source_url: str
    author_role: str | None
    policy_tags: tuple[str, ...]
    linked_person_ids: tuple[str, ...]
    family_ids: tuple[str, ...]
    source_content_hash: str
    context_hash: str
    redactor_version: str
    vault: bytes

    @property
    def key(self) -> RecordKey:
        return (self.source_system, self.record_id)


@dataclass(frozen=True)
class PlaceholderEntry:
    """``[label number]`` stands for the value whose keyed hash is ``value_hmac``."""

    family_key: str
    value_hmac: str
    label: str
    number: int


def exposed_source_hash(state: RedactionState) -> str:
    """The ``source_hash`` the index sees: changes when the record, the family knowledge
    or the redactor changed, i.e. whenever the pseudonymised text may have changed."""
    raw = f"{state.source_content_hash}:{state.context_hash}:{state.redactor_version}"
    return hashlib.sha256(raw.encode("ascii")).hexdigest()


class PseudonymStore(StorePart):
    """Pseudonymised records with their sealed vault entries, and the placeholder registry."""

    # --- placeholder registry ------------------------------------------------------------

    def placeholders_of(self, family_key: str) -> list[PlaceholderEntry]:
        query = select(PLACEHOLDERS).where(PLACEHOLDERS.c.family_key == family_key)
        with self._engine.connect() as conn:
            return [
                PlaceholderEntry(r.family_key, r.value_hmac, r.label, r.number)
                for r in conn.execute(query)
            ]

    # --- pseudonymised records -----------------------------------------------------------

    def save_pseudonymised(
        self, rows: Sequence[PseudonymisedRow], placeholders: Sequence[PlaceholderEntry] = ()
    ) -> None:
        """Insert or replace pseudonymised records and add new placeholders, in one
        transaction (so a record never points at a placeholder that was not stored)."""
        now = utc_now()
        values = []
        for row in rows:
            value = asdict(row)
            for name in ("policy_tags", "linked_person_ids", "family_ids"):
                value[name] = list(value[name])
            value["created_at"] = now
            values.append(value)
        with self._engine.begin() as conn:
            if placeholders:
                known = {
                    (f, h)
                    for f, h in conn.execute(
                        select(PLACEHOLDERS.c.family_key, PLACEHOLDERS.c.value_hmac).where(
                            PLACEHOLDERS.c.family_key.in_({p.family_key for p in placeholders})
                        )
                    )
                }
                insert_many(
                    conn,
                    PLACEHOLDERS,
                    [asdict(p) for p in placeholders if (p.family_key, p.value_hmac) not in known],
                )
            delete_keys(conn, PSEUDONYMISED, "record_id", [r.key for r in rows])
            insert_many(conn, PSEUDONYMISED, values)

    def delete_pseudonymised(self, keys: Iterable[RecordKey]) -> int:
        with self._engine.begin() as conn:
            return delete_keys(conn, PSEUDONYMISED, "record_id", list(keys))

    def redaction_states(self) -> dict[RecordKey, RedactionState]:
        query = select(
            PSEUDONYMISED.c.source_system,
            PSEUDONYMISED.c.record_id,
            PSEUDONYMISED.c.source_content_hash,
            PSEUDONYMISED.c.context_hash,
            PSEUDONYMISED.c.redactor_version,
        )
        with self._engine.connect() as conn:
            return {(s, r): RedactionState(h, c, v) for s, r, h, c, v in conn.execute(query)}

    def count_pseudonymised(self) -> int:
        return len(self.redaction_states())

    def get_pseudonymised(
        self, source_system: str, record_id: str
    ) -> tuple[PseudonymisedRecord, bytes] | None:
        """The pseudonymised record and its sealed vault entry, or None."""
        query = select(PSEUDONYMISED).where(
            PSEUDONYMISED.c.source_system == source_system,
            PSEUDONYMISED.c.record_id == record_id,
        )
        with self._engine.connect() as conn:
            row = conn.execute(query).one_or_none()
        return None if row is None else (_to_contract(row), bytes(row.vault))

    # --- PseudonymisedSource -------------------------------------------------------------

    def iter_pseudonymised(self) -> Iterator[PseudonymisedRecord]:
        """Every pseudonymised record, page by page (the vault column is not read)."""
        last: tuple[str, str] = ("", "")
        while True:
            query = (
                select(*_INDEXED_COLUMNS)
                .where(
                    (PSEUDONYMISED.c.source_system > last[0])
                    | (
                        (PSEUDONYMISED.c.source_system == last[0])
                        & (PSEUDONYMISED.c.record_id > last[1])
                    )
                )
                .order_by(PSEUDONYMISED.c.source_system, PSEUDONYMISED.c.record_id)
                .limit(_PAGE)
            )
            with self._engine.connect() as conn:
                page = conn.execute(query).all()
            if not page:
                return
            for row in page:
                last = (row.source_system, row.record_id)
                yield _to_contract(row)

    def pseudonymised_records(self, keys: Iterable[RecordKey]) -> list[PseudonymisedRecord]:
        """The pseudonymised records with these keys (missing ones are left out)."""
        wanted = sorted(set(keys))
        out: list[PseudonymisedRecord] = []
        for start in range(0, len(wanted), _PAGE):
            page = wanted[start : start + _PAGE]
            query = select(*_INDEXED_COLUMNS).where(
                tuple_(PSEUDONYMISED.c.source_system, PSEUDONYMISED.c.record_id).in_(page)
            )
            with self._engine.connect() as conn:
                out.extend(_to_contract(row) for row in conn.execute(query))
        return out

    def pseudonymised_keys(self) -> dict[RecordKey, str]:
        return {key: exposed_source_hash(state) for key, state in self.redaction_states().items()}


def _to_contract(row: Any) -> PseudonymisedRecord:
    state = RedactionState(row.source_content_hash, row.context_hash, row.redactor_version)
    return PseudonymisedRecord(
        source_system=row.source_system,
        record_id=row.record_id,
        record_type=row.record_type,
        occurred_at=row.occurred_at,
        recorded_at=row.recorded_at,
        sensitivity=row.sensitivity,
        title=row.title,
        text=row.text,
        source_url=row.source_url,
        author_role=row.author_role,
        policy_tags=tuple(row.policy_tags or ()),
        linked_person_ids=tuple(row.linked_person_ids or ()),
        family_ids=tuple(row.family_ids or ()),
        source_hash=exposed_source_hash(state),
        prepared_at=row.created_at,
    )
