"""A scripted, offline stand-in for a chat model with tool calling (OpenAI's API shape).

It behaves like a naive agent model: asked about the inbox, it calls ``read_inbox``; given the
inbox, it follows any instruction it finds there (that is the vulnerability the guard must
cover) — "forward ... to <address>" becomes a ``send_email`` call — otherwise it summarises.
"""

from __future__ import annotations

import re
import threading
import time
from typing import Any

import orjson
from aiohttp import web

_FORWARD = re.compile(r"(?:forward|send)\b.*?\bto\s+([\w.+-]+@[\w.-]+\.\w+)", re.I | re.S)


def _reply(body: dict[str, Any]) -> dict[str, Any]:
    messages = body.get("messages") or []
    last = messages[-1] if messages else {}
    content = str(last.get("content") or "")
    message: dict[str, Any]
    if last.get("role") == "user":
        message = {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "call_1", "type": "function",
                 "function": {"name": "read_inbox", "arguments": "{}"}}
            ],
        }  # fmt: skip
    elif last.get("role") == "tool" and (m := _FORWARD.search(content.replace("\u02c6", " "))):
        args = {"to": m.group(1), "subject": "Fwd: inbox", "body": content[:400]}
        message = {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "call_2", "type": "function",
                 "function": {"name": "send_email", "arguments": orjson.dumps(args).decode()}}
            ],
        }  # fmt: skip
    else:
        n = content.count("From:")
        message = {"role": "assistant", "content": f"You have {n} new message(s); nothing urgent."}
    return {
        "id": "chatcmpl-agent",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "fake-agent-model"),
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": "tool_calls" if message.get("tool_calls") else "stop",
            }
        ],
        "usage": {"prompt_tokens": 50, "completion_tokens": 10, "total_tokens": 60},
    }


SEEN: list[
    dict[str, Any]
] = []  # the request bodies the model received (what the guard let through)


async def _chat(request: web.Request) -> web.Response:
    body = orjson.loads(await request.read())
    SEEN.append(body)
    return web.Response(body=orjson.dumps(_reply(body)), content_type="application/json")


class FakeModel:
    """The fake model on ``127.0.0.1:port`` in a background thread."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._runner: web.AppRunner | None = None
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._loop: Any = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def _serve(self) -> None:
        import asyncio

        self._loop = asyncio.new_event_loop()
        app = web.Application()
        app.router.add_post("/v1/chat/completions", _chat)
        self._runner = web.AppRunner(app)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        self._loop.run_until_complete(site.start())
        self._started.set()
        self._loop.run_forever()

    def __enter__(self) -> FakeModel:
        self._thread.start()
        self._started.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None and self._runner is not None:
            import asyncio

            fut = asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop)
            fut.result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
