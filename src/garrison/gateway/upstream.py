"""Model providers behind the gateway: one ``Upstream`` per configured provider.

The gateway speaks OpenAI's Chat Completions shape on both sides of itself; an ``Upstream``
adapts that to one provider's API. ``OpenAIUpstream`` is the identity adapter for every
OpenAI-compatible server (OpenAI, Azure-style proxies, vLLM, Ollama, LiteLLM...). An Anthropic
Messages or OpenAI Responses adapter implements the same four calls, translating the request on
the way out and the answer (or each stream chunk) on the way back, and registers its name in
``ADAPTERS``.

Each upstream owns one pooled HTTP client session, opened in ``start()`` and closed in
``aclose()``; aiohttp was chosen over httpx by measurement (docs/benchmarks.md, gateway).
The provider key is sent only to the provider: never logged, never put in an error message.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Protocol

import aiohttp
import orjson

from garrison.gateway.errors import UpstreamError, UpstreamRejected, UpstreamTimeout

_MAX_ERROR_BODY = 64 * 1024


@dataclass(frozen=True, slots=True)
class UpstreamConfig:
    """One provider, resolved at start-up (the key read from its secret reference)."""

    name: str
    base_url: str
    api_key: str | None
    connect_timeout_s: float
    read_timeout_s: float
    max_connections: int


class Upstream(Protocol):
    """A provider, spoken to in OpenAI's request and response shapes."""

    name: str
    provider: str

    async def start(self) -> None: ...

    async def aclose(self) -> None: ...

    async def chat(self, request: dict[str, Any]) -> dict[str, Any]:
        """A ``chat.completion`` for a non-streamed request."""
        ...

    def chat_stream(
        self, request: dict[str, Any]
    ) -> contextlib.AbstractAsyncContextManager[AsyncIterator[dict[str, Any]]]:
        """``chat.completion.chunk`` objects; leaving the context early cancels the request."""
        ...

    async def embeddings(self, request: dict[str, Any]) -> dict[str, Any]: ...

    async def models(self) -> dict[str, Any]: ...


