"""Who is calling: bearer tokens to a ``Principal`` (OIDC JWTs or local API tokens).

OIDC (e.g. Entra ID): the JWT's signature, issuer, audience and expiry are checked with
PyJWT against the configured JWKS; the claim ``oidc_user_claim`` must name a user in the
users file, and role and caseload come from that file (the same policy roles retrieval
uses). A signed token for someone not in the users file gets 403: signing in is not the
same as being allowed to see case records. Local tokens (``cl.<user>.<secret>``) are
checked against the salted hash in the users file.

The users file is re-read when it changes (``UsersFile``: its size, times and inode are
checked on every sign-in), so a rotated token, a removed user or a new caseload takes
effect with the next request, and the cache of checked tokens is dropped with the old
file. A token for a user without a hash costs the same scrypt check as a wrong one, so
timing does not tell which user names exist.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import yaml

from api.app.tokens import check_token, hash_token, token_user
from retrieval.policy import InformationSharingPolicy
from retrieval.principal import Principal, UserDirectory

_CACHE_SIZE = 256
log = logging.getLogger(__name__)


class AuthError(Exception):
    """401: no credentials, or credentials that do not check out."""


class ForbiddenError(Exception):
    """403: signed in, but not allowed."""


class UnavailableError(Exception):
    """503: the users file cannot be read; nobody is signed in (fail closed)."""


def _stamp(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


class UsersFile:
    """The users file, re-read whenever it changes on disk."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        # At start-up a missing or invalid file raises FileNotFoundError / ValueError.
        self._stamp: tuple[int, ...] | None = _stamp(os.stat(self.path))
        self._users: UserDirectory | None = UserDirectory.load(self.path)

    def current(self) -> UserDirectory:
        try:
            st = os.stat(self.path)
        except OSError as exc:
            raise UnavailableError("the users file cannot be read") from exc
        stamp = _stamp(st)
        with self._lock:
            if stamp != self._stamp or self._users is None:
                try:
                    self._users = UserDirectory.load(self.path)
                except (OSError, ValueError, yaml.YAMLError) as exc:
                    log.error("users file unreadable (%s): nobody signs in", type(exc).__name__)
                    self._users, self._stamp = None, None
                    raise UnavailableError("the users file cannot be read") from exc
                self._stamp = stamp
            return self._users


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    audience: str
    user_claim: str = "preferred_username"
    jwks_url: str = ""
    jwks_path: Path | None = None
    algorithms: tuple[str, ...] = ("RS256",)

    def __post_init__(self) -> None:
        if not self.issuer or not self.audience:
            raise ValueError("OIDC needs both an issuer and an audience")
        if not self.jwks_url and self.jwks_path is None:
            raise ValueError("OIDC needs a JWKS URL or a JWKS file")


class OidcVerifier:
    """Checks JWTs with PyJWT; keys from a JWKS URL (cached by PyJWT) or a JWKS file."""

    def __init__(self, config: OidcConfig) -> None:
        self.config = config
        self._client = jwt.PyJWKClient(config.jwks_url) if config.jwks_url else None
        self._keyset: jwt.PyJWKSet | None = None
        if config.jwks_path is not None:
            data = json.loads(Path(config.jwks_path).read_text(encoding="utf-8"))
            self._keyset = jwt.PyJWKSet.from_dict(data)

    def _key(self, token: str) -> Any:
        if self._client is not None:
            return self._client.get_signing_key_from_jwt(token).key
        assert self._keyset is not None
        kid = jwt.get_unverified_header(token).get("kid")
        for key in self._keyset.keys:
            if kid is None or key.key_id == kid:
                return key.key
        raise jwt.InvalidTokenError("no JWKS key matches the token's key id")

    def user_of(self, token: str) -> str:
        try:
            claims = jwt.decode(
                token,
                self._key(token),
                algorithms=list(self.config.algorithms),
                audience=self.config.audience,
                issuer=self.config.issuer,
                options={"require": ["exp", "iss", "aud"]},
            )
        except (jwt.PyJWTError, ValueError) as exc:
            raise AuthError(f"token rejected: {type(exc).__name__}") from exc
        user = claims.get(self.config.user_claim)
        if not isinstance(user, str) or not user:
            raise AuthError(f"token has no {self.config.user_claim!r} claim")
        return user


class Authenticator:
    """Bearer token -> Principal whose role exists in the policy."""

    def __init__(
        self,
        users: UserDirectory | UsersFile,
        policy: InformationSharingPolicy,
        oidc: OidcVerifier | None = None,
    ) -> None:
        self._source = users
        self._policy = policy
        self._oidc = oidc
        #: sha256(token) -> user for tokens already checked (scrypt costs ~50 ms a check),
        #: valid for the users file they were checked against.
        self._checked: OrderedDict[str, str] = OrderedDict()
        self._checked_for: UserDirectory | None = None
        self._lock = threading.Lock()
        #: Checked instead when a user has no token hash, so that costs a full check too.
        self._decoy = hash_token("cl.nobody.decoy")

    def _users(self) -> UserDirectory:
        if isinstance(self._source, UsersFile):
            return self._source.current()
        return self._source

    def directory(self) -> UserDirectory:
        """The users file as it is now (re-read if it changed)."""
        return self._users()

    def principal(self, authorization: str | None) -> Principal:
        if not authorization:
            raise AuthError("sign in: send 'Authorization: Bearer <token>'")
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise AuthError("use 'Authorization: Bearer <token>'")
        users = self._users()
        user = self._local_user(users, token) if token_user(token) else self._oidc_user(token)
        if user not in users.users:
            raise ForbiddenError("this account is not set up for caselens (not in the users file)")
        principal = users.principal(user)
        if principal.role not in self._policy.roles:
            raise ForbiddenError("this account's role is not in the information-sharing policy")
        return principal

    def _local_user(self, users: UserDirectory, token: str) -> str:
        user = token_user(token)
        assert user is not None
        seen = hashlib.sha256(token.encode("utf-8")).hexdigest()
        with self._lock:
            if self._checked_for is not users:  # the users file changed: check afresh
                self._checked.clear()
                self._checked_for = users
            if self._checked.get(seen) == user:
                self._checked.move_to_end(seen)
                return user
        stored = users.token_hashes.get(user)
        matched = check_token(token, stored if stored is not None else self._decoy)
        if stored is None or not matched:
            raise AuthError("token rejected")
        with self._lock:
            if self._checked_for is users:
                self._checked[seen] = user
                while len(self._checked) > _CACHE_SIZE:
                    self._checked.popitem(last=False)
        return user

    def _oidc_user(self, token: str) -> str:
        if self._oidc is None:
            raise AuthError("token rejected (OIDC sign-in is not configured)")
        return self._oidc.user_of(token)
