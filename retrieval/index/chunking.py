"""Split pseudonymised records into chunks that never cross a record boundary.

Each record is split on its own (llama-index ``SentenceSplitter``), so a chunk carries
exactly one record's payload. Point ids are stable (uuid5 of system, record id, chunk
number), so re-indexing a record overwrites its points instead of duplicating them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from retrieval.pseudonymised import PseudonymisedRecord

_NAMESPACE = uuid.UUID("5d6c3a52-7f0e-4c57-9a51-2c1b4f6f0b11")
#: Payload fields with a keyword/integer index (the ones filters use).
KEYWORD_FIELDS: tuple[str, ...] = (
    "record_key",
    "source_system",
    "record_type",
    "sensitivity",
    "policy_tags",
    "linked_person_ids",
    "family_ids",
)
INTEGER_FIELDS: tuple[str, ...] = ("chunk_index", "occurred_ts", "recorded_ts")


def record_key(source_system: str, record_id: str) -> str:
    """One string key per record, used in payloads and sync bookkeeping."""
    return f"{source_system}:{record_id}"


def point_id(source_system: str, record_id: str, chunk_index: int) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{source_system}\x1f{record_id}\x1f{chunk_index}"))


def _timestamp(value: date | datetime) -> tuple[str, int]:
    """ISO text for display and an integer (UTC epoch seconds) for sorting and ranges."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return value.isoformat(), int(aware.timestamp())


@dataclass(frozen=True)
class Chunk:
    id: str
    text: str  # pseudonymised title + chunk text: what is embedded
    payload: dict[str, Any]


#: How much of the record before a chunk its payload keeps (``lead_in``), in characters.
LEAD_IN_CHARS = 1200


def _lead_ins(text: str, pieces: list[str]) -> list[str]:
    """For each chunk, the record's text just before it (at most ``LEAD_IN_CHARS``, cut at
    a line or sentence start): the section heading and lines a chunk that starts mid-record
    stands under, so a sentence in it is read in its place ("Father's view", "Analysis").
    Pseudonymised record text already in the index, never embedded; empty for the first
    chunk and wherever a chunk cannot be found in the text."""
    out: list[str] = []
    cursor = 0
    for piece in pieces:
        head = piece.strip()[:40]
        start = text.find(head, cursor) if head else -1
        if start <= 0:
            out.append("")
            continue
        cursor = start
        before = text[max(0, start - LEAD_IN_CHARS) : start]
        if start > LEAD_IN_CHARS:
            # Drop the partial first line or sentence the cut left.
            starts = [i for i in (before.find("\n"), before.find(". ")) if i >= 0]
            before = before[min(starts) + 1 :] if starts else ""
        out.append(before)
    return out


class RecordChunker:
    """Chunks one record at a time with a llama-index sentence splitter."""

    def __init__(self, chunk_size: int = 256, chunk_overlap: int = 32) -> None:
        from llama_index.core.node_parser import SentenceSplitter

        if chunk_overlap >= chunk_size:
            raise ValueError("chunk_overlap must be smaller than chunk_size")
        self._splitter = SentenceSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap)

    def chunk(self, record: PseudonymisedRecord) -> list[Chunk]:
        pieces = [p for p in self._splitter.split_text(record.text) if p.strip()] or [""]
        occurred, occurred_ts = _timestamp(record.occurred_at)
        recorded, recorded_ts = _timestamp(record.recorded_at)
        base = {
            "record_key": record_key(record.source_system, record.record_id),
            "record_id": record.record_id,
            "source_system": record.source_system,
            "record_type": record.record_type,
            "occurred_at": occurred,
            "occurred_ts": occurred_ts,
            "recorded_at": recorded,
            "recorded_ts": recorded_ts,
            "linked_person_ids": sorted(set(record.linked_person_ids)),
            "family_ids": sorted(set(record.family_ids)),
            "sensitivity": record.sensitivity,
            "policy_tags": sorted(set(record.policy_tags)),
            "author_role": record.author_role,
            "title": record.title,
            "source_url": record.source_url,
            "source_hash": record.source_hash,
            "chunk_count": len(pieces),
        }
        chunks = []
        lead_ins = _lead_ins(record.text, pieces)
        for index, (piece, lead_in) in enumerate(zip(pieces, lead_ins, strict=True)):
            payload = {**base, "chunk_index": index, "text": piece, "lead_in": lead_in}
            text = f"{record.title}\n{piece}" if record.title else piece
            ident = point_id(record.source_system, record.record_id, index)
            chunks.append(Chunk(ident, text, payload))
        return chunks
