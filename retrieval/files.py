"""Owner-only files: the one rule for what caselens creates and what it warns about.

Everything caselens keeps (case store, vault and audit keys, users file, quarantine,
exports) holds personal data or secrets, so it is created readable by its owner only
(files 0600, folders 0700) whatever the umask, and a file opened with group or world
access gets a warning naming the path (never its content) and the fix.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import stat
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) owner-only; an existing folder is left as it is."""
    path = Path(path)
    missing = []
    current = path
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(folder, DIR_MODE)  # mkdir's mode is filtered by the umask
    return path


def create_private(path: Path) -> bool:
    """Create ``path`` empty and owner-only if it does not exist; True if this call did."""
    path = Path(path)
    private_dir(path.parent)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    os.close(descriptor)
    return True


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` replacing it atomically, owner-only (also when it existed)."""
    path = Path(path)
    private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def open_private(path: Path, mode: str = "w", newline: str | None = None) -> IO[str]:
    """Open ``path`` for writing (``w`` or ``a``, text), created owner-only."""
    path = Path(path)
    private_dir(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if mode == "a" else os.O_TRUNC)
    descriptor = os.open(path, flags, FILE_MODE)
    return os.fdopen(descriptor, mode, encoding="utf-8", newline=newline)


def require_free_space(path: Path, min_bytes: int, why: str) -> None:
    """Raise ``OSError(ENOSPC)`` naming ``path`` if its file system has less than
    ``min_bytes`` free (checked on the nearest existing folder)."""
    folder = Path(path)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    free = shutil.disk_usage(folder).free
    if free < min_bytes:
        raise OSError(
            errno.ENOSPC,
            f"{free // 2**20} MiB free, {why} needs at least {min_bytes // 2**20} MiB",
            str(path),
        )


def is_shared(path: Path) -> bool:
    """Whether group or others have any access to ``path`` (False if it cannot be read)."""
    try:
        return bool(Path(path).stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))
    except OSError:
        return False


def warn_if_shared(path: Path) -> bool:
    """Log a warning (path and mode only) if group or others can access ``path``."""
    if not is_shared(path):
        return False
    mode = stat.S_IMODE(Path(path).stat().st_mode)
    log.warning(
        "%s is readable by group or others (mode %o); make it owner-only: chmod %s %s",
        path,
        mode,
        "700" if Path(path).is_dir() else "600",
        path,
    )
    return True
