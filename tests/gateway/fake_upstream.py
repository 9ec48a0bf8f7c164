"""A small OpenAI-compatible model server for the gateway's tests and benchmark, run as its own
process (``python -m tests.gateway.fake_upstream --port N``).

What it answers is steered by a ``fake`` object in the request body (the gateway forwards unknown
fields untouched; the openai SDK sends it with ``extra_body={"fake": {...}}``):

- ``content``: the answer (default: ``echo: `` + the last user message);
- ``chunks``: the streamed pieces (default: the answer in pieces of ``chunk_size`` characters);
- ``delay_ms`` before answering, ``chunk_delay_ms`` between streamed chunks;
- ``tool_calls``: ``[{"id", "name", "arguments"}]`` returned instead of text;
- ``status`` + ``message``: answer with that HTTP error in OpenAI's error shape;
- ``hang``: never answer; ``hang_after_chunks``: stop sending (connection open) after N chunks.

``GET /_requests`` returns what it received (headers and bodies, newest last) and ``GET /_stats``
counts streams that the client abandoned before their end, so tests can see what the gateway sent
and whether it cancelled the upstream request.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time
from typing import Any

import orjson
from aiohttp import web

STATE: dict[str, Any] = {
    "requests": [],
    "cancelled": 0,  # streams the client abandoned before their end
    "cancelled_waiting": 0,  # requests abandoned while the answer was being "generated"
    "completed": 0,
    "active": 0,
}
API_KEY: str | None = None


def _error(status: int, message: str, type_: str = "invalid_request_error") -> web.Response:
    body = {"error": {"message": message, "type": type_, "param": None, "code": None}}
    return web.Response(status=status, body=orjson.dumps(body), content_type="application/json")


def _text(content: Any) -> str:
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return content if isinstance(content, str) else ""


async def _record(request: web.Request) -> dict[str, Any] | web.Response:
    raw = await request.read()
    body = orjson.loads(raw) if raw else {}
    STATE["requests"].append({"path": request.path, "headers": dict(request.headers), "body": body})
    del STATE["requests"][:-50]
    if API_KEY is not None and request.headers.get("Authorization") != f"Bearer {API_KEY}":
        got = request.headers.get("Authorization", "")[7:]
        # Like OpenAI, echo part of the wrong key: the gateway must never pass this on.
        return _error(401, f"Incorrect API key provided: {got[:6]}...{got[-4:]}", "invalid_api_key")
    return body if isinstance(body, dict) else {}


async def chat(request: web.Request) -> web.StreamResponse:
    body = await _record(request)
    if isinstance(body, web.Response):
        return body
    fake: dict[str, Any] = body.get("fake") or {}
    try:
        if fake.get("hang"):
            await asyncio.sleep(3600)
        if fake.get("delay_ms"):
            await asyncio.sleep(fake["delay_ms"] / 1000)
    except asyncio.CancelledError:
        STATE["cancelled_waiting"] += 1
        raise
    if fake.get("status"):
        return _error(int(fake["status"]), fake.get("message", "upstream error"))
    messages = body.get("messages") or []
    last_user = next(
        (_text(m.get("content")) for m in reversed(messages) if m.get("role") == "user"), ""
    )
    content: str = fake.get("content", f"echo: {last_user}")
    tool_calls = fake.get("tool_calls") or []
    model = body.get("model", "fake-model")
    created = int(time.time())
    if not body.get("stream"):
        message: dict[str, Any] = {"role": "assistant", "content": None if tool_calls else content}
        if tool_calls:
            message["tool_calls"] = [
                {"id": t["id"], "type": "function",
                 "function": {"name": t["name"], "arguments": t["arguments"]}}
                for t in tool_calls
            ]  # fmt: skip
        return web.json_response(
            {
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "created": created,
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "message": message,
                        "finish_reason": "tool_calls" if tool_calls else "stop",
                    }
                ],
                "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
            },
            dumps=lambda o: orjson.dumps(o).decode(),
        )
    size = int(fake.get("chunk_size", 8))
    chunks: list[str] = fake.get("chunks") or [
        content[i : i + size] for i in range(0, len(content), size)
    ]
    resp = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await resp.prepare(request)

    def frame(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> bytes:
        chunk = {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            **extra,
        }
        return b"data: " + orjson.dumps(chunk) + b"\n\n"

    STATE["active"] += 1
    finished = False
    try:
        await resp.write(frame({"role": "assistant", "content": ""}))
        for i, piece in enumerate([] if tool_calls else chunks):
            if fake.get("hang_after_chunks") is not None and i >= fake["hang_after_chunks"]:
                await asyncio.sleep(3600)
            if fake.get("chunk_delay_ms"):
                await asyncio.sleep(fake["chunk_delay_ms"] / 1000)
            await resp.write(frame({"content": piece}))
        for index, t in enumerate(tool_calls):
            args = t["arguments"]
            half = len(args) // 2
            head = {"name": t["name"], "arguments": args[:half]}
            first = {"index": index, "id": t["id"], "type": "function", "function": head}
            await resp.write(frame({"tool_calls": [first]}))
            rest = {"index": index, "function": {"arguments": args[half:]}}
            await resp.write(frame({"tool_calls": [rest]}))
        await resp.write(frame({}, "tool_calls" if tool_calls else "stop"))
        if (body.get("stream_options") or {}).get("include_usage"):
            usage = {
                "prompt_tokens": 10,
                "completion_tokens": len(chunks),
                "total_tokens": 10 + len(chunks),
            }
            chunk = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": created,
                     "model": model, "choices": [], "usage": usage}  # fmt: skip
            await resp.write(b"data: " + orjson.dumps(chunk) + b"\n\n")
        await resp.write(b"data: [DONE]\n\n")
        finished = True
        STATE["completed"] += 1
    except (ConnectionResetError, asyncio.CancelledError):
        raise
    finally:
        STATE["active"] -= 1
        if not finished:
            STATE["cancelled"] += 1
    return resp


async def embeddings(request: web.Request) -> web.Response:
    body = await _record(request)
    if isinstance(body, web.Response):
        return body
    inputs = body.get("input")
    items = inputs if isinstance(inputs, list) else [inputs]
    data = [
        {"object": "embedding", "index": i, "embedding": [float(len(str(x)) % 7) / 7] * 8}
        for i, x in enumerate(items)
    ]
    return web.json_response(
        {
            "object": "list",
            "data": data,
            "model": body.get("model"),
            "usage": {"prompt_tokens": len(items), "total_tokens": len(items)},
        }
    )


async def models(request: web.Request) -> web.Response:
    body = await _record(request)
    if isinstance(body, web.Response):
        return body
    data = [
        {"id": m, "object": "model", "created": 0, "owned_by": "fake"} for m in ("fake-1", "fake-2")
    ]
    return web.json_response({"object": "list", "data": data})


async def requests_seen(_: web.Request) -> web.Response:
    return web.json_response(STATE["requests"])


async def stats(_: web.Request) -> web.Response:
    return web.json_response({k: v for k, v in STATE.items() if k != "requests"})


def make_app() -> web.Application:
    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_post("/v1/chat/completions", chat)
    app.router.add_post("/v1/embeddings", embeddings)
    app.router.add_get("/v1/models", models)
    app.router.add_get("/_requests", requests_seen)
    app.router.add_get("/_stats", stats)
    return app


def main() -> None:
    global API_KEY
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--key", default=None, help="require this provider key")
    args = parser.parse_args()
    API_KEY = args.key
    with contextlib.suppress(KeyboardInterrupt):
        web.run_app(
            make_app(), host="127.0.0.1", port=args.port, print=None, access_log=None,
            handler_cancellation=True,
        )  # fmt: skip


if __name__ == "__main__":
    main()
