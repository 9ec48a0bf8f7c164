"""Tier 2 of detection: the compiled signature set, and the ``signatures`` detector that runs it.

The signatures are data (``signatures.yaml`` next to this module: id, category, score, pattern,
examples). They are compiled once per process into one :class:`SignatureSet`, shared by the
``signatures`` detector (every normalized view of ``content`` and ``tool.arguments``) and the
``encoding`` detector (decoded views only).

How a text is matched, and why:

1. A prefilter finds which signatures *may* match, in one pass over the text, with no Python
   loop over patterns: Hyperscan when installed (measured ~10 µs per 1 KB, see
   ``benchmarks/detectors.py``), else RE2's ``re2.Set``, else (a last resort, logged once) a loop
   of Python regexes. The prefilter pattern is a *superset* of the signature: the text is
   lower-cased, ``\\s+`` becomes one ``\\s`` (every normalized view has single whitespace) and
   bounded repeats become unbounded, which keeps Hyperscan's compile time in seconds instead of
   minutes. The compiled Hyperscan database is cached on disk (``$GARRISON_CACHE_DIR``, else
   ``$XDG_CACHE_HOME/garrison``, else ``~/.cache/garrison``), keyed by a hash of the patterns, so
   only the first process on a machine pays for the compile.
2. Each candidate is confirmed with the signature's own pattern (Python ``re``,
   case-insensitive) in a window that ends where the prefilter matched, which also yields the
   exact span. The YAML pattern is the truth; the prefilter only saves time.

The ``signatures`` detector reports one finding per category (the label) with the score of its
strongest signature, evidence with field / view / offsets (into the original field for the
``text`` view) / a snippet of at most 120 characters, and ``detail["signatures"]``. A match that
is *quoted as an example* — inside quotation marks, or right after "such as", "for example",
"the phrase" — keeps its label at half the score: security training material and questions
about attacks then rank below real attacks without disappearing (an attacker can quote an
injection too; the classifier tier still sees it). Content on the ``system`` channel is skipped
by default (developers' own instructions).

This module also holds the few helpers the other fast detectors share (option checks, views,
evidence). It must never log or raise on content, never decide (findings only), and never
compile signatures per event or per detector instance.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import logging
import os
import re
import tempfile
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import yaml

from garrison.detect.base import ScanContext
from garrison.detect.normalize import DecodedSegment, NormalizedText, snippet
from garrison.errors import ConfigError
from garrison.model import Channel, Event, EventKind
from garrison.model.finding import Evidence, Finding

log = logging.getLogger("garrison.detect")

SIGNATURES_FILE = "signatures.yaml"
MAX_EVIDENCE = 8
SNIPPET_CHARS = 120

# --- helpers shared by the fast detectors -------------------------------------------------------

# Every kind that carries text worth scanning (a guard's verdict is ours, not content).
CONTENT_KINDS: frozenset[EventKind] = frozenset(EventKind) - {EventKind.GUARD_DECISION}
# Channels whose content nobody on the app's side wrote: an injection there is indirect.
UNTRUSTED_CHANNELS = frozenset({Channel.TOOL, Channel.RETRIEVAL, Channel.EXTERNAL, Channel.MEMORY})
UNTRUSTED_KINDS = frozenset({EventKind.TOOL_RESULT, EventKind.RETRIEVAL, EventKind.MEMORY})
TAG_DIRECT = "atlas.AML.T0051.000"  # LLM Prompt Injection: Direct
TAG_INDIRECT = "atlas.AML.T0051.001"  # LLM Prompt Injection: Indirect
TAG_OBFUSCATION = "atlas.AML.T0068"  # LLM Prompt Obfuscation


def is_indirect(event: Event, field_path: str) -> bool:
    """Whether text in ``field_path`` of ``event`` came from a party other than the user.

    Tool arguments count as indirect: the model wrote them, usually from what it read."""
    if field_path.startswith("tool."):
        return True
    return event.channel in UNTRUSTED_CHANNELS or event.kind in UNTRUSTED_KINDS


def check_options(
    detector: str, options: Mapping[str, Any] | None, known: Iterable[str]
) -> dict[str, Any]:
    """The options as a dict; ConfigError naming the first unknown one."""
    if options is None:
        return {}
    if not isinstance(options, Mapping):
        raise ConfigError(
            f"detector {detector!r}: options must be a mapping",
            field=f"detection.detectors.{detector}",
        )
    allowed = set(known)
    for key in options:
        if key not in allowed:
            choices = ", ".join(sorted(allowed)) or "none"
            raise ConfigError(
                f"detector {detector!r}: unknown option {key!r} (known: {choices})",
                field=f"detection.detectors.{detector}.{key}",
            )
    return dict(options)


def option_strings(detector: str, options: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """A list of non-empty strings (a single string is accepted as a one-item list)."""
    value = options.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(
            f"detector {detector!r}: option {key!r} must be a list of non-empty strings",
            field=f"detection.detectors.{detector}.{key}",
        )
    return tuple(value)


def option_number(
    detector: str, options: Mapping[str, Any], key: str, default: float, lo: float, hi: float
) -> float:
    value = options.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
        raise ConfigError(
            f"detector {detector!r}: option {key!r} must be a number from {lo} to {hi}",
            field=f"detection.detectors.{detector}.{key}",
        )
    return float(value)


def option_channels(
    detector: str, options: Mapping[str, Any], key: str, default: Iterable[Channel]
) -> frozenset[Channel]:
    if key not in options:
        return frozenset(default)
    out: set[Channel] = set()
    for name in option_strings(detector, options, key):
        try:
            out.add(Channel(name))
        except ValueError:
            raise ConfigError(
                f"detector {detector!r}: option {key!r}: {name!r} is not one of "
                f"{', '.join(Channel)}",
                field=f"detection.detectors.{detector}.{key}",
            ) from None
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class View:
    """One normalized view of a field: its name, its text, and for a decoded view the segment
    (whose span in ``NormalizedText.text`` is where the evidence points)."""

    name: str
    text: str
    segment: DecodedSegment | None = None


def iter_views(nt: NormalizedText, *, folded: bool = True) -> Iterator[View]:
    """The views ``NormalizedText.views()`` lists, with their segments."""
    yield View("text", nt.text)
    if nt.hidden:
        yield View("hidden", nt.hidden)
    for seg in nt.decoded:
        yield View(f"decoded:{seg.encoding}", seg.decoded, seg)
    if folded and nt.folded and nt.folded != nt.text.lower():
        yield View("folded", nt.folded)


def evidence(
    nt: NormalizedText,
    field_path: str,
    view: View,
    start: int,
    end: int,
    *,
    snippet_text: str | None = None,
) -> Evidence:
    """Evidence for ``[start, end)`` of ``view``: offsets into the original field where they
    can be mapped (the text view exactly, a decoded view as its segment's span, hidden text as
    the first span of smuggled characters), and a one-line snippet of at most 120 characters
    with any secret in it masked."""
    a: int | None = None
    b: int | None = None
    if view.name == "text":
        a, b = nt.original_span(start, end)
    elif view.segment is not None:
        a, b = nt.original_span(view.segment.start, view.segment.end)
    elif view.name == "hidden":
        spans = nt.spans("unicode_tags") or nt.spans("invisible_chars")
        if spans:
            a, b = spans[0]
    if snippet_text is None:
        from garrison.detect.detectors.secrets import mask_secrets  # secrets imports this module

        snippet_text = mask_secrets(snippet(view.text, start, end, SNIPPET_CHARS))
    return Evidence(field_path, a, b, view.name, snippet_text[:SNIPPET_CHARS])


def dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


# --- the signature data --------------------------------------------------------------------------

_MACRO = re.compile(r"\{\{([A-Z0-9_]+)\}\}")
# Constructs outside the dialect the three engines share (see signatures.yaml's header).
_FORBIDDEN = re.compile(r"\(\?[=!<>P#aiLmsux-]|\\[1-9AZzGQEpPkwW]|\(\?\(|[*+?}]\+")


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    tags: tuple[str, ...]
    injection: bool  # tagged as prompt injection (direct or indirect by where it was found)
    description: str = ""


@dataclass(frozen=True, slots=True)
class Signature:
    id: str
    category: str
    score: float
    pattern: str  # macros expanded, NFKC-normalized
    description: str = ""
    lang: str = "en"
    tags: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SignatureHit:
    signature: Signature
    start: int  # span in the scanned text
    end: int


def load_signatures(
    text: str | None = None, where: str = SIGNATURES_FILE
) -> tuple[dict[str, Category], list[Signature]]:
    """Parse and validate signature data (the bundled file when ``text`` is None)."""
    if text is None:
        text = (
            resources.files("garrison.detect.detectors")
            .joinpath(SIGNATURES_FILE)
            .read_text("utf-8")
        )
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}", file=where) from None
    if not isinstance(doc, Mapping):
        raise ConfigError("expected a mapping", file=where)
    categories: dict[str, Category] = {}
    for name, spec in (doc.get("categories") or {}).items():
        if not isinstance(spec, Mapping):
            raise ConfigError(f"category {name!r}: expected a mapping", file=where)
        categories[str(name)] = Category(
            name=str(name),
            tags=tuple(str(t) for t in spec.get("tags") or ()),
            injection=bool(spec.get("injection", False)),
            description=str(spec.get("description") or ""),
        )
    macros = {str(k): str(v) for k, v in (doc.get("macros") or {}).items()}

    def expand(pattern: str, sid: str) -> str:
        def one(m: re.Match[str]) -> str:
            if m.group(1) not in macros:
                raise ConfigError(f"signature {sid!r}: unknown macro {m.group(1)!r}", file=where)
            return macros[m.group(1)]

        return _MACRO.sub(one, pattern)

    signatures: list[Signature] = []
    seen: set[str] = set()
    for i, spec in enumerate(doc.get("signatures") or ()):
        if not isinstance(spec, Mapping) or not isinstance(spec.get("id"), str):
            raise ConfigError(f"signature #{i}: expected a mapping with an id", file=where)
        sid = spec["id"]
        if sid in seen:
            raise ConfigError(f"signature {sid!r}: duplicate id", file=where)
        seen.add(sid)
        category = spec.get("category")
        if category not in categories:
            raise ConfigError(f"signature {sid!r}: unknown category {category!r}", file=where)
        score = spec.get("score")
        if isinstance(score, bool) or not isinstance(score, int | float) or not 0 < score <= 1:
            raise ConfigError(f"signature {sid!r}: score must be in (0, 1]", file=where)
        raw = spec.get("pattern")
        if not isinstance(raw, str) or not raw:
            raise ConfigError(f"signature {sid!r}: missing pattern", file=where)
        pattern = unicodedata.normalize("NFKC", expand(raw, sid))
        bad = _FORBIDDEN.search(pattern)
        if bad:
            raise ConfigError(
                f"signature {sid!r}: {bad.group()!r} is outside the shared regex dialect",
                file=where,
            )
        try:
            re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise ConfigError(f"signature {sid!r}: bad pattern: {exc}", file=where) from None
        signatures.append(
            Signature(
                id=sid,
                category=str(category),
                score=float(score),
                pattern=pattern,
                description=str(spec.get("description") or ""),
                lang=str(spec.get("lang") or "en"),
                tags=tuple(str(t) for t in spec.get("tags") or ()),
                examples=tuple(str(e) for e in spec.get("examples") or ()),
            )
        )
    return categories, signatures


# --- the prefilter pattern -----------------------------------------------------------------------

_REPEAT = re.compile(r"\{(\d+),(\d+)\}(\??)")


def prefilter_pattern(pattern: str) -> str:
    """A superset of ``pattern`` for the prefilter engines, on lower-cased text with single
    whitespace: literal letters lower-cased (escapes kept), ``\\s+``/``\\s*`` as one optional
    whitespace, bounded repeats ``{m,n}`` (n ≥ 2) made unbounded."""
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            pair = pattern[i : i + 2]
            if pair == "\\s" and i + 2 < n and pattern[i + 2] in "+*":
                out.append("\\s" if pattern[i + 2] == "+" else "\\s?")
                i += 3
                continue
            out.append(pair)
            i += 2
            continue
        out.append(c.lower())
        i += 1
    p = "".join(out)

    def widen(m: re.Match[str]) -> str:
        lo, hi = int(m.group(1)), int(m.group(2))
        if hi < 2:
            return m.group(0)
        return ("*" if lo == 0 else "+") + m.group(3)

    return _REPEAT.sub(widen, p)


def _cache_dir() -> Path:
    explicit = os.environ.get("GARRISON_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "garrison"


class _Prefilter:
    """Which signatures may match a (lower-cased) text, and where their matches end."""

    engine: ClassVar[str] = "python"

    def candidates(self, lowered: str) -> dict[int, list[int]]:
        """Signature index -> end offsets (characters of ``lowered``; empty when unknown)."""
        raise NotImplementedError


class _HyperscanPrefilter(_Prefilter):
    engine = "hyperscan"
    MAX_ENDS = 16  # end offsets kept per signature per text

    def __init__(self, hs: Any, patterns: Sequence[str]) -> None:
        self._hs = hs
        flags = hs.HS_FLAG_UTF8
        exprs = [p.encode("utf-8") for p in patterns]
        key = hashlib.sha256(
            "\x00".join([str(getattr(hs, "__version__", "")), str(flags), *patterns]).encode()
        ).hexdigest()[:24]
        path = _cache_dir() / f"signatures-{key}.hsdb"
        self.db = self._load(path)
        if self.db is None:
            self.db = hs.Database()
            try:
                self._compile(exprs, [flags] * len(exprs))
            except hs.error:  # a pattern it cannot build exactly is approximated
                per_flags = []
                for expr in exprs:
                    try:
                        hs.Database().compile(
                            expressions=[expr], ids=[0], elements=1, flags=[flags]
                        )
                        per_flags.append(flags)
                    except hs.error:
                        per_flags.append(flags | hs.HS_FLAG_PREFILTER)
                self._compile(exprs, per_flags)
            self._store(path)
        self._local = threading.local()

    def _compile(self, exprs: list[bytes], flags: list[int]) -> None:
        self.db.compile(
            expressions=exprs, ids=list(range(len(exprs))), elements=len(exprs), flags=flags
        )

    def _load(self, path: Path) -> Any:
        try:
            return self._hs.loadb(path.read_bytes(), self._hs.HS_MODE_BLOCK)
        except Exception:  # absent, unreadable, another platform: compile instead
            return None

    def _store(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
                tmp.write(self._hs.dumpb(self.db))
            os.replace(tmp.name, path)
            # keep the few newest databases (other versions may share the directory)
            old = sorted(path.parent.glob("signatures-*.hsdb"), key=lambda p: p.stat().st_mtime)
            for stale in old[:-4]:
                stale.unlink(missing_ok=True)
        except Exception as exc:  # a read-only home only costs the next process a compile
            log.debug("could not cache the compiled signatures at %s: %s", path, exc)

    def candidates(self, lowered: str) -> dict[int, list[int]]:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = self._hs.Scratch(self.db)
        found: dict[int, list[int]] = {}
        cap = self.MAX_ENDS

        def on_match(idx: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
            ends = found.get(idx)
            if ends is None:
                found[idx] = [to]
            elif len(ends) < cap:
                ends.append(to)

        data = lowered.encode("utf-8", "replace")
        self.db.scan(data, match_event_handler=on_match, scratch=scratch)
        if found and len(data) != len(lowered):  # byte offsets -> character offsets
            for ends in found.values():
                ends[:] = [len(data[:e].decode("utf-8", "ignore")) for e in ends]
        return found


class _RE2Prefilter(_Prefilter):
    engine = "re2"

    def __init__(self, re2: Any, patterns: Sequence[str]) -> None:
        options = re2.Options()
        options.max_mem = 256 << 20
        self._set = re2.Set.SearchSet(options)
        for p in patterns:
            self._set.Add(p)
        self._set.Compile()

    def candidates(self, lowered: str) -> dict[int, list[int]]:
        return {i: [] for i in self._set.Match(lowered) or ()}


class _PythonPrefilter(_Prefilter):
    """The last resort: every signature's regex in turn (slow; logged when chosen)."""

    engine = "python"

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self._patterns = patterns

    def candidates(self, lowered: str) -> dict[int, list[int]]:
        return {i: [] for i, rx in enumerate(self._patterns) if rx.search(lowered)}


