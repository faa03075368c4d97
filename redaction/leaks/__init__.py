"""Leak scanning: prove the index, prompts, traces and logs hold no known identifiers.

Build a ``LeakScanner`` from the case store's people, then ``scan`` targets (files,
pseudonymised records, index payloads). See ``identifiers`` for what counts as strong.
"""

from redaction.leaks.identifiers import KINDS, Needle, Strength, needles_from_people
from redaction.leaks.masking import mask
from redaction.leaks.matcher import LeakMatcher, Match
from redaction.leaks.scanner import LeakHit, LeakReport, LeakScanner
from redaction.leaks.targets import (
    IndexPayloadTarget,
    LeakTarget,
    PathTarget,
    PayloadSource,
    PseudonymisedTarget,
    RawRecordTarget,
)

__all__ = [
    "KINDS",
    "IndexPayloadTarget",
    "LeakHit",
    "LeakMatcher",
    "LeakReport",
    "LeakScanner",
    "LeakTarget",
    "Match",
    "Needle",
    "PathTarget",
    "PayloadSource",
    "PseudonymisedTarget",
    "RawRecordTarget",
    "Strength",
    "mask",
    "needles_from_people",
]
