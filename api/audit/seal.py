"""The audit seal: an HMAC key held outside the database and an append-only checkpoint file.

The hash chain alone shows an edit someone did not re-chain, or a gap; it cannot show the
last entries deleted, every entry deleted, a chain rebuilt after an edit, or an entry
appended with a correct hash, because anyone who can write the table can compute SHA-256.
So every entry caselens writes is also *signed*: HMAC-SHA256 of ``(seq, entry_hash)`` under
a key that lives in a file beside the vault key, never in the database, and the signed pair
is appended to a checkpoint file (owner-only, one JSON line per entry). ``verify`` then
needs the table to agree with the checkpoints: every entry signed, no signed entry missing.

The first line of a checkpoint file is its ``start``: the chain head when the seal was
created (``seq`` 0 on a new log). Entries before it are covered by the chain, because the
start signs the hash of the entry they lead up to.

An entry is signed before its transaction commits (only the writer holding the sequence
number signs it), and once it has committed a signed ``commit`` line follows. So a writer
killed between signing and committing leaves a signed entry with no ``commit`` and no row:
``verify`` reports that as an unfinished write, not as a deletion; a signed and committed
entry missing from the table is a deletion.

Several hosts writing one database (``AuditSeal.shared``) share the key and a checkpoint
*folder* on a mount they all see: each host appends only to its own file in it
(``<host>.jsonl``: appends from several hosts to one file on a network mount are not
atomic), and ``verify`` reads every file in the folder.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from retrieval.files import private_dir, warn_if_shared

_DOMAIN = "caselens-audit-v1"


class SealError(Exception):
    """The key or checkpoint file cannot be read or written (not evidence of tampering)."""


@dataclass(frozen=True)
class Checkpoint:
    line: int
    seq: int
    entry_hash: str
    kind: str  # "start" | "entry" | "commit"
    valid: bool  # the MAC matches under this key
    source: str = ""  # the checkpoint file's name


def _create_key(path: Path) -> bool:
    """Write a new random key to ``path`` (0600) unless one exists; True if this call made it."""
    private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(descriptor, (secrets.token_hex(32) + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    try:
        os.link(temporary, path)  # atomic: a concurrent creator's key wins, whole
        return True
    except FileExistsError:
        return False
    finally:
        temporary.unlink()


#: A host's checkpoint file name in a shared folder.
_HOST = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def _checkpoint_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


class AuditSeal:
    """Signs audit entries and keeps their checkpoints. Build it with ``AuditSeal.open``."""

    def __init__(
        self,
        key: bytes,
        checkpoint_path: Path,
        created: bool = False,
        *,
        shared_dir: Path | None = None,
    ) -> None:
        if len(key) < 16:
            raise SealError("the audit key is too short (expected 64 hex characters)")
        self._key = key
        #: Where this process appends; with ``shared_dir``, its own file in that folder.
        self.checkpoint_path = Path(checkpoint_path)
        self.shared_dir = Path(shared_dir) if shared_dir is not None else None
        #: The key was made by this ``open``: the caller writes the start checkpoint.
        self.created = created

    @classmethod
    def open(
        cls,
        key_path: Path,
        checkpoint_path: Path,
        create: bool = True,
        *,
        host: str | None = None,
    ) -> AuditSeal:
        """Read the key at ``key_path``, creating it (random, 0600) if absent and ``create``.

        With ``host``, ``checkpoint_path`` is a folder several hosts share: this one appends
        to ``<host>.jsonl`` in it, and ``checkpoints`` reads every ``*.jsonl`` there."""
        key_path = Path(key_path)
        shared_dir = None
        if host is not None:
            if not _HOST.fullmatch(host):
                raise SealError(f"audit host name {host!r}: use letters, digits, '.', '-', '_'")
            shared_dir, checkpoint_path = (
                Path(checkpoint_path),
                Path(checkpoint_path) / (f"{host}.jsonl"),
            )
        created = False
        try:
            if not key_path.exists():
                found = _checkpoint_files(shared_dir) if shared_dir else [Path(checkpoint_path)]
                if any(path.exists() for path in found):
                    # Never re-key silently: the checkpoints could not be checked again.
                    raise SealError(
                        f"the audit key {key_path} is missing but checkpoints exist in "
                        f"{checkpoint_path}; restore the key from its backup"
                    )
                if not create:
                    raise SealError(f"the audit key {key_path} does not exist")
                created = _create_key(key_path)
            warn_if_shared(key_path)
            text = key_path.read_text(encoding="ascii").strip()
            key = bytes.fromhex(text)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise SealError(f"cannot read the audit key {key_path} ({type(exc).__name__})") from exc
        return cls(key, checkpoint_path, created=created, shared_dir=shared_dir)

    def mac(self, seq: int, entry_hash: str, kind: str = "entry") -> str:
        message = f"{_DOMAIN}:{kind}:{seq}:{entry_hash}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def _append(self, seq: int, entry_hash: str, kind: str) -> None:
        line = {
            "kind": kind,
            "seq": seq,
            "hash": entry_hash,
            "mac": self.mac(seq, entry_hash, kind),
        }
        data = (json.dumps(line, sort_keys=True) + "\n").encode()
        try:
            private_dir(self.checkpoint_path.parent)
            descriptor = os.open(
                self.checkpoint_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600
            )
            try:
                os.write(descriptor, data)  # one write: whole lines even with several writers
            finally:
                os.close(descriptor)
        except OSError as exc:
            raise SealError(
                f"cannot write the audit checkpoint {self.checkpoint_path} ({type(exc).__name__})"
            ) from exc

    def start(self, head_seq: int, head_hash: str) -> None:
        """Write the start checkpoint: the chain head when the seal was created."""
        self._append(head_seq, head_hash, "start")

    def sign(self, seq: int, entry_hash: str) -> None:
        """Checkpoint one entry (called before its transaction commits)."""
        self._append(seq, entry_hash, "entry")

    def committed(self, seq: int, entry_hash: str) -> None:
        """Record that the signed entry's transaction committed (called right after)."""
        self._append(seq, entry_hash, "commit")

    def checkpoints(self) -> Iterator[Checkpoint]:
        """Every line of the checkpoint file (of every host's file in a shared folder), with
        whether its MAC is valid under this key.

        Raises ``SealError`` if a file exists but cannot be read; yields nothing if absent.
        """
        if self.shared_dir is None:
            yield from self._read(self.checkpoint_path)
            return
        try:
            files = _checkpoint_files(self.shared_dir)
        except OSError as exc:
            raise SealError(
                f"cannot read the audit checkpoint folder {self.shared_dir} ({type(exc).__name__})"
            ) from exc
        for path in files:
            yield from self._read(path)

    def _read(self, path: Path) -> Iterator[Checkpoint]:
        if not path.exists():
            return
        warn_if_shared(path)
        try:
            with path.open("r", encoding="utf-8") as handle:
                lines = handle.readlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise SealError(
                f"cannot read the audit checkpoint {path} ({type(exc).__name__})"
            ) from exc
        for number, text in enumerate(lines, start=1):
            try:
                item = json.loads(text)
                kind, seq, digest, mac = item["kind"], int(item["seq"]), item["hash"], item["mac"]
                valid = kind in ("start", "entry", "commit") and hmac.compare_digest(
                    str(mac), self.mac(seq, str(digest), str(kind))
                )
                yield Checkpoint(number, seq, str(digest), str(kind), valid, path.name)
            except (ValueError, KeyError, TypeError):
                yield Checkpoint(number, -1, "", "unreadable", False, path.name)
