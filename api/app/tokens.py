"""Local API tokens: ``cl.<user>.<secret>``, stored only as a salted scrypt hash.

The embedded default has no identity provider, so each user in the users file may hold one
API token. The user name in the token picks the hash to check; the secret is 256 random
bits, and the file keeps ``scrypt$N$r$p$salt$hash`` (never the token).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PREFIX = "cl."
_N, _R, _P = 2**14, 8, 1


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_token(user: str) -> str:
    """A fresh token for ``user`` (show it once; store only ``hash_token`` of it)."""
    if not user or "." in user or any(c.isspace() for c in user):
        raise ValueError("user names in tokens must be non-empty, without dots or spaces")
    return f"{PREFIX}{user}.{secrets.token_urlsafe(32)}"


def token_user(token: str) -> str | None:
    """The user a local token claims to be, or None if it is not a local token."""
    if not token.startswith(PREFIX):
        return None
    user, dot, secret = token[len(PREFIX) :].rpartition(".")
    return user if dot and user and secret else None


def hash_token(token: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(token.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def check_token(token: str, stored: str) -> bool:
    """Constant-time check of ``token`` against a stored hash; malformed hashes never match."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = _unb64(digest)
        actual = hashlib.scrypt(
            token.encode("utf-8"),
            salt=_unb64(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=2**26,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)
