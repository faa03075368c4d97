"""Find extract files and read them line by line, validating each line on its own.

A bad line never stops the run: it comes back as a ``LineResult`` with errors that name the
field and the problem but never the value (values may be personal data), plus the id the
line still carries if one can be read, so a snapshot never deletes what it failed to read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from retrieval.records import Person, SourceRecord

PEOPLE_FILE = "people.jsonl"
RECORDS_FILE = "records.jsonl"
_SYSTEM_DIR = re.compile(r"^[A-Z][A-Z0-9_]{1,31}$")

M = TypeVar("M", bound=BaseModel)


class IngestError(RuntimeError):
    """The input cannot be ingested at all (no extracts, unreadable folder...)."""


class Deletion(BaseModel):
    """One line of a deletions file: a record the source system has deleted."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    source_system: str = Field(pattern=_SYSTEM_DIR.pattern)
    record_id: str = Field(min_length=1, max_length=128)

    @property
    def key(self) -> tuple[str, str]:
        return (self.source_system, self.record_id)


@dataclass(frozen=True)
class SystemExtract:
    """The extract files of one source system; a missing file means "not in this delivery"."""

    system: str
    people: Path | None
    records: Path | None


@dataclass
class LineResult(Generic[M]):
    line: int
    raw: str
    model: M | None = None
    errors: list[dict[str, str]] = field(default_factory=list)
    #: The line's id (record_id / person_id) when it can still be read from a bad line.
    readable_id: str | None = None


def extracts_root(directory: Path) -> Path:
    """An estate folder (containing ``extracts/``) or an extracts folder itself."""
    if not directory.is_dir():
        raise IngestError(f"not a folder: {directory}")
    nested = directory / "extracts"
    return nested if nested.is_dir() else directory


def find_extracts(directory: Path) -> list[SystemExtract]:
    """Every ``<SYSTEM>/people.jsonl`` / ``<SYSTEM>/records.jsonl`` under the extracts root."""
    root = extracts_root(directory)
    found: list[SystemExtract] = []
    for sub in sorted(p for p in root.iterdir() if p.is_dir()):
        people, records = sub / PEOPLE_FILE, sub / RECORDS_FILE
        if not (people.is_file() or records.is_file()):
            continue
        if not _SYSTEM_DIR.match(sub.name):
            raise IngestError(
                f"extract folder {sub.name!r} is not a source system code (e.g. LCS, SCHOOL)"
            )
        found.append(
            SystemExtract(
                system=sub.name,
                people=people if people.is_file() else None,
                records=records if records.is_file() else None,
            )
        )
    if not found:
        raise IngestError(f"no <SYSTEM>/people.jsonl or records.jsonl found under {root}")
    return found


def _errors_of(exc: ValidationError) -> list[dict[str, str]]:
    return [
        {"field": ".".join(str(p) for p in err["loc"]) or "(line)", "error": err["msg"]}
        for err in exc.errors(include_url=False, include_input=False, include_context=False)
    ]


def _readable_id(parsed: Any, raw: str, id_field: str) -> str | None:
    if isinstance(parsed, dict):
        value = parsed.get(id_field)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    # A truncated or broken line may still show its id.
    match = re.search(rf'"{re.escape(id_field)}"\s*:\s*"([^"\\]{{1,128}})"', raw)
    return match.group(1).strip() if match else None


def count_lines(path: Path) -> int:
    """Non-blank lines of a file (what a snapshot holds, before any is read)."""
    with path.open("rb") as handle:
        return sum(1 for data in handle if data.strip())


def read_jsonl(
    path: Path,
    model: type[M],
    id_field: str,
    system: str | None = None,
    max_chars: int | None = None,
) -> Iterator[LineResult[M]]:
    """Validate each non-blank line of ``path`` against ``model``.

    With ``system`` set, a line whose ``source_system`` differs from its folder is an error
    (a snapshot of one system must not touch another's records). With ``max_chars`` set, a
    line whose ``text`` or ``title`` is longer is an error (quarantined, not stored: one
    huge record must not stall redaction and indexing for everyone).
    """
    with path.open("rb") as handle:
        for number, data in enumerate(handle, start=1):
            try:
                raw = data.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                raw = data.decode("utf-8", errors="replace").rstrip("\r\n")
                yield LineResult(
                    number,
                    raw,
                    errors=[{"field": "(line)", "error": "not valid UTF-8"}],
                    readable_id=_readable_id(None, raw, id_field),
                )
                continue
            if not raw.strip():
                continue
            yield _parse_line(number, raw, model, id_field, system, max_chars)


def _parse_line(
    number: int,
    raw: str,
    model: type[M],
    id_field: str,
    system: str | None,
    max_chars: int | None = None,
) -> LineResult[M]:
    try:
        parsed = json.loads(raw)
    except json.JSONDecodeError as exc:
        return LineResult(
            number,
            raw,
            errors=[{"field": "(line)", "error": f"invalid JSON: {exc.msg}"}],
            readable_id=_readable_id(None, raw, id_field),
        )
    readable = _readable_id(parsed, raw, id_field)
    if not isinstance(parsed, dict):
        return LineResult(number, raw, errors=[{"field": "(line)", "error": "not a JSON object"}])
    try:
        item = model.model_validate(parsed)
    except ValidationError as exc:
        return LineResult(number, raw, errors=_errors_of(exc), readable_id=readable)
    if system is not None and getattr(item, "source_system", system) != system:
        error = {"field": "source_system", "error": f"does not match the extract folder {system}"}
        return LineResult(number, raw, errors=[error], readable_id=readable)
    if max_chars is not None:
        too_long = [
            {"field": name, "error": f"longer than {max_chars} characters (the record limit)"}
            for name in ("title", "text")
            if len(getattr(item, name, "") or "") > max_chars
        ]
        if too_long:
            return LineResult(number, raw, errors=too_long, readable_id=readable)
    return LineResult(number, raw, model=item, readable_id=readable)


def read_people(path: Path, system: str) -> Iterator[LineResult[Person]]:
    return read_jsonl(path, Person, "person_id", system)


def read_records(
    path: Path, system: str, max_chars: int | None = None
) -> Iterator[LineResult[SourceRecord]]:
    return read_jsonl(path, SourceRecord, "record_id", system, max_chars)


def read_deletions(path: Path) -> Iterator[LineResult[Deletion]]:
    if not path.is_file():
        raise IngestError(f"deletions file not found: {path}")
    return read_jsonl(path, Deletion, "record_id")
