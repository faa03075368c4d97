"""The hash chain: canonical JSON of an entry plus the previous entry's hash, SHA-256.

Kept separate from storage so ``verify`` and any external checker (an auditor re-hashing an
export) use exactly the same rule.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

#: The previous hash of entry 1.
GENESIS_HASH = "0" * 64

#: Fields covered by the hash, in addition to ``prev_hash``.
HASHED_FIELDS: tuple[str, ...] = (
    "seq",
    "at",
    "user",
    "role",
    "action",
    "subject",
    "purpose",
    "record_ids",
    "break_glass_reason",
    "question",
    "outcome",
    "detail",
)


def canonical_json(entry: Mapping[str, Any]) -> str:
    """Sorted keys, no spaces, UTF-8 kept: the same entry always gives the same text."""
    body = {name: entry[name] for name in HASHED_FIELDS}
    body["prev_hash"] = entry["prev_hash"]
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(entry: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the entry's canonical JSON, which includes ``prev_hash``."""
    return hashlib.sha256(canonical_json(entry).encode("utf-8")).hexdigest()
