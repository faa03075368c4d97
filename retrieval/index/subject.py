"""The subject of a search: one linked person or one family (never parsed from the question)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from retrieval.principal import FAMILY_PREFIX, PERSON_PREFIX


@dataclass(frozen=True)
class Subject:
    kind: Literal["person", "family"]
    id: str

    @classmethod
    def parse(cls, ident: str) -> Subject:
        """``LP-…`` is a linked person, ``FAM-…`` a family; anything else is refused."""
        ident = ident.strip()
        if ident.startswith(PERSON_PREFIX) and len(ident) > len(PERSON_PREFIX):
            return cls("person", ident)
        if ident.startswith(FAMILY_PREFIX) and len(ident) > len(FAMILY_PREFIX):
            return cls("family", ident)
        raise ValueError(
            f"subject must be a linked person ({PERSON_PREFIX}…) or a family ({FAMILY_PREFIX}…)"
        )

    @property
    def payload_key(self) -> str:
        return "linked_person_ids" if self.kind == "person" else "family_ids"
