"""Where the scanner looks: files and folders, pseudonymised records, raw records.

A target is anything with ``describe()`` and ``iter_texts()`` yielding ``(location,
text)`` pairs; the location says where a hit is without repeating the text
(``path:line``, ``pseudonymised:SYSTEM:RECORD_ID:text``).

Text is decoded before it is matched, so an identifier written escaped is still found:
JSON ``\\uXXXX``, HTML entities, and URL encoding (``%20``, ``%40``, ``+`` between words:
access logs and query strings). Word exports (``.docx``) are read from their XML parts,
document properties (author, title) included.
"""

from __future__ import annotations

import gzip
import html
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Protocol
from urllib.parse import unquote

from retrieval.pseudonymised import PseudonymisedSource
from retrieval.records import SourceRecord

#: File types scanned when a folder is given (a named file is scanned whatever its type).
TEXT_SUFFIXES: frozenset[str] = frozenset(
    {
        ".log",
        ".txt",
        ".json",
        ".jsonl",
        ".ndjson",
        ".csv",
        ".tsv",
        ".html",
        ".htm",
        ".xml",
        ".md",
        ".yaml",
        ".yml",
        ".out",
        ".err",
        ".trace",
    }
)
#: Office documents scanned (from their XML parts) when a folder is given.
DOCUMENT_SUFFIXES: frozenset[str] = frozenset({".docx"})
_ROTATED_LOG = re.compile(r"\.log(\.\d+)?(\.gz)?$")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
#: A ``+`` standing for a space inside a query value ("Jane+Doe"), not "+44 7700...".
_PLUS_SPACE = re.compile(r"(?<=\w)\+(?=\w)")
_XML_TAG = re.compile(r"<[^>]*>")
#: The XML parts of a .docx that hold text: body, headers, footers, notes, comments, and
#: the document properties (author, last modified by, title).
_DOCX_PART = re.compile(
    r"^(word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml|docProps/(core|app)\.xml)$"
)
_MARKUP_SUFFIXES = frozenset({".html", ".htm", ".xml"})
_SNIFF = 8192


class LeakTarget(Protocol):
    """Something to scan: a name for the report and its texts with locations."""

    def describe(self) -> str: ...

    def iter_texts(self) -> Iterator[tuple[str, str]]: ...


def _is_binary(path: Path) -> bool:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as handle:
            return b"\x00" in handle.read(_SNIFF)
    except (OSError, EOFError):  # unreadable or a broken gzip: nothing we can scan
        return True


def _wanted(path: Path) -> bool:
    name = path.name.lower()
    suffix = Path(name[:-3]).suffix if name.endswith(".gz") else path.suffix.lower()
    return suffix in TEXT_SUFFIXES or suffix in DOCUMENT_SUFFIXES or bool(_ROTATED_LOG.search(name))


def _is_document(path: Path) -> bool:
    return path.suffix.lower() in DOCUMENT_SUFFIXES and zipfile.is_zipfile(path)


def _docx_lines(path: Path) -> Iterator[tuple[str, str]]:
    """(part:line, text) of a Word file: runs joined, one line per paragraph."""
    with zipfile.ZipFile(path) as archive:
        for part in sorted(n for n in archive.namelist() if _DOCX_PART.match(n)):
            xml = archive.read(part).decode("utf-8", errors="replace")
            xml = re.sub(r"</w:p>|<w:br\s*/>|<w:tab\s*/>|</dc:\w+>|</cp:\w+>", "\n", xml)
            text = html.unescape(_XML_TAG.sub("", xml))
            for number, line in enumerate(text.splitlines(), start=1):
                if line.strip():
                    yield f"{part}:{number}", line


def _url_decoded(line: str) -> str:
    """``Jane%20Doe``, ``Jane+Doe``, ``jane%40example.net`` (and double-encoded) decoded."""
    for _ in range(2):  # %2520 -> %20 -> " "
        if not _PERCENT.search(line):
            break
        line = unquote(line, errors="replace")
    return _PLUS_SPACE.sub(" ", line) if "+" in line else line


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return path.open(encoding="utf-8", errors="replace")


