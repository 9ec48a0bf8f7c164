"""Signed webhooks, and the one place an HTTP delivery's outcome is classified.

A webhook body is signed with HMAC-SHA256 over ``<timestamp>.<body>`` (the timestamp in
``X-Garrison-Timestamp``, Unix seconds; the signature in ``X-Garrison-Signature`` as
``v1=<hex>``). Signing the timestamp lets a receiver refuse replays older than a few minutes;
``verify`` is the reference a receiver can copy (docs/actions.md shows it standalone).

``post`` sorts answers into delivered (2xx), worth retrying (408, 425, 429, 5xx, transport
errors) and permanent (other 4xx: the request itself is wrong, repeating it cannot help). Error
messages name the status, never the response body or the request's content.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping

import httpx

SIGNATURE_HEADER = "X-Garrison-Signature"
TIMESTAMP_HEADER = "X-Garrison-Timestamp"
DELIVERY_HEADER = "X-Garrison-Delivery"
RETRYABLE = frozenset({408, 425, 429})


class DeliveryFailed(Exception):
    """A send that did not go through; ``permanent`` ones are dead-lettered at once."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def signed_headers(secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    timestamp = int(time.time() if now is None else now)
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sign(secret, timestamp, body)}


def verify(
    secret: str,
    body: bytes,
    timestamp: str,
    signature: str,
    *,
    tolerance_s: int = 300,
    now: float | None = None,
) -> bool:
    """What a receiver does: recompute the MAC, compare in constant time, refuse stale stamps."""
    try:
        stamp = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - stamp) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, stamp, body), signature)


async def post(
    client: httpx.AsyncClient,
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    timeout_s: float,
) -> None:
    """POST ``body``; returns when the receiver accepted it, else raises DeliveryFailed."""
    try:
        response = await client.post(
            url,
            content=body,
            headers={"Content-Type": "application/json", **headers},
            timeout=timeout_s,
        )
    except httpx.TimeoutException:
        raise DeliveryFailed(f"timed out after {timeout_s:g}s") from None
    except httpx.HTTPError as exc:
        raise DeliveryFailed(f"cannot connect: {type(exc).__name__}") from None
    code = response.status_code
    if 200 <= code < 300:
        return
    reason = f"the receiver answered {code} {response.reason_phrase}".rstrip()
    raise DeliveryFailed(reason, permanent=400 <= code < 500 and code not in RETRYABLE)
