"""Reading request bodies safely: a size cap before and after decompression, gzip bombs refused.

The cap applies to the bytes on the wire and again to the decompressed bytes, which are produced
in bounded steps (``max_length``) so a tiny gzip that inflates to gigabytes is stopped at the cap
without ever holding more than the cap in memory. Never logs body content.
"""

from __future__ import annotations

import zlib

from starlette.requests import Request

from garrison.errors import DecodeError, PayloadTooLarge, UnsupportedMediaType

_STEP = 1 << 20


def media_type(request: Request) -> str:
    """The request's media type without parameters, lower-cased ('' when absent)."""
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"request body exceeds the {limit} byte limit (after decompression)",
        details={"limit_bytes": limit},
    )


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, decompressed, at most ``limit`` bytes; raises 413 / 415 / 400 errors."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflater = zlib.decompressobj()
    elif encoding in ("identity", ""):
        inflater = None
    else:
        raise UnsupportedMediaType(
            f"content-encoding {encoding!r} is not supported; use gzip, deflate or identity",
            details={"content_encoding": encoding},
        )
    wire = 0
    out = bytearray()
    async for chunk in request.stream():
        wire += len(chunk)
        if wire > limit:
            raise _too_large(limit)
        if inflater is None:
            out += chunk
            continue
        data = chunk
        try:
            while data:
                out += inflater.decompress(data, limit + 1 - len(out))
                if len(out) > limit:
                    raise _too_large(limit)
                data = inflater.unconsumed_tail
        except zlib.error as exc:
            raise DecodeError(f"body is not valid {encoding}: {exc}") from None
    if inflater is not None:
        try:
            out += inflater.flush(limit + 1 - len(out))
        except zlib.error as exc:
            raise DecodeError(f"body is not valid {encoding}: {exc}") from None
        if len(out) > limit:
            raise _too_large(limit)
        if not inflater.eof:
            raise DecodeError(f"body is truncated {encoding} data")
    return bytes(out)
