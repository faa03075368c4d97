"""Display-time re-identification: real names only where the principal may see the record.

An answer is made from pseudonymised text. Just before it is shown, each sentence's
placeholders are replaced from the sealed vault entries of the records it cites, and only
of those records the principal's role may see (``RolePolicy.may_see``); placeholders of
any other record stay pseudonyms. The role is checked at every display. A record's sealed
entry and its opened mapping are kept for ``KEEP_S`` (two seconds) only, so the dozens of
texts of one answer (its sentences, sources, provenance, citation titles and quotes) read
and open each cited record once, not once each (it was a third of a server's CPU).

A sentence, title or quote taken word for word from a cited record (the extractive
generator's sentences, citation quotes) is found in that record's pseudonymised text and
each placeholder gets the original of that very occurrence, so the quote shown is the
source, character for character ("Amelia (Millie) Osei", "AMELIA", "Amelia's").
Text that is in none of the visible cited records (a sentence a model wrote) falls back
to each placeholder's first original in those records.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from redaction.reidentify import reidentify_with, verbatim_with
from redaction.vault import TokenVault
from retrieval.policy.model import InformationSharingPolicy
from retrieval.principal import Principal
from retrieval.pseudonymised import PseudonymisedRecord

#: A word written all in capitals, as records write surnames ("OKAFOR", "O'NEILL",
#: "SMITH-JONES", "ÉLODIE"): at least three letters, so initials ("JJ", "A") stay as
#: written.
_CAPITALS = re.compile(r"(?<![\w'’-])[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*(?![\w'’-])")
#: Capitals that are no surname: a word with no vowel ("DSL"), a rank or title written
#: before a name ("PCSO", "INSP", "MRS") and Roman numerals ("III").
_NOT_A_NAME = re.compile(
    r"^(?:[^AEIOUYÀ-ÖØ-Ý]+|[IVXLC]+|PCSO|INSP|MRS|MISS|PROF|CLLR|SENCO|CAMHS)$"
)
_MC = re.compile(r"^(Mc)([a-z])")
#: A surname with its prefix in small letters and the rest in capitals ("McDONALD").
_PREFIXED = re.compile(r"(?<![\w'’-])(Ma?c)([A-Z]{3,})(?![\w'’-])")


def _title_word(word: str) -> str:
    """An all-capitals word in title case, each part after a hyphen or apostrophe too
    ("O'NEILL" -> "O'Neill", "SMITH-JONES" -> "Smith-Jones", "MCDONALD" -> "McDonald")."""
    if sum(ch.isalpha() for ch in word) < 3 or not word.isupper() or _NOT_A_NAME.match(word):
        return word
    parts = re.split(r"([-'’])", word.lower())
    out = "".join(p.capitalize() if p not in "-'’" else p for p in parts)
    return _MC.sub(lambda m: m.group(1) + m.group(2).upper(), out)


def name_as_read(name: str) -> str:
    """A person's name, re-identified, as a reader expects it in running text: a surname
    written in capitals as records do ("Grace OKAFOR", "Ryan McDONALD") in title case
    ("Grace Okafor", "Ryan McDonald");
    a name already in mixed case ("McDonald", "de Souza") and initials ("JJ") as written.
    For names shown in the answer's own words (whose account a line is), never for a
    quoted sentence, which stays as the record wrote it."""
    name = _PREFIXED.sub(lambda m: m.group(1) + m.group(2).capitalize(), name)
    return _CAPITALS.sub(lambda m: _title_word(m.group(0)), name)


class SealedSource(Protocol):
    """The case store's sealed vault per record (``CaseStore.get_pseudonymised``)."""

    def get_pseudonymised(
        self, source_system: str, record_id: str
    ) -> tuple[PseudonymisedRecord, bytes] | None: ...


@dataclass
class _Kept:
    """A record's sealed entry as read at ``read_at``, and its mapping once opened."""

    read_at: float
    found: tuple[PseudonymisedRecord, bytes] | None
    mapping: dict[str, str] | None = None


class VaultReidentifier:
    """``assistant.service.Reidentifier`` over the case store's sealed vault entries."""

    #: How long a record's sealed entry and opened mapping are kept (one answer's display).
    KEEP_S = 2.0
    #: At most this many records kept.
    KEEP_RECORDS = 256

    def __init__(
        self, store: SealedSource, vault: TokenVault, policy: InformationSharingPolicy
    ) -> None:
        self._store = store
        self._vault = vault
        self._policy = policy
        self._kept: dict[tuple[str, str], _Kept] = {}
        self._lock = threading.Lock()

    def _read(self, key: tuple[str, str]) -> _Kept:
        """The record's entry, read again once it is older than ``KEEP_S``."""
        now = time.monotonic()
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None and now - kept.read_at < self.KEEP_S:
                return kept
            if len(self._kept) >= self.KEEP_RECORDS:
                self._kept = {k: v for k, v in self._kept.items() if now - v.read_at < self.KEEP_S}
        kept = _Kept(now, self._store.get_pseudonymised(*key))
        with self._lock:
            self._kept[key] = kept
        return kept

    def __call__(
        self, principal: Principal, text: str, record_keys: Sequence[tuple[str, str]]
    ) -> str:
        if not text:  # a Principal always has a role
            return text
        role = self._policy.role(principal.role)
        visible: list[dict[str, str]] = []  # opened mappings of the records it may see
        for key in dict.fromkeys(record_keys):
            kept = self._read(key)
            if kept.found is None:
                continue  # gone since it was indexed: keep the pseudonyms
            record, sealed = kept.found
            if role.may_see(record):
                if kept.mapping is None:
                    kept.mapping = self._vault.open(sealed)
                mapping = kept.mapping
                quoted = verbatim_with(text, {"text": record.text, "title": record.title}, mapping)
                if quoted is not None:
                    return quoted  # word for word from this record: its own spans
                visible.append(mapping)
        for mapping in visible:  # not a quote of any of them (a model's sentence)
            text = reidentify_with(text, mapping)
        return text
