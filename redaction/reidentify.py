"""Turn placeholders back into real text, only with the vault key (authorised display).

A record's sealed vault entry holds, for each placeholder, the original it first stood
for (``"[Child 1]": "Amelia"``) and, for every later occurrence of it in a field whose
original differs from that one, the exact original of that occurrence
(``"text#[Child 1]#2": "Millie"``, the second ``[Child 1]`` of the text). So every span of
the record can be put back exactly, occurrence by occurrence.

- ``restore`` rebuilds a record's field exactly.
- ``reidentify_verbatim`` re-identifies a piece of text taken word for word from the
  record (an extracted sentence, a citation quote, an EHCP view): it finds the piece in
  the record's pseudonymised title or text and puts back, for each placeholder, the
  original of *that* occurrence, so a quoted "Amelia (Millie) Osei" stays exactly that.
  It answers ``None`` when the piece is not in the record.
- ``reidentify`` replaces each placeholder of any text (a sentence a model wrote, an
  officer's edit) by the original as it first appeared in the record: the fallback when
  there is no span to align with.

Without the right key all of them raise ``VaultLockedError``; placeholders the record's
vault does not know are left as they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from redaction.vault import TokenVault

#: What a placeholder looks like in pseudonymised text.
PLACEHOLDER_SHAPE = re.compile(r"\[[^\[\]\n]{1,80}\]")
_PLACEHOLDER = PLACEHOLDER_SHAPE
_SPACE = re.compile(r"\s+")
#: The record fields a verbatim piece is looked for in, in this order.
FIELDS: tuple[str, ...] = ("text", "title")


def occurrence_key(field: str, placeholder: str, n: int) -> str:
    """Vault key of the ``n``-th (from 1) ``placeholder`` of ``field`` when its original
    differs from the placeholder's first original."""
    return f"{field}#{placeholder}#{n}"


def literal_key(field: str) -> str:
    """Vault key listing which placeholder-shaped pieces of ``field`` (by their order
    among all of them) were in the original text and replaced nothing ("[sic]",
    a court bundle's "[Mother]"); absent when there are none."""
    return f"{field}#literal"


def _literal_ordinals(mapping: Mapping[str, str], field: str) -> set[int]:
    raw = mapping.get(literal_key(field), "")
    return {int(x) for x in raw.split(",") if x.strip().isdigit()}


def occurrences(
    pseudonymised: str, mapping: Mapping[str, str], field: str
) -> dict[int, tuple[int, str]]:
    """start -> (end, original) of every placeholder occurrence of ``field``'s text."""
    literal = _literal_ordinals(mapping, field)
    counts: dict[str, int] = {}
    found: dict[int, tuple[int, str]] = {}
    for ordinal, match in enumerate(_PLACEHOLDER.finditer(pseudonymised)):
        placeholder = match.group(0)
        if ordinal in literal or placeholder not in mapping:
            continue
        n = counts[placeholder] = counts.get(placeholder, 0) + 1
        found[match.start()] = (
            match.end(),
            mapping.get(occurrence_key(field, placeholder, n), mapping[placeholder]),
        )
    return found


def reidentify(text: str, sealed: bytes, vault: TokenVault) -> str:
    """``text`` with every placeholder of this record's vault entry replaced by its first
    original (not span-exact: use ``reidentify_verbatim`` for text quoted from it)."""
    return reidentify_with(text, vault.open(sealed))


def reidentify_with(text: str, mapping: Mapping[str, str]) -> str:
    """``reidentify`` with an opened mapping."""
    return _PLACEHOLDER.sub(lambda m: mapping.get(m.group(0), m.group(0)), text)


def restore(pseudonymised: str, sealed: bytes, vault: TokenVault, field: str = "text") -> str:
    """The original ``field`` ("title" or "text") of the record, exactly."""
    spans = occurrences(pseudonymised, vault.open(sealed), field)
    pieces: list[str] = []
    cursor = 0
    for start in sorted(spans):
        end, original = spans[start]
        pieces += [pseudonymised[cursor:start], original]
        cursor = end
    pieces.append(pseudonymised[cursor:])
    return "".join(pieces)


def _pattern(text: str) -> re.Pattern[str] | None:
    """Finds ``text`` in a record field: runs of whitespace match any whitespace (sentence
    splitting joins them), a first letter of either case and a missing final full stop
    are allowed (EHCP extracts capitalise and close sentences); each placeholder is a
    group."""
    parts: list[str] = []
    cursor = 0
    for match in _PLACEHOLDER.finditer(text):
        parts.append(_literal(text[cursor : match.start()]))
        parts.append(f"({re.escape(match.group(0))})")
        cursor = match.end()
    if cursor == 0:
        return None  # nothing to put back
    tail = text[cursor:]
    if tail.endswith("."):
        parts.append(_literal(tail[:-1]) + r"\.?")
    else:
        parts.append(_literal(tail))
    if text[:1].isalpha():
        first = re.escape(text[0].lower()) + re.escape(text[0].upper())
        parts[0] = f"[{first}]" + parts[0][len(re.escape(text[0])) :]
    return re.compile("".join(parts))


def _literal(piece: str) -> str:
    return r"\s+".join(re.escape(word) for word in _SPACE.split(piece))


def verbatim_with(text: str, fields: Mapping[str, str], mapping: Mapping[str, str]) -> str | None:
    """``reidentify_verbatim`` with an opened mapping."""
    pattern = _pattern(text)
    if pattern is None:
        return text  # no placeholder: nothing to put back
    for field in FIELDS:
        pseudonymised = fields.get(field) or ""
        found = pattern.search(pseudonymised)
        if found is None:
            continue
        originals = _originals(found, occurrences(pseudonymised, mapping, field))
        if originals is not None:
            return _put_back(text, originals)
    return None


def _put_back(text: str, originals: list[str]) -> str:
    """``text`` with its placeholders replaced, in order, by ``originals``."""
    replacements = iter(originals)
    return _PLACEHOLDER.sub(lambda _m: next(replacements), text)


def _originals(found: re.Match[str], spans: dict[int, tuple[int, str]]) -> list[str] | None:
    """The original of each placeholder ``found`` matched (a placeholder the vault does
    not know stays as it is); ``None`` if a match is not one whole occurrence."""
    originals: list[str] = []
    for group in range(1, (found.re.groups or 0) + 1):
        end, original = spans.get(found.start(group), (found.end(group), found.group(group)))
        if end != found.end(group):
            return None  # cannot happen for a field the pseudonymiser wrote; be safe
        originals.append(original)
    return originals


def reidentify_verbatim(
    text: str, fields: Mapping[str, str], sealed: bytes, vault: TokenVault
) -> str | None:
    """``text``, a piece of the record quoted word for word, with each placeholder
    replaced by the original of that very occurrence in the record; ``None`` if ``text``
    is not in the record's pseudonymised ``fields`` ({"text": ..., "title": ...})."""
    return verbatim_with(text, fields, vault.open(sealed))
