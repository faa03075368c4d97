"""Describing failures without values: the one rule for error text about records.

Exception messages from libraries (SQLAlchemy, spaCy, pydantic) can quote the text or the
SQL parameters they failed on, which may be personal data. What caselens prints, logs or
stores about a failure is built from the exception's class, a library error code, a file
path or an OS error name, never from the message itself.
"""

from __future__ import annotations

import errno
import re

_LIBRARY_CODE = re.compile(r"^\[(E\d{2,4})\]")


def safe_reason(exc: BaseException) -> str:
    """``ValueError [E088]``, ``OSError ENOSPC``, ``KeyError``: class, and a code if any."""
    name = type(exc).__name__
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"{name} {errno.errorcode.get(exc.errno, exc.errno)}"
    match = _LIBRARY_CODE.match(str(exc))
    return f"{name} [{match.group(1)}]" if match else name


#: Exceptions that say the machine, not the record, is at fault: never skip past them.
def is_environmental(exc: BaseException) -> bool:
    return isinstance(exc, (OSError, MemoryError, KeyboardInterrupt, SystemExit))
