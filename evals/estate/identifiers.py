"""Obviously fictional identifiers in valid UK formats.

NHS numbers start 999 (a range never issued) and end in a valid mod-11 check digit; UPNs follow the
DfE format with the check letter; phone numbers sit in Ofcom's drama ranges; emails use
example.com / example.org; postcodes have real formats on fictional streets.
"""

from __future__ import annotations

import random

from evals.estate.rng import pick

_UPN_CHECK = "ABCDEFGHJKLMNPQRTUVWXYZ"
# NI prefix letters: first letter not D F I Q U V; second not D F I O Q U V.
_NI_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
_NI_SECOND = "ABCEGHJKLMNPRSTWXYZ"
_NI_BANNED = ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ")

#: Ofcom drama landline ranges: (area code, local prefix) -> number "AREA PREFIX0xxx"
_LANDLINES: tuple[tuple[str, str], ...] = (
    ("0113", "496"),
    ("0114", "496"),
    ("0115", "496"),
    ("0116", "496"),
    ("0117", "496"),
    ("0118", "496"),
    ("0121", "496"),
    ("0131", "496"),
    ("0151", "496"),
    ("0161", "496"),
    ("0191", "498"),
    ("020", "7946"),
)

STREETS: tuple[str, ...] = tuple(
    [
        "Rowan Street",
        "Beech Grove",
        "Alder Close",
        "Hawthorn Road",
        "Millbank Terrace",
        "Chapel Lane",
        "Foundry Walk",
        "Canal Side",
        "Weavers Row",
        "Kestrel Drive",
        "Larkspur Way",
        "Orchard Mews",
        "Granary Court",
        "Tanner Street",
        "Brook Vale",
        "Heather Rise",
        "Station Approach",
        "Quarry Hill",
        "Ashlar Gardens",
        "Cobble Way",
        "Moorland View",
        "Ridgeway Crescent",
        "Linden Avenue",
        "Fern Bank",
        "Victoria Parade",
        "Primrose Hill Road",
        "Saxon Court",
        "Willow Walk",
        "Harrier Close",
        "Osprey Rise",
    ]
)
TOWNS: tuple[tuple[str, str], ...] = (
    ("Eastbridge", "LS"),
    ("Kirkholme", "BD"),
    ("Marston Vale", "WF"),
    ("Oldcastle", "HX"),
    ("Northwick", "HD"),
)
_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def nhs_check_digit(nine: str) -> int | None:
    """Mod-11 check digit for nine digits; ``None`` when the number cannot be valid."""
    total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(value: str) -> bool:
    digits = value.replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])


def nhs_number(rng: random.Random) -> str:
    """A 10-digit NHS number (no spaces) with the 999 test prefix."""
    while True:
        nine = "999" + f"{int(rng.random() * 1_000_000):06d}"
        check = nhs_check_digit(nine)
        if check is not None:
            return nine + str(check)


def upn_check_letter(twelve: str) -> str:
    total = sum(int(d) * w for d, w in zip(twelve, range(2, 14), strict=True))
    return _UPN_CHECK[total % 23]


def is_valid_upn(value: str) -> bool:
    if len(value) != 13 or not value[1:].isdigit():
        return False
    return value[0] == upn_check_letter(value[1:])


def upn(rng: random.Random, la_code: str, year_of_entry: int) -> str:
    """DfE UPN: check letter, LA code, establishment, 2-digit year, serial."""
    establishment = f"{2000 + int(rng.random() * 1000):04d}"
    serial = f"{int(rng.random() * 1000):03d}"
    twelve = f"{la_code}{establishment}{year_of_entry % 100:02d}{serial}"
    return upn_check_letter(twelve) + twelve


def ni_number(rng: random.Random) -> str:
    """NI number in valid format (two letters, six digits, suffix A-D), no spaces."""
    while True:
        prefix = pick(rng, _NI_FIRST) + pick(rng, _NI_SECOND)
        digits = f"{int(rng.random() * 1_000_000):06d}"
        suffix = pick(rng, "ABCD")
        if prefix not in _NI_BANNED:
            return prefix + digits + suffix


def mobile(rng: random.Random) -> str:
    return f"07700 900{int(rng.random() * 1000):03d}"


def landline(rng: random.Random) -> str:
    area, prefix = pick(rng, _LANDLINES)
    return f"{area} {prefix} 0{int(rng.random() * 1000):03d}"


def postcode(rng: random.Random, area: str) -> str:
    district = 1 + int(rng.random() * 19)
    sector = int(rng.random() * 10)
    unit = pick(rng, _POSTCODE_LETTERS) + pick(rng, _POSTCODE_LETTERS)
    return f"{area}{district} {sector}{unit}"


def address(rng: random.Random) -> dict[str, str | None]:
    """An address dict (line1, line2, town, postcode); sometimes a flat."""
    number = 1 + int(rng.random() * 140)
    street = pick(rng, STREETS)
    flat = 1 + int(rng.random() * 24)
    is_flat = rng.random() < 0.35
    town, area = pick(rng, TOWNS)
    code = postcode(rng, area)
    line1 = f"Flat {flat}, {number} {street}" if is_flat else f"{number} {street}"
    return {"line1": line1, "line2": None, "town": town, "postcode": code}


# --- how identifiers are written in free text (one draw each) -----------------------------


def phone_in_text(rng: random.Random, phone: str) -> str:
    """A practitioner's rendering of a phone number: spaced, unspaced or +44."""
    style = int(rng.random() * 4)
    digits = phone.replace(" ", "")
    if style == 0:
        return phone
    if style == 1:
        return digits
    if style == 2:
        return "+44 " + phone[1:]
    if digits.startswith("07"):
        return f"{digits[:5]}-{digits[5:]}"
    return f"({phone.split(' ')[0]}) {''.join(phone.split(' ')[1:])}"


def nhs_in_text(rng: random.Random, value: str) -> str:
    return f"{value[:3]} {value[3:6]} {value[6:]}" if rng.random() < 0.7 else value


def ni_in_text(rng: random.Random, value: str) -> str:
    if rng.random() < 0.5:
        return value
    return f"{value[:2]} {value[2:4]} {value[4:6]} {value[6:8]} {value[8]}"
