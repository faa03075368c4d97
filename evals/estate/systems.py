"""Source systems: id schemes, deep links and each system's small pool of professionals.

Person and record ids come from a per-system affine permutation of (family index, slot),
so they are stable for one family whatever else is generated, never collide, and do not
reveal which family (or which other system's record) they belong to.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from evals.estate.names import PROFESSIONAL_FAMILY, PROFESSIONAL_GIVEN
from evals.estate.rng import pick, stream

SYSTEMS: tuple[str, ...] = (
    "LCS",
    "EHM",
    "SCHOOL",
    "POLICE",
    "HEALTH",
    "HOUSING",
    "YOUTH_JUSTICE",
    "SEND",
)

PERSON_SLOTS = 32
RECORD_SLOTS = 1000


@dataclass(frozen=True)
class SystemSpec:
    code: str
    person_prefix: str
    record_prefix: str
    host: str
    organisation: str
    case_prefix: str


SPECS: dict[str, SystemSpec] = {
    "LCS": SystemSpec(
        "LCS",
        "LCS-P",
        "LCS-R",
        "lcs.example-council.gov.uk",
        "Example Council Children's Social Care",
        "LCS",
    ),
    "EHM": SystemSpec(
        "EHM", "EHM-", "EH-", "earlyhelp.example-council.gov.uk", "Example Council Early Help", "EH"
    ),
    "SCHOOL": SystemSpec("SCHOOL", "SCH-", "SCHR-", "school-mis.example.org", "School", "SCH"),
    "POLICE": SystemSpec(
        "POLICE",
        "POL-N",
        "POL-OCC",
        "niche.example-police.example.org",
        "Example Constabulary",
        "OCC",
    ),
    "HEALTH": SystemSpec(
        "HEALTH",
        "HLT-",
        "HLTR-",
        "health-records.example-nhs.example.org",
        "Example NHS Trust",
        "HLT",
    ),
    "HOUSING": SystemSpec(
        "HOUSING",
        "HSG-T",
        "HSG-N",
        "housing.example-council.gov.uk",
        "Example Council Housing",
        "HSG",
    ),
    "YOUTH_JUSTICE": SystemSpec(
        "YOUTH_JUSTICE",
        "YJ-",
        "YJR-",
        "yj.example-council.gov.uk",
        "Example Youth Justice Service",
        "YJ",
    ),
    "SEND": SystemSpec(
        "SEND",
        "SEN-",
        "SENR-",
        "send.example-council.gov.uk",
        "Example Council SEND Service",
        "SEN",
    ),
}

_PATHS: dict[str, str] = {
    "LCS": "https://{host}/case/{person}/record/{record}",
    "EHM": "https://{host}/families/{person}/episodes/{record}",
    "SCHOOL": "https://{host}/pupil/{person}/log/{record}",
    "POLICE": "https://{host}/occurrence/{record}",
    "HEALTH": "https://{host}/patient/{person}/documents/{record}",
    "HOUSING": "https://{host}/tenancy/{person}/notes/{record}",
    "YOUTH_JUSTICE": "https://{host}/young-person/{person}/{record}",
    "SEND": "https://{host}/ehcp/{person}/advice/{record}",
}

SCHOOLS: tuple[str, ...] = (
    "Eastbridge Primary School",
    "St Wilfrid's CE Primary School",
    "Kirkholme Academy",
    "Marston Vale High School",
    "Oldcastle Community Primary",
    "Northwick Park Junior School",
    "Holy Family Catholic Primary",
    "Riverside Infant School",
    "Brookfield Academy",
    "Heathcote Secondary School",
)

GP_PRACTICES: tuple[str, ...] = (
    "Riverside Medical Centre",
    "Eastbridge Health Centre",
    "Kirkholme Family Practice",
    "Marston Vale Surgery",
    "Canal Street Medical Centre",
    "Oldcastle Group Practice",
    "Northwick Road Surgery",
)

#: system -> (role key, job title) of the professionals each system employs.
ROLES: dict[str, tuple[tuple[str, str], ...]] = {
    "LCS": (
        ("sw", "Social Worker"),
        ("sw", "Senior Practitioner"),
        ("tm", "Team Manager"),
        ("sw", "Social Worker"),
        ("iro", "Independent Reviewing Officer"),
        ("legal", "Solicitor, Legal Services"),
    ),
    "EHM": (
        ("fsw", "Family Support Worker"),
        ("fsw", "Family Support Worker"),
        ("fsw", "Early Help Practitioner"),
        ("tm", "Early Help Team Leader"),
    ),
    "SCHOOL": (
        ("dsl", "Designated Safeguarding Lead"),
        ("dsl", "Deputy DSL"),
        ("attendance", "Attendance Officer"),
        ("head", "Headteacher"),
        ("senco", "SENCO"),
    ),
    "POLICE": (
        ("officer", "PC"),
        ("officer", "PC"),
        ("officer", "DC"),
        ("mash", "MASH Sergeant"),
        ("officer", "PCSO"),
    ),
    "HEALTH": (
        ("hv", "Health Visitor"),
        ("hv", "Health Visitor"),
        ("gp", "GP"),
        ("camhs", "CAMHS Clinical Psychologist"),
        ("camhs", "CAMHS Practitioner"),
        ("nurse", "School Nurse"),
    ),
    "HOUSING": (("housing", "Housing Officer"), ("housing", "Tenancy Sustainment Officer")),
    "YOUTH_JUSTICE": (("yj", "Youth Justice Officer"), ("yj", "YJ Case Manager")),
    "SEND": (
        ("ep", "Educational Psychologist"),
        ("salt", "Speech and Language Therapist"),
        ("ot", "Occupational Therapist"),
        ("paed", "Community Paediatrician"),
        ("sw", "Social Worker (Disabled Children's Team)"),
        ("officer", "SEND Case Officer"),
    ),
}


@dataclass(frozen=True)
class Professional:
    name: str
    role: str
    role_key: str
    organisation: str
    email: str
    phone: str

    def author(self) -> dict[str, str]:
        return {
            "name": self.name,
            "role": self.role,
            "organisation": self.organisation,
            "email": self.email,
            "phone": self.phone,
        }


def professionals(seed: int, system: str) -> tuple[Professional, ...]:
    """The system's staff (same for every family of one seed)."""
    rng = stream(seed, -1, f"professionals|{system}")
    spec = SPECS[system]
    out: list[Professional] = []
    used: list[str] = []
    for i, (key, title) in enumerate(ROLES[system]):
        while True:
            given = pick(rng, PROFESSIONAL_GIVEN)
            family = pick(rng, PROFESSIONAL_FAMILY)
            name = f"{given} {family}"
            if name not in used:
                used.append(name)
                break
        email = f"{given.lower()}.{family.lower()}@example.org"
        phone = f"0113 496 0{(int(rng.random() * 500) + 500 + i) % 1000:03d}"
        out.append(Professional(name, title, key, spec.organisation, email, phone))
    return tuple(out)


