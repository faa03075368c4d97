"""Real names back into a draft, for an officer allowed to see the cited advice.

Drafts are made and stored pseudonymised. For display or Word export the officer's copy is
re-identified through the token vault, sentence by sentence, using only the vault entries
of the records that sentence cites (and that the officer's role may see). Without the
vault key ``VaultLockedError`` is raised; nothing is re-identified silently.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.ehcp.advice import PseudonymisedStore, check_may_draft
from assistant.ehcp.model import EhcpDraft
from redaction.reidentify import reidentify
from redaction.vault import TokenVault
from retrieval.policy import InformationSharingPolicy
from retrieval.principal import Principal


class DraftReidentifier:
    def __init__(
        self, store: PseudonymisedStore, vault: TokenVault, policy: InformationSharingPolicy
    ) -> None:
        self._store = store
        self._vault = vault
        self._policy = policy

    def for_officer(self, draft: EhcpDraft, principal: Principal) -> EhcpDraft:
        """A re-identified copy of ``draft`` (the stored draft is not changed).

        Raises ``PermissionError`` if the principal may not see this child's advice.
        """
        role = self._policy.role(principal.role)
        sealed: dict[int, bytes] = {}
        families: set[str] = set()
        for source in draft.sources:
            found = self._store.get_pseudonymised(source.source_system, source.record_id)
            if found is None:
                continue
            record, vault_entry = found
            families.update(record.family_ids)
            if role.may_see(record):
                sealed[source.n] = vault_entry
        check_may_draft(principal, self._policy, draft.child, families)
        copy = draft.model_copy(deep=True)
        every = sorted(sealed)
        for section in copy.sections:
            for sentence in section.sentences:
                sentence.text = self._text(sentence.text, sentence.citations, sealed)
            if section.edited_text:
                section.edited_text = self._text(section.edited_text, every, sealed)
        for source in copy.sources:
            source.title = self._text(source.title, [source.n], sealed)
        return copy

    def _text(self, text: str, cited: Sequence[int], sealed: dict[int, bytes]) -> str:
        for n in cited:
            if n in sealed:
                text = reidentify(text, sealed[n], self._vault)
        return text
