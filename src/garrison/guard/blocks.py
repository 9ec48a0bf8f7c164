"""Response actions: principals and sessions blocked or rate-limited for a while.

Closes the loop from detection to mitigation: an analyst (REST, CLI, an action of the response
subsystem) or the automatic trigger (``AutoBlocker``: too many high-severity alerts for one
principal or session within a window, per the app's policy) adds a row to ``guard_blocks``; the
gateway asks ``check`` before every request. Active blocks are cached per tenant for a short TTL
so the hot path is one dictionary lookup; a change made through this object invalidates the
cache at once, a change made by another process is seen within the TTL.

Rate limits are a fixed budget of requests per minute per blocked identity (a sliding one-minute
window in this process's memory).
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import orjson

from garrison.errors import ConflictError, NotFoundError, ValidationError
from garrison.guard.types import GuardContext
from garrison.store.base import Stmt

if TYPE_CHECKING:
    from garrison.guard.policy import PolicySet
    from garrison.pipeline.base import Processed
    from garrison.store.base import Store, WriteResult

KINDS = ("principal", "session")
ACTIONS = ("block", "rate_limit")
MAX_VALUE = 512
_COLUMNS = (
    "id, tenant, kind, value, action, reason, created_by, created_at, expires_at, lifted_at, detail"
)


def _utc(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Block:
    id: str
    tenant: str
    kind: str
    value: str
    action: str
    reason: str
    created_by: str
    created_at: datetime
    expires_at: datetime | None
    lifted_at: datetime | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def active(self, now: datetime) -> bool:
        return self.lifted_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def rate_limit_per_min(self) -> int:
        return int(self.detail.get("rate_limit_per_min", 10))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "value": self.value,
            "action": self.action,
            "reason": self.reason,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "lifted_at": self.lifted_at.isoformat() if self.lifted_at else None,
            "detail": dict(self.detail),
        }

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Block:
        created = _utc(row[7])
        assert created is not None
        return cls(
            id=row[0],
            tenant=row[1],
            kind=row[2],
            value=row[3],
            action=row[4],
            reason=row[5],
            created_by=row[6],
            created_at=created,
            expires_at=_utc(row[8]),
            lifted_at=_utc(row[9]),
            detail=orjson.loads(row[10]) if row[10] else {},
        )


class BlockList:
    def __init__(
        self,
        store: Store,
        *,
        ttl_s: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.ttl_s = ttl_s
        self.clock = clock
        self._cache: dict[str, tuple[float, dict[tuple[str, str], Block]]] = {}
        self._hits: dict[tuple[str, str, str], deque[float]] = {}
        self._lock = asyncio.Lock()

    async def block(
        self,
        tenant: str,
        kind: str,
        value: str,
        *,
        duration_s: float | None,
        reason: str,
        actor: str,
        action: str = "block",
        rate_limit_per_min: int | None = None,
    ) -> Block:
        """Block (or rate-limit) a principal or session; ``duration_s`` None means until lifted."""
        if kind not in KINDS:
            raise ValidationError(
                f"kind: {kind[:40]!r} is not one of {', '.join(KINDS)}", details={"field": "kind"}
            )
        if action not in ACTIONS:
            raise ValidationError(
                f"action: {action[:40]!r} is not one of {', '.join(ACTIONS)}",
                details={"field": "action"},
            )
        if not isinstance(value, str) or not value or len(value) > MAX_VALUE:
            raise ValidationError(
                f"value: 1-{MAX_VALUE} characters naming the {kind}", details={"field": "value"}
            )
        if duration_s is not None and not 0 < duration_s <= 366 * 86400:
            raise ValidationError(
                "duration_s: more than 0 and at most a year", details={"field": "duration_s"}
            )
        if rate_limit_per_min is not None and not 1 <= rate_limit_per_min <= 100_000:
            raise ValidationError(
                "rate_limit_per_min: 1 to 100000", details={"field": "rate_limit_per_min"}
            )
        now = datetime.now(UTC)
        detail: dict[str, Any] = {}
        if action == "rate_limit":
            detail["rate_limit_per_min"] = rate_limit_per_min or 10
        block = Block(
            id=f"blk_{secrets.token_hex(8)}",
            tenant=tenant,
            kind=kind,
            value=value,
            action=action,
            reason=reason[:500],
            created_by=actor[:200],
            created_at=now,
            expires_at=None if duration_s is None else now + timedelta(seconds=duration_s),
            detail=detail,
        )
        await self.store.transact(
            [
                Stmt(
                    f"INSERT INTO guard_blocks ({_COLUMNS}) VALUES ({', '.join('?' * 11)})",
                    (
                        block.id,
                        tenant,
                        kind,
                        value,
                        action,
                        block.reason,
                        block.created_by,
                        now,
                        block.expires_at,
                        None,
                        orjson.dumps(detail).decode(),
                    ),
                )
            ]
        )
        self._cache.pop(tenant, None)
        return block

    async def get(self, tenant: str, block_id: str) -> Block:
        rows = await self.store.transact(
            [
                Stmt(
                    f"SELECT {_COLUMNS} FROM guard_blocks WHERE tenant = ? AND id = ?",
                    (tenant, block_id),
                    fetch=True,
                )
            ]
        )
        if not rows[0]:
            raise NotFoundError(f"no block {block_id[:40]!r}", details={"block_id": block_id[:40]})
        return Block.from_row(rows[0][0])

    async def lift(self, tenant: str, block_id: str, actor: str) -> Block:
        """End a block now (404 if unknown or another tenant's, 409 if already lifted)."""
        block = await self.get(tenant, block_id)
        if block.lifted_at is not None:
            raise ConflictError(f"block {block_id} was already lifted")
        now = datetime.now(UTC)
        detail = {**block.detail, "lifted_by": actor[:200]}
        await self.store.transact(
            [
                Stmt(
                    "UPDATE guard_blocks SET lifted_at = ?, detail = ? "
                    "WHERE tenant = ? AND id = ? AND lifted_at IS NULL",
                    (now, orjson.dumps(detail).decode(), tenant, block_id),
                    expect=1,
                    conflict=f"block {block_id} was already lifted",
                )
            ]
        )
        self._cache.pop(tenant, None)
        return Block(**{**_fields(block), "lifted_at": now, "detail": detail})

    async def listing(self, tenant: str, *, include_inactive: bool = False) -> list[Block]:
        sql = f"SELECT {_COLUMNS} FROM guard_blocks WHERE tenant = ?"
        params: list[Any] = [tenant]
        if not include_inactive:
            sql += " AND lifted_at IS NULL AND (expires_at IS NULL OR expires_at > ?)"
            params.append(datetime.now(UTC))
        rows = await self.store.transact(
            [Stmt(sql + " ORDER BY created_at DESC, id LIMIT 1000", params, fetch=True)]
        )
        return [Block.from_row(r) for r in rows[0]]

    async def active(self, tenant: str) -> list[Block]:
        return await self.listing(tenant)

    async def _index(self, tenant: str) -> dict[tuple[str, str], Block]:
        hit = self._cache.get(tenant)
        now = self.clock()
        if hit is not None and now - hit[0] < self.ttl_s:
            return hit[1]
        async with self._lock:
            hit = self._cache.get(tenant)
            if hit is not None and now - hit[0] < self.ttl_s:
                return hit[1]
            index: dict[tuple[str, str], Block] = {}
            for b in await self.active(tenant):
                old = index.get((b.kind, b.value))
                if old is None or (old.action == "rate_limit" and b.action == "block"):
                    index[(b.kind, b.value)] = b
            self._cache[tenant] = (self.clock(), index)
            return index

    async def check(self, ctx: GuardContext) -> tuple[Block, bool] | None:
        """The block that applies to this request and whether it stops it (a block always; a
        rate limit when this minute's budget is spent), or None."""
        index = await self._index(ctx.tenant)
        if not index:
            return None
        now = datetime.now(UTC)
        found: Block | None = None
        for kind, value in (("principal", ctx.principal), ("session", ctx.session_id)):
            if value is None:
                continue
            b = index.get((kind, value))
            if b is not None and b.active(now) and (found is None or b.action == "block"):
                found = b
        if found is None:
            return None
        if found.action == "block":
            return found, True
        key = (ctx.tenant, found.kind, found.value)
        hits = self._hits.setdefault(key, deque())
        t = self.clock()
        while hits and t - hits[0] >= 60.0:
            hits.popleft()
        if len(hits) >= found.rate_limit_per_min:
            return found, True
        hits.append(t)
        return found, False


def _fields(block: Block) -> dict[str, Any]:
    return {name: getattr(block, name) for name in Block.__slots__}


_SEVERITY = {"informational": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


class AutoBlocker:
    """The automatic trigger: a commit hook that counts high-severity alert deltas per
    principal / session of each app and blocks the ones over the app policy's threshold."""

    def __init__(
        self,
        blocks: BlockList,
        policies: PolicySet,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.blocks = blocks
        self.policies = policies
        self.clock = clock
        self._seen: dict[tuple[str, str, str], deque[float]] = {}
        self.blocked: list[Block] = []

    async def __call__(self, processed: Processed, result: WriteResult) -> None:
        for alert in processed.alerts:
            app = alert.entities.get("app") or "default"
            policy = self.policies.for_app(app).response
            if not policy.auto_block:
                continue
            if _SEVERITY.get(alert.severity.value, 0) < _SEVERITY[policy.min_severity]:
                continue
            for kind in policy.by:
                value = alert.entities.get("principal" if kind == "principal" else "session_id")
                if value:
                    await self._count(alert.tenant, kind, value, alert.event_count, policy, app)

    async def _count(
        self, tenant: str, kind: str, value: str, n: int, policy: Any, app: str
    ) -> None:
        key = (tenant, kind, value)
        seen = self._seen.setdefault(key, deque())
        now = self.clock()
        seen.extend([now] * max(n, 1))
        while seen and now - seen[0] >= policy.window_s:
            seen.popleft()
        if len(seen) < policy.threshold:
            return
        check = await self.blocks.check(
            GuardContext(
                tenant=tenant,
                app=app,
                principal=value if kind == "principal" else None,
                session_id=value if kind == "session" else None,
            )
        )
        seen.clear()
        if check is not None and check[0].action == policy.action:
            return
        block = await self.blocks.block(
            tenant,
            kind,
            value,
            duration_s=policy.duration_s,
            reason=f"{policy.threshold}+ {policy.min_severity}+ alerts within "
            f"{policy.window_s}s (app {app})",
            actor="garrison:auto",
            action=policy.action,
            rate_limit_per_min=policy.rate_limit_per_min if policy.action == "rate_limit" else None,
        )
        self.blocked.append(block)