class SignatureSet:
    """Compiled signatures: ``scan(text)`` returns the first confirmed match of each signature.

    Build it once (``shared_signature_set()``); it is safe to use from several threads."""

    WINDOW = 1000  # characters before a prefilter end offset where the real match may start

    def __init__(
        self,
        categories: Mapping[str, Category],
        signatures: Sequence[Signature],
        *,
        engine: str = "auto",
    ) -> None:
        self.categories = dict(categories)
        self.signatures = tuple(signatures)
        self.by_id = {s.id: s for s in self.signatures}
        self._regexes = [re.compile(s.pattern, re.IGNORECASE) for s in self.signatures]
        prefilters = [prefilter_pattern(s.pattern) for s in self.signatures]
        self._prefilter = self._build(engine, prefilters)
        self.engine = self._prefilter.engine

    def _build(self, engine: str, prefilters: list[str]) -> _Prefilter:
        if engine not in ("auto", "hyperscan", "re2", "python"):
            raise ConfigError(f"unknown signature engine {engine!r} (hyperscan, re2, python)")
        if engine in ("auto", "hyperscan"):
            try:
                return _HyperscanPrefilter(importlib.import_module("hyperscan"), prefilters)
            except ImportError:
                if engine == "hyperscan":
                    raise ConfigError("the hyperscan package is not installed") from None
        if engine in ("auto", "re2"):
            try:
                return _RE2Prefilter(importlib.import_module("re2"), prefilters)
            except ImportError:
                if engine == "re2":
                    raise ConfigError("the google-re2 package is not installed") from None
        if engine == "auto":
            log.warning("neither hyperscan nor google-re2 is installed: signatures run slowly")
        return _PythonPrefilter([re.compile(p) for p in prefilters])

    def scan(self, text: str) -> list[SignatureHit]:
        """Confirmed matches in ``text`` (one per signature: the first), in signature order."""
        if not text:
            return []
        lowered = text.lower()
        exact_ends = len(lowered) == len(text)
        if "  " in lowered or "\t" in lowered or "\r" in lowered or "\n\n" in lowered:
            lowered = " ".join(lowered.split())  # the prefilter expects single whitespace
            exact_ends = False
        hits: list[SignatureHit] = []
        n = len(text)
        for idx, ends in sorted(self._prefilter.candidates(lowered).items()):
            rx = self._regexes[idx]
            m: re.Match[str] | None = None
            if ends and exact_ends:
                for end in ends:
                    m = rx.search(text, max(0, end - self.WINDOW), min(n, end + 8))
                    if m:
                        break
            if m is None and not (ends and exact_ends):
                m = rx.search(text)
            if m is not None and m.end() > m.start():
                hits.append(SignatureHit(self.signatures[idx], m.start(), m.end()))
        return hits


