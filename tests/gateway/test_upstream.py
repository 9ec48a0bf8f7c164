"""The OpenAI-compatible upstream's stream reader against a real server that writes SSE the
awkward ways the format allows: CRLF line ends split across writes, comments, ``event:`` lines,
multi-line ``data``, no blank line after the last event, and an error event."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest
from aiohttp import web

from garrison.gateway.errors import UpstreamError
from garrison.gateway.upstream import OpenAIUpstream, UpstreamConfig

PIECES = [
    b": keep-alive comment\r",
    b'\n\r\nevent: chunk\r\ndata: {"n": 1}\r\n\r',
    b'\ndata: {"n":\r\ndata: 2}\r\n\r\n',
    b'data: {"n": 3}\n\ndata: {"n": 4}',
]


async def _serve(pieces: list[bytes]) -> tuple[web.AppRunner, int]:
    async def handler(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await resp.prepare(request)
        for piece in pieces:
            await resp.write(piece)
            await asyncio.sleep(0.01)  # separate reads on the client side
        return resp

    app = web.Application()
    app.router.add_post("/v1/chat/completions", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, port


async def _read(pieces: list[bytes]) -> list[dict[str, Any]]:
    runner, port = await _serve(pieces)
    up = OpenAIUpstream(UpstreamConfig("t", f"http://127.0.0.1:{port}/v1", "k", 2, 2, 4))
    await up.start()
    try:
        async with up.chat_stream({"stream": True}) as chunks:
            return [c async for c in chunks]
    finally:
        await up.aclose()
        await runner.cleanup()


def test_sse_framing_variants() -> None:
    assert asyncio.run(_read(PIECES)) == [{"n": 1}, {"n": 2}, {"n": 3}, {"n": 4}]


def test_done_stops_and_error_events_raise() -> None:
    assert asyncio.run(_read([b'data: {"n": 1}\r\n\r\ndata: [DONE]\r\n\r\n'])) == [{"n": 1}]
    error = b'data: {"error": {"message": "model overloaded"}}\n\n'
    with pytest.raises(UpstreamError, match="ended the stream with an error: model overloaded"):
        asyncio.run(_read([b'data: {"n": 1}\n\n', error]))
    with pytest.raises(UpstreamError, match="streamed an event that is not JSON"):
        asyncio.run(_read([b"data: {oops\n\n"]))
