"""Reading JSON Lines files that hold plain rows (estate gold files, evaluation outputs).

Source-system extracts are read by ``retrieval.ingest.reader.read_jsonl``, which validates
each line against the record contract and quarantines bad ones; this reader is for files
caselens or its estate generator wrote itself, where a bad line is an error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def jsonl_rows(path: Path) -> Iterator[dict[str, Any]]:
    """Each non-blank line of ``path`` as a dict; a line that is not JSON raises
    ``ValueError`` naming the file and line number (never the line's content)."""
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{Path(path).name} line {number}: not valid JSON") from exc