@functools.cache
def shared_signature_set() -> SignatureSet:
    """The bundled signatures, compiled once per process and shared by every detector."""
    categories, signatures = load_signatures()
    return SignatureSet(categories, signatures)


# --- the detector --------------------------------------------------------------------------------

_QUOTES_OPEN = "\"'“‘«„「『`"
_QUOTES_CLOSE = "\"'”’»“」』`"
_MENTION_CUE = re.compile(
    r"(?:such\s+as|e\.\s?g\.|for\s+(?:example|instance)|(?:phrases?|strings?|prompts?|inputs?|"
    r"texts?|commands?|messages?|sentences?)\s+(?:like|such\s+as)|(?:known|referred\s+to)\s+as|"
    r"called|the\s+(?:phrase|string|sentence|text|words?|command|example|keyword|pattern|"
    r"classic|famous|infamous)|examples?\s*(?:of|is|are|include)?|i\.\s?e\.)\s*[:\-–—,]?\s*"
    r"[\"'“‘«„`]?\s*$",
    re.IGNORECASE,
)


def is_mention(text: str, start: int, end: int) -> bool:
    """Whether a match reads as quoted or cited as an example rather than said."""
    before = text[max(0, start - 2) : start].rstrip()
    if before and before[-1] in _QUOTES_OPEN:
        line_end = text.find("\n", end)
        tail = text[end : min(end + 160, line_end if line_end >= 0 else len(text))]
        if any(c in _QUOTES_CLOSE for c in tail):
            return True
    return _MENTION_CUE.search(text, max(0, start - 48), start) is not None


