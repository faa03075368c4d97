"""Token vault crypto: the placeholder -> original-text mapping, encrypted at rest.

The mapping is what turns ``[Mother]`` back into a real name for an authorised viewer, so
it is the most sensitive thing caselens stores. It is sealed with Fernet (AES-128-CBC +
HMAC-SHA256, from the ``cryptography`` package) under a key that comes from settings or
the environment and never from the repository. ``MultiFernet`` lets an operator rotate
keys: the first key seals, every listed key can open.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class VaultKeyError(RuntimeError):
    """The vault key is missing or malformed: nothing can be sealed or opened."""


class VaultLockedError(PermissionError):
    """The sealed mapping cannot be opened with the keys given (wrong key or tampered)."""


def generate_vault_key() -> str:
    """A fresh key for ``CASELENS_VAULT_KEY`` (url-safe base64, 32 bytes)."""
    return Fernet.generate_key().decode("ascii")


class TokenVault:
    """Seals and opens per-record mappings; holds keys, never mappings."""

    def __init__(self, keys: str | Sequence[str] | None) -> None:
        if keys is None or (isinstance(keys, str) and not keys.strip()):
            raise VaultKeyError(
                "no vault key configured: set CASELENS_VAULT_KEY "
                "(create one with `caselens vault keygen`)"
            )
        key_list = [k.strip() for k in keys.split(",")] if isinstance(keys, str) else list(keys)
        try:
            self._fernet = MultiFernet([Fernet(k.encode("ascii")) for k in key_list if k])
        except (ValueError, TypeError) as exc:
            raise VaultKeyError(
                "the vault key is not a valid Fernet key (32 url-safe base64-encoded bytes)"
            ) from exc

    def seal(self, mapping: Mapping[str, str]) -> bytes:
        """Encrypt a placeholder -> original mapping."""
        payload = json.dumps(dict(mapping), sort_keys=True, ensure_ascii=False)
        return self._fernet.encrypt(payload.encode("utf-8"))

    def open(self, token: bytes) -> dict[str, str]:
        """Decrypt a mapping; a wrong key or any tampering raises VaultLockedError."""
        try:
            payload = self._fernet.decrypt(token)
        except InvalidToken as exc:
            raise VaultLockedError("the vault entry cannot be opened with this key") from exc
        value = json.loads(payload.decode("utf-8"))
        if not isinstance(value, dict):
            raise VaultLockedError("the vault entry is not a mapping")
        return {str(k): str(v) for k, v in value.items()}

    def rotate(self, token: bytes) -> bytes:
        """Re-seal an entry under the first (newest) key."""
        try:
            return self._fernet.rotate(token)
        except InvalidToken as exc:
            raise VaultLockedError("the vault entry cannot be opened with this key") from exc