def professional_for(pool: tuple[Professional, ...], role_key: str, choice: int) -> Professional:
    matches = [p for p in pool if p.role_key == role_key]
    if not matches:
        raise ValueError(f"no professional with role key {role_key!r}")
    return matches[choice % len(matches)]


def _affine(seed: int, system: str, kind: str, value: int, modulus: int) -> int:
    digest = hashlib.sha256(f"ids|{seed}|{system}|{kind}".encode()).digest()
    a = int.from_bytes(digest[:8], "big") % modulus
    # a must be a unit mod 10^k: odd and not a multiple of 5.
    while a % 2 == 0 or a % 5 == 0:
        a = (a + 1) % modulus
    b = int.from_bytes(digest[8:16], "big") % modulus
    return (a * value + b) % modulus


def person_id(seed: int, system: str, family_index: int, slot: int) -> str:
    n = _affine(seed, system, "person", family_index * PERSON_SLOTS + slot, 10**7)
    return f"{SPECS[system].person_prefix}{n:07d}"


def record_id(seed: int, system: str, family_index: int, record_no: int) -> str:
    n = _affine(seed, system, "record", family_index * RECORD_SLOTS + record_no, 10**8)
    return f"{SPECS[system].record_prefix}{n:08d}"


def case_reference(seed: int, system: str, family_index: int, year: int) -> str:
    n = _affine(seed, system, "case", family_index, 10**5)
    return f"{SPECS[system].case_prefix}/{year}/{n:05d}"


def source_url(system: str, person: str, record: str) -> str:
    return _PATHS[system].format(host=SPECS[system].host, person=person, record=record)
