"""Synthetic case estate: families seen through eight source systems, with gold truth.

``generate_estate`` writes extracts and gold files; ``generate_family`` builds one family
in memory (optionally counterfactual, see ``FamilyOverrides``). All data is synthetic.
"""

from evals.estate.demographics import (
    DISABILITIES,
    GENDERS,
    LANGUAGES,
    RELIGIONS,
    FamilyOverrides,
)
from evals.estate.family import GeneratedFamily, generate_family
from evals.estate.names import NAME_ORIGINS
from evals.estate.structure import REFERENCE_DATE
from evals.estate.systems import SYSTEMS
from evals.estate.writer import EstateSummary, generate_estate

__all__ = [
    "DISABILITIES",
    "GENDERS",
    "LANGUAGES",
    "NAME_ORIGINS",
    "REFERENCE_DATE",
    "RELIGIONS",
    "SYSTEMS",
    "EstateSummary",
    "FamilyOverrides",
    "GeneratedFamily",
    "generate_estate",
    "generate_family",
]
