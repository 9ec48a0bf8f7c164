"""Splunk HTTP Event Collector: OCSF findings in HEC event envelopes, sent in batches.

HEC accepts several JSON envelopes concatenated in one POST to ``/services/collector/event``
with ``Authorization: Splunk <token>``; a batch is delivered or failed as a whole (HEC has no
per-event answer without indexer acknowledgement, which this sender does not use).
"""

from __future__ import annotations

import socket
from collections.abc import Mapping, Sequence
from typing import Any

import httpx
import orjson

from garrison.actions.ocsf import detection_finding
from garrison.actions.settings import HecTarget
from garrison.actions.webhooks import post

PATH = "/services/collector/event"


def envelope(alert: Mapping[str, Any], target: HecTarget) -> dict[str, Any]:
    finding = detection_finding(alert)
    out: dict[str, Any] = {
        "time": finding["time"] / 1000,
        "host": socket.gethostname(),
        "source": target.source,
        "sourcetype": target.sourcetype,
        "event": finding,
    }
    if target.index:
        out["index"] = target.index
    return out


def endpoint(target: HecTarget) -> str:
    base = target.url.rstrip("/")
    return base if base.endswith(PATH) else base + PATH


async def send(
    client: httpx.AsyncClient,
    target: HecTarget,
    token: str,
    envelopes: Sequence[Any],
    *,
    timeout_s: float,
) -> None:
    body = b"\n".join(orjson.dumps(e) for e in envelopes)
    await post(
        client, endpoint(target), body, {"Authorization": f"Splunk {token}"}, timeout_s=timeout_s
    )
