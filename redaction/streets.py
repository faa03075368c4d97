"""How addresses are written: the one table of street abbreviations and kinds of street,
read by the pseudonymiser (``known_mentions``) and the leak scanner (``leaks``)."""

from __future__ import annotations

#: How notes shorten each kind of street ("Marlow Tce", "Hawthorn Rd.").
STREET_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "road": ("Rd",),
    "street": ("St",),
    "avenue": ("Ave", "Av"),
    "lane": ("Ln",),
    "drive": ("Dr",),
    "close": ("Cl",),
    "crescent": ("Cres",),
    "court": ("Ct",),
    "place": ("Pl",),
    "gardens": ("Gdns",),
    "terrace": ("Terr", "Tce"),
    "grove": ("Gr", "Gro"),
    "square": ("Sq",),
}

#: Words that end a street's name: "4 Willow Rise" is also "Willow Rise".
STREET_KINDS: frozenset[str] = frozenset(
    {*STREET_ABBREVIATIONS, "rise", "way", "walk", "row", "view", "mews", "hill", "green"}
    | {"park", "parade", "vale", "mount", "croft", "fold", "chase", "wynd", "meadows"}
)

#: Streets most towns have, whose names alone more often mean the place than a home.
COMMON_STREETS: frozenset[str] = frozenset(
    {"high", "main", "market", "station", "church", "the", "new", "old"}
)


def street_alone(part: str) -> str | None:
    """The street of a numbered address line without its number ("4 Willow Rise" ->
    "Willow Rise"), when it names a kind of street and is not one most towns have: a
    worker types "at willow rise", and a note says "moved from Marlow Terrace"."""
    words = part.split()
    if len(words) < 3 or not words[0][:1].isdigit():
        return None
    street = words[1:]
    if street[-1].lower() not in STREET_KINDS or street[0].lower() in COMMON_STREETS:
        return None
    return " ".join(street)
