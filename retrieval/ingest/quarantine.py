"""Quarantine: bad extract lines kept aside, whole, for a data steward to fix and resend.

One JSONL file per run, created only when something is quarantined, readable by its owner
only (raw lines may hold personal data; that is why they live here and not in logs).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO

from retrieval.files import private_dir


class Quarantine:
    def __init__(self, directory: Path, run_id: int) -> None:
        self.path = Path(directory) / f"ingest-run-{run_id:06d}.jsonl"
        self.count = 0
        self._handle: IO[str] | None = None

    def add(self, file: str, line: int, errors: list[dict[str, str]], raw: str) -> None:
        if self._handle is None:
            private_dir(self.path.parent)
            descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            self._handle = os.fdopen(descriptor, "a", encoding="utf-8")
        entry = {"file": file, "line": line, "errors": errors, "raw": raw}
        self._handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._handle.flush()
        self.count += 1

    @property
    def written(self) -> Path | None:
        return self.path if self.count else None

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
