"""API keys: creating them (the secret shown once, only its hash stored) and checking them.

A key reads ``gsk_<key id>_<secret>``. The id finds the stored record; the secret is compared
in constant time against its SHA-256 (the secret is 256 random bits, so a fast hash is enough).
Every route but health needs a key; the key's tenant scopes every read and write.
Secrets never reach logs or error messages.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from garrison.errors import AuthError, ForbiddenError, ValidationError
from garrison.store.base import ApiKey, Store

SCOPES = frozenset({"ingest", "read", "admin"})
_TOKEN = re.compile(r"gsk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})")
_TENANT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: resolved from the bearer key on every request."""

    key_id: str
    tenant: str
    scopes: frozenset[str]
    app: str | None = None

    def require(self, scope: str) -> None:
        if scope not in self.scopes and "admin" not in self.scopes:
            raise ForbiddenError(
                f"this API key lacks the {scope!r} scope", details={"required_scope": scope}
            )


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_scopes(text: str) -> frozenset[str]:
    scopes = frozenset(s.strip() for s in text.split(",") if s.strip())
    unknown = scopes - SCOPES
    if unknown or not scopes:
        raise ValidationError(
            f"scopes must be a comma-separated subset of {', '.join(sorted(SCOPES))}"
            + (f"; unknown: {', '.join(sorted(unknown))}" if unknown else ""),
            details={"field": "scopes"},
        )
    return scopes


def validate_tenant(tenant: str) -> str:
    if not _TENANT.fullmatch(tenant):
        raise ValidationError(
            "tenant: 1-128 characters of letters, digits, '.', '_' or '-', starting with a "
            "letter or digit",
            details={"field": "tenant"},
        )
    return tenant


async def create_api_key(
    store: Store,
    *,
    tenant: str,
    scopes: frozenset[str],
    name: str | None = None,
    app: str | None = None,
) -> tuple[ApiKey, str]:
    """Store a new key and return it with its token; the token is never retrievable again."""
    validate_tenant(tenant)
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    key = ApiKey(
        id=key_id,
        tenant=tenant,
        secret_hash=_hash(secret),
        scopes=scopes,
        created_at=datetime.now(UTC),
        name=name,
        app=app,
    )
    await store.create_key(key)
    return key, f"gsk_{key_id}_{secret}"


class KeyVerifier:
    """Resolves bearer tokens to principals, caching stored keys for ``ttl_s`` seconds."""

    def __init__(self, store: Store, ttl_s: float) -> None:
        self.store = store
        self.ttl_s = ttl_s
        self._cache: dict[str, tuple[float, ApiKey | None]] = {}

    async def _key(self, key_id: str) -> ApiKey | None:
        now = time.monotonic()
        hit = self._cache.get(key_id)
        if hit is not None and hit[0] > now:
            return hit[1]
        key = await self.store.find_key(key_id)
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key_id] = (now + self.ttl_s, key)
        return key

    async def verify(self, authorization: str | None) -> Principal:
        if not authorization:
            raise AuthError("missing Authorization: Bearer <api key> header")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthError("the Authorization header must be 'Bearer <api key>'")
        match = _TOKEN.fullmatch(token.strip())
        if match is None:
            raise AuthError("unknown API key")
        key_id, secret = match.groups()
        key = await self._key(key_id)
        if key is None or key.revoked_at is not None:
            raise AuthError("unknown API key")
        if not hmac.compare_digest(key.secret_hash, _hash(secret)):
            raise AuthError("unknown API key")
        return Principal(key_id=key.id, tenant=key.tenant, scopes=key.scopes, app=key.app)
