"""Tier 2 of detection: ``secrets`` — credentials in prompts, answers and tool arguments.

Finds provider keys by their documented shapes (AWS access key ids, AWS secret keys next to their
name, GitHub, OpenAI, Anthropic, Slack tokens and webhooks, Stripe live keys, Google API keys),
PEM private-key blocks, JWTs whose header decodes to JSON with ``alg``, and generic
``password = …`` / ``api_key: …`` assignments whose value looks random enough (Shannon entropy
and character mix, placeholders such as ``<your-key>``, ``${TOKEN}`` or ``changeme`` skipped).
It scans the ``text`` view (zero-width splits and full-width look-alikes already undone), hidden
text and decoded segments — never the folded view, which lower-cases.

One finding per label (``aws_access_key``, ``aws_secret_key``, ``github_token``,
``openai_api_key``, ``anthropic_api_key``, ``slack_token``, ``slack_webhook``, ``stripe_key``,
``google_api_key``, ``private_key``, ``jwt``, ``generic_secret``), tagged LLM Data Leakage
(AML.T0057) and OWASP LLM02:2025. Option ``allow``: regexes; a value any of them finds is
ignored (known test keys).

This module must never put a whole secret in a finding — snippets show every secret masked
(``AKIA…MPLE``), detail carries only lengths and masked forms — and never log content.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from garrison.detect.base import ScanContext
from garrison.detect.detectors.signatures import (
    CONTENT_KINDS,
    MAX_EVIDENCE,
    SNIPPET_CHARS,
    check_options,
    evidence,
    iter_views,
    option_strings,
)
from garrison.detect.normalize import snippet
from garrison.errors import ConfigError
from garrison.model import EventKind
from garrison.model.finding import Evidence, Finding

TAGS = ("atlas.AML.T0057", "owasp-llm-2025.LLM02")


@dataclass(frozen=True, slots=True)
class _Rule:
    label: str
    score: float
    pattern: re.Pattern[str]
    group: int = 0  # the capture group holding the secret
    keep: int = 4  # characters shown before the mask
    check: str = ""  # extra validation: "jwt", "entropy"
    triggers: tuple[str, ...] = ()  # the rule runs only if one of these occurs in the text,
    lower: tuple[str, ...] = ()  # or one of these in the lower-cased text
    key: re.Pattern[str] | None = None  # must end the 48 characters before the match


_B = r"(?<![A-Za-z0-9_\-])"  # not inside a longer token
_E = r"(?![A-Za-z0-9_\-])"
_AWS_PREFIXES = ("AKIA", "ASIA", "AIDA", "AROA", "AGPA", "ANPA", "ANVA")
_RULES = (
    _Rule(
        "aws_access_key",
        0.9,
        re.compile(rf"{_B}((?:AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA)[A-Z0-9]{{16}}){_E}"),
        1,
        triggers=_AWS_PREFIXES,
    ),
    _Rule(
        "aws_secret_key",
        0.95,
        re.compile(
            r"(?i:aws[_\s-]?)?(?i:secret)[_\s-]?(?i:access[_\s-]?)?(?i:key)[\"']?\s*(?:[:=]|=>|\s)"
            r"\s*[\"']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"
        ),
        1,
        keep=2,
        check="entropy",
        lower=("secret",),
    ),
    _Rule(
        "github_token",
        0.95,
        re.compile(rf"{_B}((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{{36,255}}){_E}"),
        1,
        triggers=("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
    ),
    _Rule(
        "github_token",
        0.95,
        re.compile(rf"{_B}(github_pat_[A-Za-z0-9_]{{50,255}}){_E}"),
        1,
        keep=11,
        triggers=("github_pat_",),
    ),
    _Rule(
        "anthropic_api_key",
        0.95,
        re.compile(rf"{_B}(sk-ant-(?:api|admin|sid)\d\d-[A-Za-z0-9_\-]{{20,}}){_E}"),
        1,
        keep=10,
        triggers=("sk-ant-",),
    ),
    _Rule(
        "openai_api_key",
        0.95,
        re.compile(rf"{_B}(sk-(?:proj-|svcacct-|admin-|None-)?(?!ant-)[A-Za-z0-9_\-]{{32,}}){_E}"),
        1,
        keep=8,
        check="entropy",
        triggers=("sk-",),
    ),
    _Rule(
        "slack_token",
        0.9,
        re.compile(rf"{_B}(xox[abposre]-(?:[0-9A-Za-z]+-){{1,4}}[0-9A-Za-z]{{6,}}){_E}"),
        1,
        keep=5,
        triggers=("xox",),
    ),
    _Rule(
        "slack_webhook",
        0.9,
        re.compile(
            r"(https://hooks\.slack\.com/(?:services|workflows|triggers)/"
            r"T[A-Z0-9]{6,}/[A-Z0-9]{6,}/[A-Za-z0-9]{16,})"
        ),
        1,
        keep=33,
        triggers=("hooks.slack.com",),
    ),
    _Rule(
        "stripe_key",
        0.95,
        re.compile(rf"{_B}((?:sk|rk)_live_[A-Za-z0-9]{{20,}}){_E}"),
        1,
        keep=8,
        triggers=("k_live_",),
    ),
    _Rule(
        "google_api_key",
        0.9,
        re.compile(rf"{_B}(AIza[0-9A-Za-z_\-]{{35}}){_E}"),
        1,
        triggers=("AIza",),
    ),
    _Rule(
        "private_key",
        1.0,
        re.compile(
            r"(-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]{0,8000}?"
            r"(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$))"
        ),
        1,
        keep=0,
        triggers=("PRIVATE KEY",),
    ),
    _Rule(
        "jwt",
        0.7,
        re.compile(
            rf"{_B}(eyJ[A-Za-z0-9_\-]{{8,}}\.eyJ[A-Za-z0-9_\-]{{8,}}\.[A-Za-z0-9_\-]{{0,1024}}){_E}"
        ),
        1,
        keep=6,
        check="jwt",
        triggers=("eyJ",),
    ),
    _Rule(
        "generic_secret",
        0.6,
        # the assignment first (":" and "=" are rarer than letters), then the name before it
        re.compile(r"(?::=|=>|[:=])\s*[\"'`]?([^\s\"'`,;)}\]<>]{8,200})"),
        1,
        keep=2,
        check="entropy",
        lower=("pass", "pwd", "secret", "key", "token"),
        key=re.compile(
            r"(?i)(?:password|passwd|passphrase|pwd|secret|api[_\-]?key|apikey|access[_\-]?key|"
            r"access[_\-]?token|auth[_\-]?token|bearer[_\-]?token|refresh[_\-]?token|"
            r"client[_\-]?secret|private[_\-]?key|token)[a-z0-9_\-.]{0,24}[\"']?\s*\Z"
        ),
    ),
    _Rule(
        "generic_secret",
        0.6,
        re.compile(r"(?i)\bauthorization\s*:\s*(?:bearer|token|basic)\s+([A-Za-z0-9_\-.=+/]{16,})"),
        1,
        keep=2,
        check="entropy",
        lower=("authorization",),
    ),
)
_PLACEHOLDER = re.compile(
    r"^(?:<[^>]*>|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\{\{?[^}]*\}?\}|%\(?[A-Za-z_]+\)?s?|\[[^\]]*\]|"
    r"\*+|x+|\.+|-+|_+|#+)$|(?i:changeme|change_me|your[_\-]?|example|placeholder|dummy|redacted|"
    r"sample|xxxx|\*\*\*|test[_\-]?key|secret[_\-]?here|here$|null|none|undefined|true|false|"
    r"password\d*$|^env\b|process\.env|os\.environ|getenv|config\.|settings\.)"
)


# Code, not a value: a call or index (``nltk.word_tokenize(raw``), a dotted name
# (``settings.SECRET_KEY``), or a plain identifier (``my_api_key_name``).
_CODE = re.compile(
    r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\s*[(\[]|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\Z|"
    r"[a-z]+(?:_[a-z]+)+\Z|[A-Z]+(?:_[A-Z]+)+\Z"
)


def shannon_entropy(s: str) -> float:
    if not s:
        return 0.0
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in Counter(s).values())


def _looks_random(value: str) -> bool:
    """Enough entropy and a mix of character classes: not a word, an identifier, a code
    expression, a path or a placeholder."""
    if _PLACEHOLDER.search(value) or _CODE.match(value):
        return False
    lower = any(c.islower() for c in value)
    upper = any(c.isupper() for c in value)
    digit = any(c.isdigit() for c in value)
    if lower + upper + digit < 2:  # two of lower case, upper case and digits
        return False
    if value.isalpha() and not (lower and upper):
        return False
    return shannon_entropy(value) >= (3.0 if len(value) < 16 else 3.3)


def _valid_jwt(token: str) -> bool:
    header = token.split(".", 1)[0]
    try:
        raw = base64.urlsafe_b64decode(header + "=" * (-len(header) % 4))
        obj = json.loads(raw)
    except (binascii.Error, ValueError):
        return False
    return isinstance(obj, dict) and "alg" in obj


def mask(value: str, keep: int = 4) -> str:
    """``AKIA…MPLE``-style: a few leading characters, the length, never the body."""
    keep = min(keep, max(0, len(value) // 4))
    tail = 2 if len(value) >= 20 else 0
    return f"{value[:keep]}…{value[-tail:] if tail else ''} ({len(value)} chars)"


@dataclass(slots=True)
class _Found:
    score: float = 0.0
    count: int = 0
    masked: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


class SecretsDetector:
    """``secrets``: provider keys, private keys, JWTs and high-entropy assignments.

    Options: ``allow`` (regexes of known, harmless values to ignore)."""

    id: ClassVar[str] = "secrets"
    version: ClassVar[str] = "1.0"
    kinds: ClassVar[frozenset[EventKind]] = CONTENT_KINDS

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        opts = check_options(self.id, options, ("allow",))
        self.allow: list[re.Pattern[str]] = []
        for pattern in option_strings(self.id, opts, "allow"):
            try:
                self.allow.append(re.compile(pattern))
            except re.error as exc:
                raise ConfigError(
                    f"detector {self.id!r}: option 'allow': bad regex {pattern!r}: {exc}",
                    field=f"detection.detectors.{self.id}.allow",
                ) from None

    def _allowed(self, value: str) -> bool:
        return any(rx.search(value) for rx in self.allow)

    def find(self, text: str) -> list[tuple[_Rule, int, int, str]]:
        """(rule, start, end, value) of every secret in ``text``, overlaps resolved in favour
        of the more specific rule (listed first)."""
        if not text:
            return []
        lowered: str | None = None
        out: list[tuple[_Rule, int, int, str]] = []
        taken: list[tuple[int, int]] = []
        for rule in _RULES:
            if rule.lower:
                if lowered is None:
                    lowered = text.lower()
                if not any(t in lowered for t in rule.lower):
                    continue
            elif not any(t in text for t in rule.triggers):
                continue
            for m in rule.pattern.finditer(text):
                if rule.key is not None and not rule.key.search(
                    text, max(0, m.start() - 48), m.start()
                ):
                    continue
                a, b = m.span(rule.group)
                value = m.group(rule.group)
                if any(a < y and x < b for x, y in taken):
                    continue
                if rule.check == "entropy" and not _looks_random(value):
                    continue
                if rule.check == "jwt" and not _valid_jwt(value):
                    continue
                if self._allowed(value):
                    continue
                taken.append((a, b))
                out.append((rule, a, b, value))
        return out

    async def detect(self, ctx: ScanContext) -> list[Finding]:
        found: dict[str, _Found] = {}
        for field_path in ctx.fields():
            nt = ctx.normalized(field_path)
            for view in iter_views(nt, folded=False):
                hits = self.find(view.text)
                if not hits:
                    continue
                masked_text = _masked(view.text, hits)
                for rule, a, b, value in hits:
                    acc = found.setdefault(rule.label, _Found())
                    acc.score = max(acc.score, rule.score)
                    acc.count += 1
                    shown = mask(value, rule.keep)
                    if shown not in acc.masked and len(acc.masked) < MAX_EVIDENCE:
                        acc.masked.append(shown)
                    if len(acc.evidence) < MAX_EVIDENCE:
                        ma, mb = masked_text.spans[(a, b)]
                        text = snippet(masked_text.text, ma, mb, SNIPPET_CHARS)
                        acc.evidence.append(evidence(nt, field_path, view, a, b, snippet_text=text))
        return [
            Finding(
                event_id=ctx.event.id,
                detector=self.id,
                version=self.version,
                label=label,
                score=acc.score,
                tags=TAGS,
                evidence=tuple(acc.evidence),
                detail={"count": acc.count, "masked": acc.masked},
            )
            for label, acc in found.items()
        ]

    async def aclose(self) -> None:
        return None


_DEFAULT: SecretsDetector | None = None


def mask_secrets(text: str) -> str:
    """``text`` with every secret the default rules find replaced by its mask (for snippets)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = SecretsDetector()
    hits = _DEFAULT.find(text)
    return _masked(text, hits).text if hits else text


@dataclass(slots=True)
class _MaskedText:
    text: str
    spans: dict[tuple[int, int], tuple[int, int]]  # original span -> span of its mask


def _masked(text: str, hits: list[tuple[_Rule, int, int, str]]) -> _MaskedText:
    """``text`` with every secret replaced by its mask, so no snippet shows one."""
    parts: list[str] = []
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    last = 0
    out_len = 0
    for rule, a, b, value in sorted(hits, key=lambda h: h[1]):
        if a < last:
            continue
        parts.append(text[last:a])
        out_len += a - last
        shown = mask(value, rule.keep)
        parts.append(shown)
        spans[(a, b)] = (out_len, out_len + len(shown))
        out_len += len(shown)
        last = b
    parts.append(text[last:])
    for _, a, b, _ in hits:
        spans.setdefault((a, b), (0, 0))
    return _MaskedText("".join(parts), spans)


__all__ = ["SecretsDetector", "mask", "mask_secrets", "shannon_entropy"]