class OpenAIUpstream:
    """Any OpenAI-compatible server: requests go out as they came, answers come back as sent."""

    provider = "openai"

    def __init__(self, config: UpstreamConfig) -> None:
        self.name = config.name
        self.config = config
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        connector = aiohttp.TCPConnector(
            limit=self.config.max_connections, ttl_dns_cache=300, enable_cleanup_closed=True
        )
        headers = {"Accept": "application/json"}
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        self._session = aiohttp.ClientSession(
            connector=connector,
            headers=headers,
            timeout=aiohttp.ClientTimeout(
                total=None,
                connect=self.config.connect_timeout_s,
                sock_read=self.config.read_timeout_s,
            ),
            json_serialize=lambda o: orjson.dumps(o).decode(),
            raise_for_status=False,
            auto_decompress=True,
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    # --- the four calls -----------------------------------------------------------------

    async def chat(self, request: dict[str, Any]) -> dict[str, Any]:
        return await self._json("POST", "/chat/completions", request)

    @contextlib.asynccontextmanager
    async def chat_stream(
        self, request: dict[str, Any]
    ) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        async with self._open("POST", "/chat/completions", request) as resp:
            chunks = self._sse(resp)
            try:
                yield chunks
            finally:
                await chunks.aclose()

    async def embeddings(self, request: dict[str, Any]) -> dict[str, Any]:
        return await self._json("POST", "/embeddings", request)

    async def models(self) -> dict[str, Any]:
        return await self._json("GET", "/models", None)

    # --- transport ------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return self.config.base_url + path

    def _scrub(self, text: str) -> str:
        key = self.config.api_key
        return text.replace(key, "[provider key]") if key else text

    @contextlib.asynccontextmanager
    async def _open(
        self, method: str, path: str, body: dict[str, Any] | None
    ) -> AsyncIterator[aiohttp.ClientResponse]:
        if self._session is None:
            raise UpstreamError(f"upstream {self.name!r} is not started")
        data = orjson.dumps(body) if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else None
        try:
            resp = await self._session.request(method, self._url(path), data=data, headers=headers)
        except Exception as exc:
            raise self._transport_error(exc) from None
        try:
            if resp.status >= 400:
                await self._raise_status(resp)
            yield resp
        except BaseException:
            resp.close()  # not read to its end: drop the connection, the provider stops work
            raise
        else:
            resp.release()

    async def _json(self, method: str, path: str, body: dict[str, Any] | None) -> dict[str, Any]:
        async with self._open(method, path, body) as resp:
            try:
                raw = await resp.read()
            except Exception as exc:
                raise self._transport_error(exc) from None
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise UpstreamError(
                f"upstream {self.name!r} answered {path} with something that is not JSON"
            ) from None
        if not isinstance(data, dict):
            raise UpstreamError(f"upstream {self.name!r} answered {path} with a non-object")
        return data

    async def _sse(self, resp: aiohttp.ClientResponse) -> AsyncGenerator[dict[str, Any], None]:
        """Server-sent events' ``data`` fields as JSON objects, until ``[DONE]`` or the end.

        Reads whatever bytes have arrived rather than line by line: one wake-up handles every
        event already buffered, which matters when a provider sends many small chunks."""
        buffer = b""
        try:
            async for received in resp.content.iter_any():
                # On the joined bytes: a CRLF may be split between two reads.
                buffer = (buffer + received).replace(b"\r\n", b"\n")
                *events, buffer = buffer.split(b"\n\n")
                for block in events:
                    payload = self._data(block)
                    if payload is None:
                        continue
                    if payload == b"[DONE]":
                        return
                    yield self._chunk(payload)
            payload = self._data(buffer)  # a last event without its blank line
            if payload is not None and payload != b"[DONE]":
                yield self._chunk(payload)
        except (UpstreamError, asyncio.CancelledError, GeneratorExit):
            raise
        except Exception as exc:
            raise self._transport_error(exc) from None

    @staticmethod
    def _data(block: bytes) -> bytes | None:
        """An event's ``data`` lines joined; ``event:``, ``id:`` and comments carry nothing we
        forward."""
        data = [line[5:].strip(b" \r") for line in block.split(b"\n") if line.startswith(b"data:")]
        return b"\n".join(data) if data else None

    def _chunk(self, payload: bytes) -> dict[str, Any]:
        try:
            chunk = orjson.loads(payload)
        except orjson.JSONDecodeError:
            raise UpstreamError(
                f"upstream {self.name!r} streamed an event that is not JSON"
            ) from None
        if not isinstance(chunk, dict):
            raise UpstreamError(f"upstream {self.name!r} streamed an event that is not an object")
        if isinstance(chunk.get("error"), dict):
            message = str(chunk["error"].get("message") or "stream error")
            raise UpstreamError(
                f"upstream {self.name!r} ended the stream with an error: "
                + self._scrub(message)[:500],
                details={"upstream": self.name, "provider_text": True},
            )
        return chunk

    async def _raise_status(self, resp: aiohttp.ClientResponse) -> None:
        try:
            raw = await resp.content.read(_MAX_ERROR_BODY)
        except Exception:
            raw = b""
        message, param = "", None
        try:
            err = orjson.loads(raw).get("error")
            if isinstance(err, dict):
                message = str(err.get("message") or "")
                param = err.get("param") if isinstance(err.get("param"), str) else None
            elif isinstance(err, str):
                message = err
        except (orjson.JSONDecodeError, AttributeError):
            message = raw[:200].decode(errors="replace")
        message = self._scrub(message)[:500]
        status = resp.status
        if status in (401, 403):
            # The provider refused Garrison's credentials; its message may quote the key.
            raise UpstreamError(
                f"upstream {self.name!r} rejected the gateway's provider credentials "
                f"(HTTP {status}); check the upstream's api_key setting"
            )
        if status >= 500:
            raise UpstreamError(
                f"upstream {self.name!r} failed with HTTP {status}"
                + (f": {message}" if message else ""),
                details={"upstream": self.name, "status": status, "provider_text": bool(message)},
            )
        raise UpstreamRejected(status, message or f"upstream answered HTTP {status}", param)

    def _transport_error(self, exc: BaseException) -> UpstreamError:
        cfg = self.config
        if isinstance(exc, aiohttp.ConnectionTimeoutError):
            return UpstreamTimeout(
                f"upstream {self.name!r} did not accept a connection within "
                f"{cfg.connect_timeout_s:g}s"
            )
        if isinstance(exc, TimeoutError):
            return UpstreamTimeout(
                f"upstream {self.name!r} sent nothing for {cfg.read_timeout_s:g}s "
                "(gateway read timeout)"
            )
        if isinstance(exc, aiohttp.ClientConnectorError):
            return UpstreamError(
                f"upstream {self.name!r} is unreachable at {cfg.base_url} "
                f"({exc.os_error.strerror or type(exc.os_error).__name__})"
            )
        if isinstance(exc, aiohttp.ClientPayloadError | aiohttp.ServerDisconnectedError):
            return UpstreamError(f"upstream {self.name!r} closed the connection mid-answer")
        return UpstreamError(f"upstream {self.name!r} failed: {type(exc).__name__}")


ADAPTERS: dict[str, Callable[[UpstreamConfig], Upstream]] = {"openai": OpenAIUpstream}
