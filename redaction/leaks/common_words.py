"""Names that are also everyday English words, skipped when matched on their own.

A single given or family name is only weak evidence of a leak; when that name is also
an ordinary word ("Will", "Hope", "Brown", "Mark"), a capitalised match at the start of a
sentence is far more likely to be the word than the person, so the scanner does not look
for it alone. Full names containing these words are still matched. The list is the
packaged ``common-word-names.txt`` (one lower-case word a line, ``#`` comments).
"""

from __future__ import annotations

import functools
from importlib import resources


@functools.cache
def common_word_names() -> frozenset[str]:
    """The packaged list of names that are also everyday words."""
    text = resources.files("redaction.leaks").joinpath("common-word-names.txt").read_text()
    lines = (line.strip().lower() for line in text.splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


def is_common_word(name: str) -> bool:
    """True when ``name`` on its own is an everyday word (case-insensitive)."""
    return name.strip().lower() in common_word_names()
