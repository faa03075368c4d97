"""Errors raised by redaction.

Redaction fails closed: if it cannot be configured exactly as asked, nothing that would
need it (ingest, indexing) may start, so raw text never slips through unredacted.
"""

from __future__ import annotations


class RedactionConfigError(RuntimeError):
    """The redaction analyzer cannot be built from the given configuration."""
