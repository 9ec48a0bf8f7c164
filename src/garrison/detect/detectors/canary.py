"""Tier 2 of detection: ``canary`` — system-prompt leakage caught by planted tokens.

The guard plants a token ``gcanary-<16 hex>`` in each system prompt it forwards; operators may
also list their own tokens (option ``tokens``). A canary that shows up in what the assistant
produces — the content of a ``completion``, ``tool_call`` or ``agent_step`` event, or any
``tool.arguments`` — means the system prompt (or part of it) leaked: label ``canary_leak``,
score 1.0, tagged Extract LLM System Prompt (AML.T0056), LLM Data Leakage (AML.T0057) and OWASP
LLM07:2025 System Prompt Leakage.

Known canaries are the configured ones plus every ``gcanary-…`` seen in earlier events of the
trace on the ``system`` channel (or with role ``system``). A ``gcanary-…`` token in the output
that no earlier event explains is still reported (score 0.9, ``detail.known`` false): the trace
may have been evicted from memory. Views scanned: text, hidden and decoded, each also with
everything but letters and digits removed, so a canary spelled out with spaces or punctuation,
smuggled in Unicode tags or base64-encoded is found too.

This module must never put a configured token in full into a finding (snippets show its first
eight characters), never log content and never decide.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

from garrison.detect.base import ScanContext
from garrison.detect.detectors.signatures import (
    MAX_EVIDENCE,
    check_options,
    evidence,
    iter_views,
    option_strings,
)
from garrison.errors import ConfigError
from garrison.model import Channel, EventKind
from garrison.model.finding import Evidence, Finding

LABEL = "canary_leak"
TAGS = ("atlas.AML.T0056", "atlas.AML.T0057", "owasp-llm-2025.LLM07")
CANARY = re.compile(r"gcanary-[0-9a-f]{16}", re.IGNORECASE)
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
# Assistant output: where a canary must never appear.
OUTPUT_KINDS = frozenset({EventKind.COMPLETION, EventKind.TOOL_CALL, EventKind.AGENT_STEP})


def _shown(token: str) -> str:
    return f"{token[:8]}…" if len(token) > 8 else "…"


class CanaryDetector:
    """``canary``: planted canary tokens appearing in assistant output or tool arguments.

    Options: ``tokens`` (extra canary strings, at least 8 characters each)."""

    id: ClassVar[str] = "canary"
    version: ClassVar[str] = "1.0"
    kinds: ClassVar[frozenset[EventKind]] = frozenset(EventKind) - {EventKind.GUARD_DECISION}

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        opts = check_options(self.id, options, ("tokens",))
        tokens = option_strings(self.id, opts, "tokens")
        for token in tokens:
            if len(token) < 8:
                raise ConfigError(
                    f"detector {self.id!r}: option 'tokens': a canary needs 8 or more characters",
                    field=f"detection.detectors.{self.id}.tokens",
                )
        self.tokens = tuple(dict.fromkeys(tokens))

    def _known(self, ctx: ScanContext) -> set[str]:
        known = {t.lower() for t in self.tokens}
        for ev in ctx.trace.events:
            text = ev.content or ""
            if (ev.channel == Channel.SYSTEM or ev.role == "system") and "canary-" in text.lower():
                known.update(m.group().lower() for m in CANARY.finditer(text))
        return known

    async def detect(self, ctx: ScanContext) -> list[Finding]:
        event = ctx.event
        fields = ctx.fields()
        if event.kind not in OUTPUT_KINDS:
            fields = {k: v for k, v in fields.items() if k.startswith("tool.")}
        if not fields:
            return []
        known: set[str] | None = None
        score = 0.0
        tokens: list[str] = []
        views: list[str] = []
        found: list[Evidence] = []
        for field_path in fields:
            nt = ctx.normalized(field_path)
            for view in iter_views(nt, folded=False):
                if known is None:
                    known = self._known(ctx)
                haystack = view.text.lower()
                skeleton: str | None = None
                hits: list[tuple[str, int | None, int | None, bool]] = []
                for token in known:
                    i = haystack.find(token)
                    if i >= 0:
                        hits.append((token, i, i + len(token), True))
                        continue
                    # spelled out with spaces or punctuation between the characters
                    if skeleton is None:
                        skeleton = _NOT_ALNUM.sub("", haystack)
                    if _NOT_ALNUM.sub("", token) in skeleton:
                        hits.append((token, None, None, True))
                if "canary" in haystack:
                    for m in CANARY.finditer(view.text):
                        if m.group().lower() not in known:
                            hits.append((m.group().lower(), m.start(), m.end(), False))
                for token, a, b, is_known in hits:
                    score = max(score, 1.0 if is_known else 0.9)
                    if _shown(token) not in tokens:
                        tokens.append(_shown(token))
                    if view.name not in views:
                        views.append(view.name)
                    if len(found) < MAX_EVIDENCE:
                        if a is None or b is None:
                            found.append(Evidence(field_path, None, None, view.name, _shown(token)))
                        else:
                            found.append(
                                evidence(nt, field_path, view, a, b, snippet_text=_shown(token))
                            )
        if not found:
            return []
        return [
            Finding(
                event_id=event.id,
                detector=self.id,
                version=self.version,
                label=LABEL,
                score=score,
                tags=TAGS,
                evidence=tuple(found),
                detail={"tokens": tokens, "known": score >= 1.0, "views": views},
            )
        ]

    async def aclose(self) -> None:
        return None


__all__ = ["CANARY", "CanaryDetector"]
