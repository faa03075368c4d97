"""EHCP drafting: cited draft sections A–K from SEND advice, quality gates, the officer's
review and sign-off, persistence and Word export.

The AI drafts; the local authority decides. I (placement) and J (personal budget) are
never drafted, and only an EHCP officer signs a plan off after reviewing every section.
"""

from assistant.ehcp.drafter import EhcpDrafter
from assistant.ehcp.model import (
    LA_SECTIONS,
    SECTION_IDS,
    SECTION_TITLES,
    AdviceSource,
    EhcpDraft,
    EhcpSection,
    EhcpSentence,
    Gate,
)
from assistant.ehcp.review import ReviewError, SignOffRefused, review_section, sign_off

__all__ = [
    "LA_SECTIONS",
    "SECTION_IDS",
    "SECTION_TITLES",
    "AdviceSource",
    "EhcpDraft",
    "EhcpDrafter",
    "EhcpSection",
    "EhcpSentence",
    "Gate",
    "ReviewError",
    "SignOffRefused",
    "review_section",
    "sign_off",
]
