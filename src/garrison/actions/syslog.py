"""CEF over syslog: the format most SIEM collectors (ArcSight, Sentinel's AMA, QRadar) accept.

``cef_line`` renders an alert as ``CEF:0|Garrison|Garrison|version|signature|name|severity|ext``
with CEF's escaping (``\\`` and ``|`` in the header; ``\\``, ``=``, CR and LF in extension
values). ``frame`` wraps it in an RFC 5424 syslog message; TCP uses RFC 6587 octet counting
(``<length> <message>``), UDP one message per datagram. This module never includes prompt content
in a line: only the alert's identifiers, rule, entities and taxonomy ids.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from garrison import __version__
from garrison.actions.ocsf import _ms, owasp_types

CEF_SEVERITY = {"informational": 1, "low": 3, "medium": 5, "high": 8, "critical": 10}
# RFC 5424 severities: 2 critical, 3 error, 4 warning, 5 notice, 6 informational.
SYSLOG_SEVERITY = {"informational": 6, "low": 5, "medium": 4, "high": 3, "critical": 2}


def escape_header(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("\r", " ").replace("\n", " ")


def escape_value(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("=", "\\=")
    return text.replace("\r", "\\r").replace("\n", "\\n")


def cef_line(alert: Mapping[str, Any]) -> str:
    tags = [str(t) for t in alert.get("tags") or ()]
    entities: Mapping[str, Any] = alert.get("entities") or {}
    severity = str(alert.get("severity") or "medium")
    header = [
        "CEF:0",
        "Garrison",
        "Garrison",
        __version__,
        escape_header(str(alert.get("rule_id") or "unknown")),
        escape_header(str(alert.get("title") or "")[:512]),
        str(CEF_SEVERITY.get(severity, 5)),
    ]
    ext: list[tuple[str, Any]] = [
        ("externalId", alert.get("id")),
        ("rt", _ms(alert.get("last_seen"))),
        ("start", _ms(alert.get("first_seen"))),
        ("end", _ms(alert.get("last_seen"))),
        ("cnt", alert.get("event_count")),
        ("suser", entities.get("principal")),
    ]
    custom = [
        ("app", entities.get("app")),
        ("sessionId", entities.get("session_id")),
        ("tenant", alert.get("tenant")),
        ("atlasTechniques", ",".join(t[6:] for t in tags if t.startswith("atlas."))),
        ("owasp", ",".join(owasp_types(tags))),
        ("status", alert.get("status")),
    ]
    for i, (label, value) in enumerate(custom, start=1):
        if value not in (None, ""):  # a label without its value says nothing
            ext += [(f"cs{i}Label", label), (f"cs{i}", value)]
    pairs = [f"{k}={escape_value(str(v))}" for k, v in ext if v not in (None, "")]
    return "|".join(header) + "|" + " ".join(pairs)


def _hostname() -> str:
    name = "".join(ch for ch in socket.gethostname() if "!" <= ch <= "~")[:255]
    return name or "-"


def frame(
    message: str,
    *,
    severity: str,
    facility: int,
    app_name: str,
    msgid: str = "alert",
    now: datetime | None = None,
) -> bytes:
    """One RFC 5424 message: ``<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG``."""
    pri = facility * 8 + SYSLOG_SEVERITY.get(severity, 4)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return f"<{pri}>1 {stamp} {_hostname()} {app_name} - {msgid} - {message}".encode()


def octet_counted(message: bytes) -> bytes:
    return str(len(message)).encode() + b" " + message


async def send_tcp(host: str, port: int, messages: Sequence[bytes], timeout_s: float) -> None:
    """Send messages on one TCP connection with octet-counting framing (RFC 6587 §3.4.1)."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout_s)
    try:
        writer.write(b"".join(octet_counted(m) for m in messages))
        await asyncio.wait_for(writer.drain(), timeout_s)
    finally:
        writer.close()
        with contextlib.suppress(OSError, TimeoutError):
            await asyncio.wait_for(writer.wait_closed(), timeout_s)
    del reader


async def send_udp(host: str, port: int, messages: Sequence[bytes]) -> None:
    """One datagram per message (RFC 5426); UDP cannot report delivery, only local errors."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_DGRAM)
    family, kind, proto, _, addr = infos[0]
    with socket.socket(family, kind, proto) as sock:
        for m in messages:
            sock.sendto(m, addr)
