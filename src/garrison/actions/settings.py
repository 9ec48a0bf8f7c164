"""The ``actions`` section of the settings (documented in docs/configuration.md, test-enforced).

Targets say where something can be sent (a signed webhook, Slack, Teams, the gateway's block
list, Splunk HEC, syslog/CEF, a file); routes say which alerts and incidents go to which targets;
reports say which summaries are sent on a schedule. A route or report naming a target that does
not exist is refused at start-up, naming the field. Secrets (webhook signing keys, HEC tokens,
chat webhook URLs, which are bearer capabilities) are ``SecretRef`` values, never inline.

Kept free of imports beyond pydantic and ``garrison.config``'s SecretRef: ``garrison.config``
imports this module.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# garrison.config defines SecretRef before it imports this module (and garrison.actions imports
# garrison.config first when this module is imported on its own), so this import never cycles.
from garrison.config import SecretRef

SEVERITIES = ("informational", "low", "medium", "high", "critical")
Severity = Literal["informational", "low", "medium", "high", "critical"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WebhookTarget(_Frozen):
    """A JSON POST signed with HMAC-SHA256 over ``<timestamp>.<body>`` (see docs/actions.md)."""

    type: Literal["webhook"]
    url: str = Field(pattern=r"^https?://")
    secret: SecretRef | None = None
    format: Literal["garrison", "ocsf"] = "garrison"
    headers: dict[str, str] = Field(default_factory=dict)


class SlackTarget(_Frozen):
    type: Literal["slack"]
    url: SecretRef  # an incoming-webhook URL is a bearer capability: a secret


class TeamsTarget(_Frozen):
    type: Literal["teams"]
    url: SecretRef


class BlockTarget(_Frozen):
    """Block the alert's principal or session at the gateway for ``duration_s``."""

    type: Literal["block"]
    kind: Literal["principal", "session"] = "principal"
    duration_s: int = Field(default=3600, ge=1)


class HecTarget(_Frozen):
    """Splunk HTTP Event Collector: OCSF Detection Findings in HEC envelopes, batched."""

    type: Literal["hec"]
    url: str = Field(pattern=r"^https?://")  # base URL; /services/collector/event is appended
    token: SecretRef
    sourcetype: str = "ocsf:detection_finding"
    source: str = "garrison"
    index: str | None = None
    batch_size: int = Field(default=100, ge=1, le=10_000)


class SyslogTarget(_Frozen):
    """CEF over syslog (RFC 5424), TCP with octet-counting framing or UDP."""

    type: Literal["syslog"]
    host: str
    port: int = Field(default=514, ge=1, le=65535)
    protocol: Literal["tcp", "udp"] = "tcp"
    app_name: str = Field(default="garrison", pattern=r"^[!-~]{1,48}$")
    facility: int = Field(default=10, ge=0, le=23)  # authpriv


class FileTarget(_Frozen):
    """A file under ``data_dir/<dir>``: reports as documents, alerts appended as JSON lines."""

    type: Literal["file"]
    dir: str = Field(default="reports", pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


Target = Annotated[
    WebhookTarget | SlackTarget | TeamsTarget | BlockTarget | HecTarget | SyslogTarget | FileTarget,
    Field(discriminator="type"),
]


class Route(_Frozen):
    """Which changes go where: all given filters must match (empty lists match everything)."""

    name: str = Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")
    kind: Literal["alert", "incident"] = "alert"
    changes: list[Literal["created", "updated", "merged", "status"]] = Field(
        default_factory=lambda: ["created"]  # type: ignore[arg-type]
    )
    min_severity: Severity = "informational"
    rule_ids: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    targets: list[str] = Field(min_length=1)


class ReportSchedule(_Frozen):
    """A summary sent every day (or week) at ``hour`` UTC for the period that just ended."""

    name: str = Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")
    tenant: str
    every: Literal["daily", "weekly"] = "daily"
    hour: int = Field(default=6, ge=0, le=23)
    weekday: int = Field(default=0, ge=0, le=6)  # weekly: 0 = Monday
    format: Literal["md", "html", "json"] = "md"
    targets: list[str] = Field(min_length=1)


class ActionsSettings(_Frozen):
    enabled: bool = True
    targets: dict[str, Target] = Field(default_factory=dict)
    routes: list[Route] = Field(default_factory=list)
    reports: list[ReportSchedule] = Field(default_factory=list)
    max_attempts: int = Field(default=8, ge=1, le=100)
    backoff_s: float = Field(default=5.0, gt=0)
    backoff_max_s: float = Field(default=3600.0, gt=0)
    timeout_s: float = Field(default=10.0, gt=0)
    poll_s: float = Field(default=2.0, gt=0)

    @model_validator(mode="after")
    def _targets_exist(self) -> ActionsSettings:
        exports = {"hec", "syslog"}
        for where, names, kind in (
            *((f"routes[{i}].targets", r.targets, r.kind) for i, r in enumerate(self.routes)),
            *((f"reports[{i}].targets", r.targets, "report") for i, r in enumerate(self.reports)),
        ):
            for name in names:
                target = self.targets.get(name)
                if target is None:
                    known = ", ".join(sorted(self.targets)) or "none defined"
                    raise ValueError(f"{where}: unknown target {name!r} (targets: {known})")
                if kind == "report" and target.type in exports | {"block"}:
                    raise ValueError(f"{where}: a report cannot go to a {target.type} target")
                if kind == "incident" and (
                    target.type in exports | {"block"}
                    or (isinstance(target, WebhookTarget) and target.format == "ocsf")
                ):
                    what = "ocsf webhook" if target.type == "webhook" else target.type
                    raise ValueError(f"{where}: {what} targets take alerts, not incidents")
        seen: set[str] = set()
        for i, r in enumerate(self.routes):
            if r.name in seen:
                raise ValueError(f"routes[{i}].name: {r.name!r} is used twice")
            seen.add(r.name)
        seen = set()
        for i, s in enumerate(self.reports):
            if s.name in seen:
                raise ValueError(f"reports[{i}].name: {s.name!r} is used twice")
            seen.add(s.name)
        return self
