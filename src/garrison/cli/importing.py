"""`garrison ingest`: check files whole, then write them to the store or send them to a server.

Nothing is written before every file has been read and validated, so a bad record anywhere
(reported as file:line) imports nothing.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import orjson

from garrison.config import Settings
from garrison.errors import GarrisonError, InputError, StoreError
from garrison.store import open_store
from garrison.telemetry.importer import check_file, iter_file

BATCH = 5_000
CHECK_TENANT = "check"  # validation only; the real tenant comes from the key or --tenant


def _check_all(files: list[Path]) -> tuple[int, int]:
    events = rejected = 0
    for path in files:
        result = check_file(path, tenant=CHECK_TENANT)
        events += result.events
        rejected += result.rejected
    return events, rejected


async def import_direct(files: list[Path], settings: Settings, tenant: str) -> str:
    from garrison.web.auth import validate_tenant

    validate_tenant(tenant)
    _check_all(files)
    store = open_store(settings.store_url(), settings.data_dir)
    await store.open()
    inserted = duplicates = rejected = 0
    try:
        for path in files:
            pending = []
            for chunk in iter_file(path, tenant=tenant):
                rejected += chunk.rejected
                pending.extend(chunk.events)
                if len(pending) >= BATCH:
                    result = await store.write_events(pending)
                    inserted, duplicates = (
                        inserted + result.inserted,
                        duplicates + result.duplicates,
                    )
                    pending = []
            if pending:
                result = await store.write_events(pending)
                inserted, duplicates = inserted + result.inserted, duplicates + result.duplicates
    finally:
        await store.aclose()
    return (
        f"imported {inserted} events into tenant {tenant} "
        f"({duplicates} already present, {rejected} unusable spans/records skipped)"
    )


def _post(client: httpx.Client, url: str, body: bytes) -> httpx.Response:
    """POST with retries on 429/502/503/504, honouring Retry-After."""
    for attempt in range(8):
        response = client.post(url, content=body, headers={"Content-Type": "application/json"})
        if response.status_code not in (429, 502, 503, 504):
            return response
        wait = float(response.headers.get("Retry-After", 2**attempt * 0.25))
        time.sleep(min(wait, 30.0))
    return response


def _raise_for(response: httpx.Response, what: str) -> None:
    if response.status_code < 300:
        return
    try:
        message = response.json()["error"]["message"]
    except (ValueError, KeyError, TypeError):
        message = response.text[:200]
    if response.status_code in (401, 403):
        raise InputError(f"{what}: the server refused the key ({response.status_code}): {message}")
    raise StoreError(f"{what}: the server answered {response.status_code}: {message}")


def import_via_server(files: list[Path], server: str, api_key: str) -> str:
    events_total, _ = _check_all(files)
    sent = rejected = 0
    base = server.rstrip("/")
    headers = {"Authorization": f"Bearer {api_key}"}
    try:
        with httpx.Client(headers=headers, timeout=60.0) as client:
            for path in files:
                batch: list[dict[str, object]] = []

                def flush(batch: list[dict[str, object]], where: str) -> None:
                    body = orjson.dumps({"events": batch})
                    _raise_for(_post(client, f"{base}/api/v1/events?wait=true", body), where)

                for chunk in iter_file(path, tenant=CHECK_TENANT):
                    where = f"{path}:{chunk.line}"
                    if chunk.kind == "events":
                        batch.extend(
                            {k: v for k, v in e.to_dict().items() if k not in ("tenant", "source")}
                            for e in chunk.events
                        )
                        if len(batch) >= BATCH:
                            flush(batch, where)
                            batch = []
                    else:
                        route = "/v1/traces" if chunk.kind == "otlp_traces" else "/v1/logs"
                        response = _post(client, base + route, chunk.raw)
                        _raise_for(response, where)
                        partial = response.json().get("partialSuccess") or {}
                        rejected += int(
                            partial.get("rejectedSpans") or partial.get("rejectedLogRecords") or 0
                        )
                    sent += len(chunk.events)
                if batch:
                    flush(batch, str(path))
    except httpx.HTTPError as exc:
        raise StoreError(f"cannot reach {base}: {exc}") from None
    except GarrisonError:
        raise
    return f"sent {sent} of {events_total} events to {base} ({rejected} spans/records rejected)"
