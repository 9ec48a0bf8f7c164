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
    ms = unix_ms & 0xFFFF_FFFF_FFFF
    rand = int.from_bytes(tail[:10], "big")
    rand_a = (rand >> 68) & 0xFFF  # 12 bits
    rand_b = rand & ((1 << 62) - 1)  # 62 bits
    value = (ms << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
    return str(uuid.UUID(int=value))


def uuid7(unix_ms: int) -> str:
    """A new random UUIDv7 for the given time."""
    return _pack(unix_ms, os.urandom(10))


def derived_uuid7(unix_ms: int, *parts: str | bytes) -> str:
    """A UUIDv7 whose random bits are a digest of ``parts``: the same inputs give the same id."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(4, "big"))
        h.update(data)
    return _pack(unix_ms, h.digest())


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return False
    return True