def _decode_line(line: str, markup: bool) -> str:
    """Undo JSON ``\\uXXXX`` escapes, HTML entities and URL encoding so escaped names
    still match."""
    if "\\u" in line:
        line = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), line)
    if markup and "&" in line:
        line = html.unescape(line)
    if "%" in line or "+" in line:
        line = _url_decoded(line)
    return line


class PathTarget:
    """Log, trace and export files; folders are walked for text-like files."""

    def __init__(self, paths: Sequence[Path | str], *, name: str = "files") -> None:
        self._paths = [Path(p) for p in paths]
        missing = [str(p) for p in self._paths if not p.exists()]
        if missing:
            raise FileNotFoundError(f"no such file or folder: {', '.join(missing)}")
        self._name = name

    def describe(self) -> str:
        return f"{self._name} ({', '.join(str(p) for p in self._paths)})"

    def files(self) -> Iterator[Path]:
        """Every file that will be scanned, in a stable order."""
        for path in self._paths:
            if path.is_dir():
                candidates = sorted(p for p in path.rglob("*") if p.is_file() and _wanted(p))
            else:
                candidates = [path]
            yield from (p for p in candidates if _is_document(p) or not _is_binary(p))

    def iter_texts(self) -> Iterator[tuple[str, str]]:
        for path in self.files():
            if _is_document(path):
                for where, line in _docx_lines(path):
                    yield f"{path}:{where}", _decode_line(line, markup=False)
                continue
            markup = path.suffix.lower() in _MARKUP_SUFFIXES
            with _open_text(path) as handle:
                for number, line in enumerate(handle, start=1):
                    yield f"{path}:{number}", _decode_line(line, markup)


class PseudonymisedTarget:
    """The pseudonymised records the index is built from (must hold no identifiers)."""

    def __init__(self, source: PseudonymisedSource, *, name: str = "pseudonymised") -> None:
        self._source = source
        self._name = name

    def describe(self) -> str:
        return f"{self._name} records"

    def iter_texts(self) -> Iterator[tuple[str, str]]:
        for record in self._source.iter_pseudonymised():
            prefix = f"{self._name}:{record.source_system}:{record.record_id}"
            yield f"{prefix}:title", record.title
            yield f"{prefix}:text", record.text
            for key, value in sorted(record.extra.items()):
                if isinstance(value, str):
                    yield f"{prefix}:extra.{key}", value


class RecordSource(Protocol):
    def iter_records(self) -> Iterator[SourceRecord]: ...


class RawRecordTarget:
    """Raw source records (the case store): a check that the scanner sees real data."""

    def __init__(self, source: RecordSource | Iterable[SourceRecord]) -> None:
        self._source = source

    def describe(self) -> str:
        return "raw source records"

    def iter_texts(self) -> Iterator[tuple[str, str]]:
        records = (
            self._source.iter_records()
            if hasattr(self._source, "iter_records")
            else iter(self._source)
        )
        for record in records:
            prefix = f"records:{record.source_system}:{record.record_id}"
            yield f"{prefix}:title", record.title
            yield f"{prefix}:text", record.text


class PayloadSource(Protocol):
    """A vector index that can list its points' payloads (id, payload)."""

    def iter_payloads(self) -> Iterator[tuple[str, dict[str, Any]]]: ...


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _strings(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for i, inner in enumerate(value):
            yield from _strings(inner, f"{path}[{i}]")


class IndexPayloadTarget:
    """Every string in every payload of the vector index (chunk text, titles, metadata)."""

    def __init__(self, source: PayloadSource, *, name: str = "index") -> None:
        self._source = source
        self._name = name

    def describe(self) -> str:
        return f"{self._name} payloads"

    def iter_texts(self) -> Iterator[tuple[str, str]]:
        for point_id, payload in self._source.iter_payloads():
            for field_path, text in _strings(payload, ""):
                yield f"{self._name}:{point_id}:{field_path}", text
