"""The SDK: the guard for applications that do not go through the gateway.

    from garrison import Guard

    guard = Guard()                                   # in-process: detectors + policy, no server
    guard = Guard(policy="policy.yaml")               # a policy file
    guard = Guard(server="http://garrison:4318", api_key="gsk_...")   # POST /api/v1/scan

    r = guard.scan_input("What is our refund policy?")            # one user message
    r = guard.scan_input(messages)                    # OpenAI-style messages (tool results too)
    if r.blocked: ...
    send(r.messages)                                  # spotlit / redacted / canary planted
    out = guard.scan_output(answer, exchange=r.exchange)
    ok = guard.check_tool_call("send_email", {"to": "..."}, exchange=r.exchange)

Every method has an ``a``-prefixed coroutine twin (``ascan_input``...) for async code; the plain
ones run their own event loop and refuse to run inside a running one (call the async twin there).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from garrison.errors import GarrisonError, InputError
from garrison.guard.types import (
    Action,
    ChatMessage,
    Decision,
    Exchange,
    GuardContext,
    result_dict,
)

Messages = str | Sequence[Mapping[str, Any]]


@dataclass(slots=True)
class ScanResult:
    """What the SDK returns: the decision in plain values."""

    action: Action
    blocked: bool
    violations: list[dict[str, Any]]
    codes: list[str]
    messages: list[dict[str, Any]] = field(default_factory=list)
    text: str | None = None
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    exchange: Exchange = field(default_factory=Exchange)
    refusal: str | None = None
    annotate_only: bool = False
    latency_ms: float = 0.0
    attributes: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ScanResult:
        msgs = list(data.get("messages") or [])
        return cls(
            action=Action(data["action"]),
            blocked=bool(data["blocked"]),
            violations=list(data.get("violations") or []),
            codes=list(data.get("codes") or []),
            messages=msgs,
            text=data.get("text") if "text" in data else _last_text(msgs),
            tool_calls=list(data.get("tool_calls") or []),
            exchange=Exchange.from_dict(data.get("exchange")),
            refusal=data.get("refusal"),
            annotate_only=bool(data.get("annotate_only")),
            latency_ms=float(data.get("latency_ms") or 0.0),
            attributes=dict(data.get("attributes") or {}),
        )


def _last_text(messages: Sequence[Mapping[str, Any]]) -> str | None:
    return messages[-1].get("content") if len(messages) == 1 else None


def _as_messages(value: Messages, channel: str) -> list[dict[str, Any]]:
    if isinstance(value, str):
        role = channel if channel in ("system", "user", "tool") else "user"
        return [{"role": role, "content": value, "channel": channel}]
    return [dict(m) for m in value]


class Guard:
    """In-process (default) or against a Garrison server (``server=`` and ``api_key=``)."""

    def __init__(
        self,
        policy: str | Path | Any = None,
        *,
        app: str = "default",
        tenant: str = "local",
        detectors: Mapping[str, Mapping[str, Any] | None] | None = None,
        server: str | None = None,
        api_key: str | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self.app = app
        self.tenant = tenant
        self.server = server.rstrip("/") if server else None
        self.api_key = api_key
        self.timeout_s = timeout_s
        self._local: Any = None
        if self.server is None:
            from garrison.guard.api import Guard as PolicyGuard
            from garrison.guard.policy import Policy, default_policy, load_policy

            if policy is None:
                pol = default_policy()
            elif isinstance(policy, Policy):
                pol = policy
            else:
                pol = load_policy(Path(policy))
            self._local = PolicyGuard(pol, detectors=detectors)
        elif policy is not None:
            raise InputError("policy: a server applies its own policies; pass one or the other")

    def _ctx(self, principal: str | None, session_id: str | None) -> GuardContext:
        return GuardContext(
            tenant=self.tenant, app=self.app, principal=principal, session_id=session_id
        )

    async def _remote(self, body: dict[str, Any]) -> ScanResult:
        import httpx

        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        async with httpx.AsyncClient(timeout=self.timeout_s) as client:
            r = await client.post(f"{self.server}/api/v1/scan", json=body, headers=headers)
        data = r.json() if r.content else {}
        if r.status_code != 200:
            err = data.get("error", {}) if isinstance(data, dict) else {}
            raise GarrisonError(
                f"scan failed ({r.status_code}): {err.get('message', r.text[:200])}"
            )
        return ScanResult.from_json(data)

    @staticmethod
    def _result(decision: Decision, exchange: Exchange) -> ScanResult:
        data = result_dict(decision, exchange)
        result = ScanResult.from_json(data)
        result.exchange = exchange  # keep the live object (its flow index, context)
        return result

    # --- async ------------------------------------------------------------------------------

    async def ascan_input(
        self,
        messages: Messages,
        *,
        channel: str = "user",
        principal: str | None = None,
        session_id: str | None = None,
    ) -> ScanResult:
        """Scan what goes to the model: a text on ``channel`` or OpenAI-style messages."""
        raw = _as_messages(messages, channel)
        if self._local is None:
            return await self._remote(
                {"direction": "input", "messages": raw, "app": self.app,
                 "principal": principal, "session_id": session_id}
            )  # fmt: skip
        from garrison.guard.messages import messages_from

        ctx = self._ctx(principal, session_id)
        parsed: list[ChatMessage] = messages_from(raw)
        gate = await self._local.check_principal(ctx)
        if gate.blocked:
            return self._result(gate, Exchange())
        decision = await self._local.scan_input(parsed, ctx)
        return self._result(decision, decision.exchange)

    async def ascan_output(
        self,
        text: str | None,
        *,
        tool_calls: Sequence[Mapping[str, Any]] = (),
        exchange: Exchange | None = None,
        principal: str | None = None,
        session_id: str | None = None,
    ) -> ScanResult:
        """Scan the model's answer (and the tool calls it asks for)."""
        exchange = exchange or Exchange()
        if self._local is None:
            return await self._remote(
                {"direction": "output", "text": text, "tool_calls": [dict(c) for c in tool_calls],
                 "exchange": exchange.to_dict(), "app": self.app, "principal": principal,
                 "session_id": session_id}
            )  # fmt: skip
        from garrison.guard.messages import tool_call_from

        calls = [tool_call_from(c, f"tool_calls[{i}]") for i, c in enumerate(tool_calls)]
        decision = await self._local.scan_output(
            text, calls, self._ctx(principal, session_id), exchange
        )
        return self._result(decision, exchange)

    async def acheck_tool_call(
        self,
        name: str,
        arguments: str | Mapping[str, Any],
        *,
        exchange: Exchange | None = None,
        principal: str | None = None,
        session_id: str | None = None,
    ) -> ScanResult:
        """Check a tool call before running it (allow-list, constraints, information flow)."""
        exchange = exchange or Exchange()
        args = arguments if isinstance(arguments, str) else orjson.dumps(arguments).decode()
        call = {"id": "", "name": name, "arguments": args}
        if self._local is None:
            return await self._remote(
                {"direction": "tool_call", "tool_call": call, "exchange": exchange.to_dict(),
                 "app": self.app, "principal": principal, "session_id": session_id}
            )  # fmt: skip
        from garrison.guard.messages import tool_call_from

        decision = await self._local.check_tool_call(
            tool_call_from(call, "tool_call"), self._ctx(principal, session_id), exchange
        )
        return self._result(decision, exchange)

    # --- sync -------------------------------------------------------------------------------

    @staticmethod
    def _run(coro: Any) -> ScanResult:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            result: ScanResult = asyncio.run(coro)
            return result
        coro.close()
        raise RuntimeError("called from a running event loop: use the async twin (ascan_*)")

    def scan_input(
        self,
        messages: Messages,
        *,
        channel: str = "user",
        principal: str | None = None,
        session_id: str | None = None,
    ) -> ScanResult:
        return self._run(
            self.ascan_input(messages, channel=channel, principal=principal, session_id=session_id)
        )

    def scan_output(
        self,
        text: str | None,
        *,
        tool_calls: Sequence[Mapping[str, Any]] = (),
        exchange: Exchange | None = None,
        principal: str | None = None,
        session_id: str | None = None,
    ) -> ScanResult:
        return self._run(
            self.ascan_output(
                text, tool_calls=tool_calls, exchange=exchange, principal=principal,
                session_id=session_id,
            )
        )  # fmt: skip

    def check_tool_call(
        self,
        name: str,
        arguments: str | Mapping[str, Any],
        *,
        exchange: Exchange | None = None,
        principal: str | None = None,
        session_id: str | None = None,
    ) -> ScanResult:
        return self._run(
            self.acheck_tool_call(
                name, arguments, exchange=exchange, principal=principal, session_id=session_id
            )
        )
