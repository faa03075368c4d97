"""Typed, numbered placeholders for what Presidio finds: ``[Person 7]``, ``[School 1]``.

Numbers are per family and stable across the family's records: the registry is keyed by
an HMAC (key derived from the vault key) of the entity type and the normalised value, so
the case store can number values consistently without ever holding them. Anyone without
the vault key cannot test a guessed name against the registry.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from redaction.entities import (
    ADDRESS,
    CASE_REFERENCE,
    DATE_OF_BIRTH,
    EMAIL,
    GP_PRACTICE,
    LOCATION,
    NHS_NUMBER,
    NI_NUMBER,
    ORGANISATION,
    PERSON,
    PHONE,
    POSTCODE,
    SCHOOL,
    UPN,
    VEHICLE,
)
from redaction.vault import VaultKeyError
from retrieval.store.redaction_store import PlaceholderEntry

LABELS: dict[str, str] = {
    PERSON: "Person",
    ADDRESS: "Address",
    POSTCODE: "Postcode",
    PHONE: "Phone",
    EMAIL: "Email",
    NHS_NUMBER: "NHS number",
    UPN: "UPN",
    NI_NUMBER: "NI number",
    DATE_OF_BIRTH: "Date of birth",
    VEHICLE: "Vehicle",
    SCHOOL: "School",
    GP_PRACTICE: "GP practice",
    CASE_REFERENCE: "Case reference",
    LOCATION: "Place",
    ORGANISATION: "Organisation",
}
DEFAULT_LABEL = "Redacted"
_CONTEXT = b"caselens placeholder registry v1"


def label_for(entity_type: str) -> str:
    return LABELS.get(entity_type, DEFAULT_LABEL)


def normalise_value(entity_type: str, value: str) -> str:
    """Spelling-insensitive form: case, accents, spaces and punctuation do not matter; for
    a person, each given name stands for its full form ("Bill", "Tash" = "William",
    "Natasha"), so the same unknown person keeps one placeholder across a family's notes."""
    text = unicodedata.normalize("NFKD", value)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    if entity_type in (PERSON, SCHOOL, GP_PRACTICE, LOCATION, ORGANISATION, ADDRESS):
        text = "".join(c if c.isalnum() else " " for c in text.replace("'", "").replace("’", ""))
        words = text.split()
        if entity_type == PERSON:
            full = _full_given_names()
            words = [full.get(w, w) for w in words]
        return " ".join(words)
    if entity_type == PHONE:
        digits = "".join(c for c in text if c.isdigit())
        return digits[2:].lstrip("0") if digits.startswith("44") else digits.lstrip("0")
    return "".join(c for c in text if c.isalnum() or c in "@.")


@lru_cache(maxsize=1)
def _full_given_names() -> dict[str, str]:
    """Short form -> full given name, from the linkage nickname table and the packaged
    diminutives (a short form of more than one full name is left as written)."""
    from redaction.known_mentions import diminutives
    from retrieval.linkage.names import nickname_table

    full: dict[str, set[str]] = {}
    for short, canonical in nickname_table().items():
        full.setdefault(short, set()).add(canonical)
    for given, shorts in diminutives().items():
        for short in shorts:
            full.setdefault(short, set()).add(given)
    return {
        short: next(iter(names))
        for short, names in full.items()
        if len(names) == 1 and " " not in short
    }


class PlaceholderKeyer:
    """Keyed hashes of values; the HMAC key is derived from the first vault key."""

    def __init__(self, vault_key: str) -> None:
        first = (vault_key or "").split(",")[0].strip()
        try:
            raw = base64.urlsafe_b64decode(first.encode("ascii"))
        except (ValueError, UnicodeEncodeError) as exc:
            raise VaultKeyError("the vault key is not valid url-safe base64") from exc
        if len(raw) != 32:
            raise VaultKeyError(
                "no valid vault key: set CASELENS_VAULT_KEY (create one with "
                "`caselens vault keygen`)"
            )
        self._key = hmac.new(raw, _CONTEXT, hashlib.sha256).digest()
        #: Identifies the key (not secret): stored work made under another key is redone.
        self.key_id = hmac.new(self._key, b"key id", hashlib.sha256).hexdigest()[:16]

    def digest(self, entity_type: str, value: str) -> str:
        message = f"{entity_type}\x00{normalise_value(entity_type, value)}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()


class PlaceholderRegistry:
    """The numbered placeholders of one family; new ones are collected for saving."""

    def __init__(
        self, family_key: str, keyer: PlaceholderKeyer, existing: Iterable[PlaceholderEntry] = ()
    ) -> None:
        self.family_key = family_key
        self._keyer = keyer
        self._by_hash: dict[str, PlaceholderEntry] = {}
        self._next: dict[str, int] = {}
        self._pending: list[PlaceholderEntry] = []
        for entry in existing:
            self._remember(entry)

    def _remember(self, entry: PlaceholderEntry) -> None:
        self._by_hash[entry.value_hmac] = entry
        self._next[entry.label] = max(self._next.get(entry.label, 1), entry.number + 1)

    def placeholder(self, entity_type: str, value: str) -> str:
        """``[Label N]`` for this value, numbering it if the family has not seen it."""
        digest = self._keyer.digest(entity_type, value)
        entry = self._by_hash.get(digest)
        if entry is None:
            label = label_for(entity_type)
            entry = PlaceholderEntry(self.family_key, digest, label, self._next.get(label, 1))
            self._remember(entry)
            self._pending.append(entry)
        return f"[{entry.label} {entry.number}]"

    def drain_new(self) -> list[PlaceholderEntry]:
        """Entries numbered since the last call (to save with the records that use them)."""
        pending, self._pending = self._pending, []
        return pending
