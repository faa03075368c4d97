"""Real names back into a draft, for an officer allowed to see the cited advice.

Drafts are made and stored pseudonymised. For display or Word export the officer's copy is
re-identified through the token vault, sentence by sentence, using only the vault entries
of the records that sentence cites (and that the officer's role may see). Without the
vault key ``VaultLockedError`` is raised; nothing is re-identified silently.

Drafted sentences are extracts of the advice, so each is found in the cited record and
every placeholder gets the original of that very occurrence: a view in quote marks is
the child's or parent's words exactly as recorded. An officer's edited text, or anything
not found in a cited record, falls back to each placeholder's first original.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.ehcp.advice import PseudonymisedStore, check_may_draft
from assistant.ehcp.extract import CLOSE_QUOTE, OPEN_QUOTE
from assistant.ehcp.model import EhcpDraft
from redaction.reidentify import reidentify_with, verbatim_with
from redaction.vault import TokenVault
from retrieval.policy import InformationSharingPolicy
from retrieval.principal import Principal

#: A visible record's pseudonymised fields ({"text", "title"}) and its opened vault mapping.
Opened = tuple[dict[str, str], dict[str, str]]


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
        visible: dict[int, tuple[dict[str, str], bytes]] = {}
        families: set[str] = set()
        for source in draft.sources:
            found = self._store.get_pseudonymised(source.source_system, source.record_id)
            if found is None:
                continue
            record, vault_entry = found
            families.update(record.family_ids)
            if role.may_see(record):
                visible[source.n] = ({"text": record.text, "title": record.title}, vault_entry)
        check_may_draft(principal, self._policy, draft.child, families)
        opened = {n: (fields, self._vault.open(entry)) for n, (fields, entry) in visible.items()}
        copy = draft.model_copy(deep=True)
        every = sorted(opened)
        for section in copy.sections:
            for sentence in section.sentences:
                sentence.text = _text(sentence.text, sentence.citations, opened)
            if section.edited_text:
                section.edited_text = _text(section.edited_text, every, opened)
        for source in copy.sources:
            source.title = _text(source.title, [source.n], opened)
        return copy


def _text(text: str, cited: Sequence[int], opened: dict[int, Opened]) -> str:
    """``text`` re-identified from the visible records it cites: span by span when it is an
    extract of one of them (inside its quote marks, for a view), otherwise each
    placeholder's first original."""
    opening, inner, closing = _quoted(text)
    for n in cited:
        if n in opened:
            quoted = verbatim_with(inner, *opened[n])
            if quoted is not None:
                return f"{opening}{quoted}{closing}"
    for n in cited:
        if n in opened:
            text = reidentify_with(text, opened[n][1])
    return text


def _quoted(text: str) -> tuple[str, str, str]:
    """(opening mark, words, closing mark) of a quoted view; marks empty otherwise."""
    if len(text) > 2 and text.startswith(OPEN_QUOTE) and text.endswith(CLOSE_QUOTE):
        return OPEN_QUOTE, text[1:-1], CLOSE_QUOTE
    return "", text, ""
