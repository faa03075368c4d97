"""Name normalisation for linkage: fold case/accents and map nicknames to one given name.

Source systems spell the same person differently (Freddie / Frederick, Muhammad /
Mohammed, "O'Brien" / "OBrien"). Comparing folded, canonical forms lets the model see
those as agreement, while the raw spelling is still compared separately.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

_NON_LETTERS = re.compile(r"[^a-z\- ]+")
_SPACES = re.compile(r"[\s\-]+")
#: Letters that Unicode decomposition does not reduce to ASCII.
_LETTER_FOLDS = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "Ae",
        "œ": "oe",
        "Œ": "Oe",
        "ı": "i",
        "þ": "th",
        "ð": "d",
    }
)


def fold_name(value: str | None) -> str | None:
    """Lower-case ASCII letters only, hyphens/spaces collapsed to one space; None if empty."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKD", value.translate(_LETTER_FOLDS))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("'", "").replace("\u2019", "")
    text = _NON_LETTERS.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    return text or None


def parse_nickname_table(text: str) -> dict[str, str]:
    """Parse ``canonical: variant, variant`` lines into variant -> canonical.

    A variant listed under two canonical names is an error: canonicalisation must never
    be ambiguous, or it could make two different people look alike.
    """
    table: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if ":" not in line:
            raise ValueError(f"nickname table line {number}: expected 'canonical: variants'")
        head, tail = line.split(":", 1)
        canonical = fold_name(head)
        if not canonical:
            raise ValueError(f"nickname table line {number}: empty canonical name")
        for name in [canonical, *(fold_name(v) for v in tail.split(","))]:
            if not name:
                continue
            existing = table.get(name)
            if existing is not None and existing != canonical:
                raise ValueError(
                    f"nickname table line {number}: a variant maps to two canonical names"
                )
            table[name] = canonical
    return table


@lru_cache(maxsize=1)
def nickname_table() -> dict[str, str]:
    """The packaged table (``nicknames.txt``), parsed once per process."""
    text = resources.files("retrieval.linkage").joinpath("nicknames.txt").read_text("utf-8")
    return parse_nickname_table(text)


def canonical_given(value: str | None, table: dict[str, str] | None = None) -> str | None:
    """The canonical form of a given name: its first word, through the nickname table."""
    folded = fold_name(value)
    if not folded:
        return None
    lookup = nickname_table() if table is None else table
    if folded in lookup:
        return lookup[folded]
    first = folded.split(" ")[0]
    return lookup.get(first, first)
