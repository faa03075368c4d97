"""Masked forms of leaked values, so a leak report never repeats the leak.

Reports show kind, owner, location and a masked form only: enough for an operator to
find and recognise the text, never the value itself.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)


def _mask_words(value: str) -> str:
    """``Mary Ellis`` -> ``M*** E****``: each word keeps its first letter."""
    return _WORD.sub(lambda m: m.group()[0] + "*" * (len(m.group()) - 1), value)


def _mask_chars(value: str, keep_start: int, keep_end: int) -> str:
    """Star every letter/digit except the first ``keep_start`` and last ``keep_end``."""
    positions = [i for i, ch in enumerate(value) if ch.isalnum()]
    if len(positions) <= keep_start + keep_end:
        keep_start, keep_end = min(1, len(positions)), 0
    hidden = set(positions[keep_start : len(positions) - keep_end])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(value))


def _mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    labels = domain.split(".")
    masked_domain = ".".join([_mask_chars(label, 1, 0) for label in labels[:-1]] + labels[-1:])
    return f"{_mask_chars(local, 1, 0)}@{masked_domain}" if domain else _mask_chars(value, 1, 0)


def mask(value: str, kind: str) -> str:
    """A masked form of ``value`` for display, chosen by identifier ``kind``."""
    if kind == "email":
        return _mask_email(value)
    if kind in ("phone", "nhs_number", "upn", "ni_number"):
        count = sum(ch.isalnum() for ch in value)
        return _mask_chars(value, 2, 3) if count >= 10 else _mask_chars(value, 1, 2)
    if kind == "postcode":
        return _mask_chars(value, 2, 0)
    if kind == "dob":
        return _mask_chars(value, 0, 2)
    return _mask_words(value)
