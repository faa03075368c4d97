"""Turn placeholders back into real text, only with the vault key (authorised display).

``reidentify`` replaces each placeholder in any text (an answer sentence, a quoted
snippet) by the original as it first appeared in the record. ``restore`` rebuilds a
record's field exactly, occurrence by occurrence. Without the right key both raise
``VaultLockedError``; placeholders the record's vault does not know are left as they are.
"""

from __future__ import annotations

import re

from redaction.vault import TokenVault

_PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,80}\]")


def reidentify(text: str, sealed: bytes, vault: TokenVault) -> str:
    """``text`` with every placeholder of this record's vault entry replaced."""
    mapping = vault.open(sealed)
    return _PLACEHOLDER.sub(lambda m: mapping.get(m.group(0), m.group(0)), text)


def restore(pseudonymised: str, sealed: bytes, vault: TokenVault, field: str = "text") -> str:
    """The original ``field`` ("title" or "text") of the record, exactly."""
    mapping = vault.open(sealed)
    counts: dict[str, int] = {}

    def replace(match: re.Match[str]) -> str:
        placeholder = match.group(0)
        if placeholder not in mapping:
            return placeholder
        n = counts[placeholder] = counts.get(placeholder, 0) + 1
        return mapping.get(f"{field}#{placeholder}#{n}", mapping[placeholder])

    return _PLACEHOLDER.sub(replace, pseudonymised)
