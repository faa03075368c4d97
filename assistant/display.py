"""Display-time re-identification: real names only where the principal may see the record.

An answer is made from pseudonymised text. Just before it is shown, each sentence's
placeholders are replaced from the sealed vault entries of the records it cites, and only
of those records the principal's role may see (``RolePolicy.may_see``); placeholders of
any other record stay pseudonyms. Nothing is cached: the vault is opened per display.

A sentence, title or quote taken word for word from a cited record (the extractive
generator's sentences, citation quotes) is found in that record's pseudonymised text and
each placeholder gets the original of that very occurrence, so the quote shown is the
source, character for character ("Amelia (Millie) Osei", "AMELIA", "Amelia's").
Text that is in none of the visible cited records (a sentence a model wrote) falls back
to each placeholder's first original in those records.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from redaction.reidentify import reidentify_with, verbatim_with
from redaction.vault import TokenVault
from retrieval.policy.model import InformationSharingPolicy
from retrieval.principal import Principal
from retrieval.pseudonymised import PseudonymisedRecord


class SealedSource(Protocol):
    """The case store's sealed vault per record (``CaseStore.get_pseudonymised``)."""

    def get_pseudonymised(
        self, source_system: str, record_id: str
    ) -> tuple[PseudonymisedRecord, bytes] | None: ...


class VaultReidentifier:
    """``assistant.service.Reidentifier`` over the case store's sealed vault entries."""

    def __init__(
        self, store: SealedSource, vault: TokenVault, policy: InformationSharingPolicy
    ) -> None:
        self._store = store
        self._vault = vault
        self._policy = policy

    def __call__(
        self, principal: Principal, text: str, record_keys: Sequence[tuple[str, str]]
    ) -> str:
        role_name = getattr(principal, "role", None)
        if not role_name or not text:
            return text
        role = self._policy.role(role_name)
        visible: list[dict[str, str]] = []  # opened mappings of the records it may see
        for system, record_id in dict.fromkeys(record_keys):
            found = self._store.get_pseudonymised(system, record_id)
            if found is None:
                continue  # gone since it was indexed: keep the pseudonyms
            record, sealed = found
            if role.may_see(record):
                mapping = self._vault.open(sealed)
                quoted = verbatim_with(text, {"text": record.text, "title": record.title}, mapping)
                if quoted is not None:
                    return quoted  # word for word from this record: its own spans
                visible.append(mapping)
        for mapping in visible:  # not a quote of any of them (a model's sentence)
            text = reidentify_with(text, mapping)
        return text
