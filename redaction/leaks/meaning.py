"""Meaning lost: placeholders whose original was not personal data.

The leak scan proves no identifier is left; this counts the other failure, the one that
blinds answers: a practice term, service, role, kinship, calendar or brand word from the
allow-list (``redaction.keep``: "SLT", "Early Help", "Nana") or an ordinary English word
that is no name ("Caring", "Catalogue") replaced by ``[Organisation N]`` or ``[Person N]``.
Each placeholder occurrence of each pseudonymised record is put next to its original
from the record's sealed vault entry (so this needs the vault key) and classified.

The report holds counts only (by class, by the placeholder's kind, by allow-list
section), never an original: an ordinary word may still be someone's name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import regex

from redaction.keep import KeepList, default_keep_list
from redaction.name_lists import NameLists, default_name_lists
from redaction.placeholders import LABELS
from redaction.reidentify import FIELDS, occurrences
from redaction.vault import TokenVault
from retrieval.pseudonymised import PseudonymisedRecord

#: What a placeholder's original was, when it was not personal data.
ALLOW_LISTED = "allow-listed term"
ORDINARY_WORD = "ordinary word"
_WORD = regex.compile(r"[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*")
_NUMBER = regex.compile(r"\s*\d+$")
#: Placeholders of things the case store does not know ("Person", "Organisation"); a
#: family role ("Grandmother") is the meaning of a kinship word, not a loss of it.
TYPED_LABELS: frozenset[str] = frozenset(LABELS.values())


@dataclass
class MeaningReport:
    """Placeholder occurrences scanned and those whose original was not personal data."""

    records: int = 0
    placeholders: int = 0
    #: (class, placeholder kind) -> occurrences ("allow-listed term", "Organisation").
    lost: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: allow-list section -> occurrences ("services", "roles").
    sections: Counter[str] = field(default_factory=Counter)
    #: records whose vault entry could not be opened (wrong key): not classified.
    unopened: int = 0

    @property
    def allow_listed(self) -> int:
        return sum(n for (kind, _), n in self.lost.items() if kind == ALLOW_LISTED)

    @property
    def ordinary(self) -> int:
        return sum(n for (kind, _), n in self.lost.items() if kind == ORDINARY_WORD)

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "placeholders": self.placeholders,
            "allow_listed_replaced": self.allow_listed,
            "ordinary_words_replaced": self.ordinary,
            "by_class_and_placeholder": [
                {"class": c, "placeholder": p, "count": n}
                for (c, p), n in sorted(self.lost.items())
            ],
            "allow_list_sections": dict(sorted(self.sections.items())),
            "unopened_records": self.unopened,
        }


class SealedSource(Protocol):
    """A case store's pseudonymised records and their sealed vault entries."""

    def iter_pseudonymised(self) -> Iterator[PseudonymisedRecord]: ...

    def get_pseudonymised(
        self, source_system: str, record_id: str
    ) -> tuple[PseudonymisedRecord, bytes] | None: ...


def sealed_entries(store: SealedSource) -> Iterator[tuple[PseudonymisedRecord, bytes]]:
    """Every pseudonymised record of ``store`` with its sealed vault entry."""
    for record in store.iter_pseudonymised():
        found = store.get_pseudonymised(record.source_system, record.record_id)
        if found is not None:
            yield found


def placeholder_kind(placeholder: str) -> str:
    """``"[Organisation 12]"`` -> ``"Organisation"`` (the kind, without its number)."""
    inner = placeholder.strip("[]")
    return _NUMBER.sub("", inner.split(":")[0]).strip() or inner


class MeaningScanner:
    """Classifies placeholder originals with the allow-list and the English word lists."""

    def __init__(self, keep: KeepList | None = None, lists: NameLists | None = None) -> None:
        self._keep = keep or default_keep_list()
        self._lists = lists or default_name_lists()

    def classify(self, original: str) -> tuple[str, str] | None:
        """``(class, allow-list section)`` when ``original`` was not personal data, else
        ``None``: nothing but allow-listed terms ("SLT", "Early Help"; not "MASH/23/0412"
        or "PC 1234 Moran", identifiers that hold one), or one ordinary English word that
        no name list holds."""
        ranges = self._keep.ranges(original)
        covered = all(
            not ch.isalnum() or any(s <= i < e for s, e in ranges) for i, ch in enumerate(original)
        )
        if ranges and covered:
            start, end = ranges[0]
            return ALLOW_LISTED, self._keep.kind_of(original[start:end]) or "glossary"
        words = _WORD.findall(original)
        if (
            len(words) == 1
            and words[0] == original.strip(" \t\n.,:;()'\"‘’“”-")
            and len(words[0]) >= 3
            and self._lists.is_common(words[0])
            and not self._lists.may_be_name(words[0])
        ):
            return ORDINARY_WORD, ""
        return None

    def scan(
        self, entries: Iterable[tuple[PseudonymisedRecord, bytes]], vault: TokenVault
    ) -> MeaningReport:
        """Classify every placeholder occurrence of ``entries`` (record, sealed entry)."""
        from redaction.vault import VaultLockedError

        report = MeaningReport()
        for record, sealed in entries:
            report.records += 1
            try:
                mapping = vault.open(sealed)
            except VaultLockedError:
                report.unopened += 1
                continue
            for name in FIELDS:
                text = getattr(record, name) or ""
                for start, (end, original) in occurrences(text, mapping, name).items():
                    report.placeholders += 1
                    found = self.classify(original)
                    if found is None:
                        continue
                    kind, section = found
                    placeholder = placeholder_kind(text[start:end])
                    if section == "kinship" and placeholder not in TYPED_LABELS:
                        continue  # "Nan" as [Grandmother]: the family role says it
                    report.lost[(kind, placeholder)] += 1
                    if section:
                        report.sections[section] += 1
        return report
