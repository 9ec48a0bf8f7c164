"""Identifiers: UUIDv7 event ids, random or derived deterministically from their source.

A deterministic id is what makes ingest idempotent: the same OTLP span posted twice (an exporter
retry) derives the same event id, and the store keeps one copy. The id stays a valid, time-ordered
UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then version/variant bits, then 74 bits that are
random for new events and a SHA-256 digest of the source identity for derived ones.
"""

from __future__ import annotations

import hashlib
import os
import uuid


def _pack(unix_ms: int, tail: bytes) -> str:
    """Lay out 48 bits of milliseconds and 74 bits of ``tail`` as a UUIDv7 string."""
    raw = bytearray((unix_ms & 0xFFFF_FFFF_FFFF).to_bytes(6, "big") + tail[:10])
    raw[6] = 0x70 | (raw[6] & 0x0F)  # version 7, then 12 bits of tail
    raw[8] = 0x80 | (raw[8] & 0x3F)  # RFC 9562 variant, then 62 bits of tail
    h = raw.hex()  # formatted by hand: uuid.UUID costs more than the hash (hot path)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def uuid7(unix_ms: int) -> str:
    """A new random UUIDv7 for the given time."""
    return _pack(unix_ms, os.urandom(10))


def derived_uuid7(unix_ms: int, *parts: str | bytes) -> str:
    """A UUIDv7 whose random bits are a digest of ``parts``: the same inputs give the same id."""
    chunks = []
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        chunks.append(len(data).to_bytes(4, "big"))  # length-prefixed: ("ab","c") != ("a","bc")
        chunks.append(data)
    return _pack(unix_ms, hashlib.sha256(b"".join(chunks)).digest())


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return False
    return True