@dataclass(slots=True)
class _CategoryHits:
    score: float = 0.0
    signatures: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    views: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    spans: set[tuple[str, str, str, int, int]] = field(default_factory=set)
    indirect: bool = False
    mentioned_only: bool = True


class SignaturesDetector:
    """``signatures``: the shared signature set over every view of content and tool arguments.

    Options: ``skip_channels`` (default ``[system]``), ``min_score`` (drop weaker signatures,
    default 0), ``disable`` (signature ids or categories to ignore)."""

    id: ClassVar[str] = "signatures"
    version: ClassVar[str] = "1.0"
    kinds: ClassVar[frozenset[EventKind]] = CONTENT_KINDS

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        opts = check_options(self.id, options, ("skip_channels", "min_score", "disable"))
        self.skip_channels = option_channels(self.id, opts, "skip_channels", (Channel.SYSTEM,))
        self.min_score = option_number(self.id, opts, "min_score", 0.0, 0.0, 1.0)
        self.signature_set = shared_signature_set()
        disabled = option_strings(self.id, opts, "disable")
        for name in disabled:
            if name not in self.signature_set.by_id and name not in self.signature_set.categories:
                raise ConfigError(
                    f"detector {self.id!r}: option 'disable': no signature or category {name!r}",
                    field=f"detection.detectors.{self.id}.disable",
                )
        self.disabled = frozenset(disabled)

    async def detect(self, ctx: ScanContext) -> list[Finding]:
        event = ctx.event
        if event.channel in self.skip_channels:
            return []
        by_category: dict[str, _CategoryHits] = {}
        for field_path in ctx.fields():
            nt = ctx.normalized(field_path)
            seen: set[str] = set()
            indirect = is_indirect(event, field_path)
            for view in iter_views(nt):
                for hit in self.signature_set.scan(view.text):
                    sig = hit.signature
                    if sig.id in self.disabled or sig.category in self.disabled:
                        continue
                    if sig.score < self.min_score:
                        continue
                    key = sig.id if view.segment is None else f"{sig.id}@{view.segment.start}"
                    if key in seen:
                        continue  # the same signature in the text and the folded view
                    seen.add(key)
                    mentioned = view.name in ("text", "folded") and is_mention(
                        view.text, hit.start, hit.end
                    )
                    acc = by_category.setdefault(sig.category, _CategoryHits())
                    acc.score = max(acc.score, sig.score * (0.5 if mentioned else 1.0))
                    acc.mentioned_only = acc.mentioned_only and mentioned
                    acc.indirect = acc.indirect or indirect
                    acc.signatures.append(sig.id)
                    acc.languages.append(sig.lang)
                    acc.views.append(view.name)
                    where = (field_path, view.name, key.partition("@")[2], hit.start, hit.end)
                    if where not in acc.spans and len(acc.evidence) < MAX_EVIDENCE:
                        acc.spans.add(where)
                        acc.evidence.append(evidence(nt, field_path, view, hit.start, hit.end))
        return [self._finding(event, name, acc) for name, acc in by_category.items()]

    def _finding(self, event: Event, category: str, acc: _CategoryHits) -> Finding:
        cat = self.signature_set.categories[category]
        tags: list[str] = []
        if cat.injection:
            tags.append(TAG_INDIRECT if acc.indirect else TAG_DIRECT)
        tags.extend(cat.tags)
        for sid in acc.signatures:
            tags.extend(self.signature_set.by_id[sid].tags)
        if any(v != "text" for v in acc.views):
            tags.append(TAG_OBFUSCATION)
        return Finding(
            event_id=event.id,
            detector=self.id,
            version=self.version,
            label=category,
            score=round(acc.score, 3),
            tags=dedupe(tags),
            evidence=tuple(acc.evidence),
            detail={
                "signatures": list(dedupe(acc.signatures)),
                "languages": list(dedupe(acc.languages)),
                "views": list(dedupe(acc.views)),
                "mentioned": acc.mentioned_only,
            },
        )

    async def aclose(self) -> None:
        return None


__all__ = [
    "CONTENT_KINDS",
    "Category",
    "Signature",
    "SignatureHit",
    "SignatureSet",
    "SignaturesDetector",
    "View",
    "check_options",
    "evidence",
    "is_indirect",
    "is_mention",
    "iter_views",
    "load_signatures",
    "option_channels",
    "option_number",
    "option_strings",
    "prefilter_pattern",
    "shared_signature_set",
]
