"""Tier 1 of detection: turn one field's text into the views every detector scans.

``normalize(text)`` applies, in this order: a size cap (head and tail are kept, the middle is
dropped), removal of invisible characters (zero-width, bidi controls, Unicode tags, variation
selectors, C0/C1 controls; lone surrogates become U+FFFD), NFKC, and whitespace collapse
(runs with a newline become one ``\\n``, other runs one space). On the side it records:

- ``hidden``: what invisible characters spelled — ASCII smuggled in Unicode tags (U+E0020–E007E)
  and bytes smuggled in runs of variation selectors — so it can be scanned like any text;
- ``decoded``: embedded base64 / hex / URL-encoded / rot13 segments that decode to mostly
  printable text, with their span in ``text``;
- ``folded``: a lower-cased view with confusable Cyrillic/Greek letters mapped to Latin,
  spaced-out and dotted letters joined ("i g n o r e" → "ignore") and leetspeak folded
  (``model_views()`` leaves it out when folding changed nothing a reader would notice);
- ``windows``: overlapping slices of ``text`` for the classifier;
- ``flags``: what was seen (invisible_chars, unicode_tags, bidi_control, homoglyphs,
  mixed_scripts, base64, hex, rot13, url_encoding, leetspeak, spaced_letters, truncated), with
  ``flag_spans`` giving where in the original.

Offsets: ``NormalizedText.original_span(start, end)`` maps a span of ``text`` back to the
original string. It is exact through the size cap, the removals and the whitespace collapse,
and per character cluster through NFKC (a ligature such as "ﬁ" maps to its one source
character). Where NFKC composed across clusters (rare: e.g. conjoining Hangul jamo) the mapping
is refused and ``(None, None)`` is returned. The map is built lazily, only when a detector asks.
``folded``, ``hidden`` and decoded views cannot be mapped character by character; detectors
report the ``text`` span of a decoded segment instead.

This module must never raise on any ``str`` (binary junk, lone surrogates, megabytes of
whitespace), never do more than linear work in the input size, and never import detectors.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import unquote

Encoding = Literal["base64", "hex", "rot13", "url"]

FLAGS = frozenset(
    {
        "invisible_chars",
        "unicode_tags",
        "bidi_control",
        "homoglyphs",
        "mixed_scripts",
        "base64",
        "hex",
        "rot13",
        "url_encoding",
        "leetspeak",
        "spaced_letters",
        "truncated",
    }
)

MAX_DECODED_SEGMENTS = 64  # per text: a blob of thousands of tokens must not cost thousands
MAX_SPANS_PER_FLAG = 8

# --- character classes ---------------------------------------------------------------------------

# Unicode tags: U+E0000–E007F. U+E0020–E007E mirror printable ASCII ("ASCII smuggling").
_TAGS = "\U000e0000-\U000e007f"
# Variation selectors; a run of them after one base character can carry one byte each.
_VS = "\ufe00-\ufe0f\U000e0100-\U000e01ef"
# Embeddings, overrides and isolates ("Trojan Source"); flagged.
_BIDI = "\u202a-\u202e\u2066-\u2069"
# Directional marks, common in legitimate right-to-left text; stripped, never flagged.
_BIDI_MARKS = "\u200e\u200f\u061c"
# Zero-width and other invisible format characters.
_ZERO_WIDTH = (
    "\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200d\u2060-\u2065\u206a-\u206f"
    "\u3164\ufeff\uffa0\ufff9-\ufffb\U0001d173-\U0001d17a\U0001bca0-\U0001bca3"
)
# Controls that are not whitespace (U+0085 NEL is whitespace to Python and stays).
_CONTROLS = "\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f"
_SURROGATES = "\ud800-\udfff"

_STRIP = re.compile(f"[{_TAGS}{_VS}{_BIDI}{_BIDI_MARKS}{_ZERO_WIDTH}{_CONTROLS}]+")
_TAG_RUN = re.compile(f"[{_TAGS}]+")
_VS_RUN = re.compile(f"[{_VS}]{{2,}}")
_BIDI_CHAR = re.compile(f"[{_BIDI}]")
_ZW_CHAR = re.compile(f"[{_ZERO_WIDTH}]")
_SURROGATE = re.compile(f"[{_SURROGATES}]")
_SOFT_OR_BOM = frozenset("\u00ad\ufeff")
_ALWAYS_SUSPICIOUS = frozenset("\u115f\u1160\u3164\uffa0\u2061\u2062\u2063\u2064\u180e")

_WHITESPACE_TO_SHRINK = re.compile(r"^\s+|\s{2,}")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_CONTROL_ASCII = re.compile("[\x00-\x08\x0e-\x1b\x7f]")

# Confusable letters that render like Latin ones (a practical subset of Unicode's
# confusables.txt: the Cyrillic, Greek and Armenian letters attackers actually use).
_CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ѵ": "v", "ү": "y", "ɡ": "g", "ɑ": "a", "ı": "i",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ԝ": "W", "Ү": "Y", "Ӏ": "I",
    # Greek
    "α": "a", "ο": "o", "ν": "v", "ρ": "p", "τ": "t", "ι": "i", "κ": "k", "υ": "u", "ε": "e",
    "χ": "x", "ϲ": "c", "ϳ": "j", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I",
    "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Armenian
    "օ": "o", "ս": "u", "հ": "h", "ո": "n", "ց": "g", "զ": "q",
}  # fmt: skip
_CONFUSABLE_TABLE = str.maketrans(_CONFUSABLES)
_CONFUSABLE_CLASS = "".join(sorted(_CONFUSABLES))
_OTHER_SCRIPT = "\u0370-\u03ff\u0400-\u052f\u0531-\u058f"
# A Latin letter touching a Greek/Cyrillic/Armenian letter inside one word.
_MIXED = re.compile(f"[a-zA-Z][{_OTHER_SCRIPT}]|[{_OTHER_SCRIPT}][a-zA-Z]")
_OTHER_SCRIPT_CHAR = re.compile(f"[{_OTHER_SCRIPT}]")
_CONFUSABLE_CHAR = re.compile(f"[{_CONFUSABLE_CLASS}]")
_LATIN_LETTER = re.compile("[a-zA-Z]")
# Greek letters that sit next to Latin ones in ordinary technical text (μm, kΩ, Δx, πr²).
_TECHNICAL_GREEK = frozenset("μΩωΔδπσΣθλφγβ")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Leetspeak: runs of look-alike digits/symbols touching a letter. "11" reads as "ll", "1" as "i".
_LEET_CANDIDATE = re.compile(r"[013457@$]+")
_LEET_CHARS = re.compile(r"[a-z][013457@$]|[013457@$][a-z]")
# A folded view worth a model's pass (``NormalizedText.model_views``): this many leetspeak-folded
# characters within LEET_SPAN characters, or one of these flags.
LEET_DENSE = 8
LEET_SPAN = 256
_FOLD_FLAGS = frozenset({"leetspeak", "spaced_letters", "homoglyphs", "mixed_scripts"})
_LEET_TABLE = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
                             "@": "a", "$": "s", "|": "l", "!": "i"})  # fmt: skip
# Four or more single letters/digits each followed by one separator: "i g n o r e", "d.o.t".
_SPACED = re.compile(r"(?<![^\W_])(?:[^\W_][ .\-_*/|~+·•]){2,}[^\W_](?![^\W_])")
_SPACED_SEPARATORS = re.compile(r"[ .\-_*/|~+·•]")
_SEPARATOR_CHARS = frozenset(" .-_*/|~+·•")
_LEET_WORDS = _word_set(
    """
    ignore previous instructions instruction system prompt prompts rules rule forget disregard
    override bypass jailbreak hack hacker hacking admin administrator password passwords secret
    secrets token tokens key keys reveal print show tell repeat above all everything developer
    mode unrestricted unfiltered restrictions filter filters safety guidelines policy policies
    pretend roleplay act now you your are the and this that with from what delete remove
    execute run shell command commands sudo root access credentials leak exfiltrate send email
    attack exploit malware virus bomb weapon kill drug drugs illegal steal free evil answer
    respond reply never always must should instead disable enable confidential hidden assistant
    """
)

# Encoded segments.
_B64_CANDIDATE = re.compile(r"[A-Za-z0-9+/_\-]{16,}={0,2}")
_B64_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-=")
_B64_BODY = _B64_ALPHABET - {"="}  # "key=<base64>": the "=" ends the name, not the blob
_HEX_ONLY = re.compile(r"[0-9A-Fa-f]+")
_HEX_ESCAPED = re.compile(r"(?:\\x[0-9A-Fa-f]{2}){6,}|(?:0[xX][0-9A-Fa-f]{2}[ ,]{0,2}){6,}")
_HEX_DIGITS = re.compile(r"\\x|0[xX]|[^0-9A-Fa-f]")
_URL_CANDIDATE = re.compile(r"(?:%[0-9A-Fa-f]{2}[^\s%]{0,64}){3,}")
_URL_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_ROT13 = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "nopqrstuvwxyzabcdefghijklmNOPQRSTUVWXYZABCDEFGHIJKLM",
)
# Common English words whose rot13 is not itself a common word ("be"/"or" swap, so they are out).
_COMMON_WORDS = _word_set(
    """
    the and you your that this with for are was have not all any can will what from they there
    their them then than when which would should could must about into only also just like more
    some other these those been were has had his her she him our out new now how who why where
    please ignore previous instructions instruction system prompt tell give show print reveal
    secret password data send following above below answer question user assistant rules make
    write read does did done very each every because before after while here want need know
    """
)
_ROT13_COMMON = frozenset(w.translate(_ROT13) for w in _COMMON_WORDS)
_ROT13_WORD = re.compile(r"[A-Za-z]{2,}")


# --- values --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DecodedSegment:
    """One embedded encoded segment: where it sits in ``text`` and what it decodes to."""

    encoding: Encoding
    start: int  # span in NormalizedText.text
    end: int
    decoded: str
    depth: int = 1  # 2 when found inside another decoded segment (base64 of hex, …)


@dataclass(frozen=True, slots=True)
class NormalizedText:
    original: str
    text: str
    hidden: str = ""
    decoded: tuple[DecodedSegment, ...] = ()
    folded: str = ""
    # most leetspeak-folded characters within any LEET_SPAN characters of ``folded``
    leet_density: int = 0
    windows: tuple[str, ...] = ()
    truncated: bool = False
    max_chars: int = 0
    flags: frozenset[str] = frozenset()
    # where each flag was seen: flag -> up to 8 (start, end, in_text); see spans()
    _flag_spans: dict[str, tuple[tuple[int, int, bool], ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # the intermediate strings and the lazily built offset map (see original_span)
    _stages: tuple[str, ...] = field(default=(), repr=False, compare=False)
    _keep: tuple[int, int] = field(default=(0, 0), repr=False, compare=False)
    _map: list[_OffsetMap | None] = field(default_factory=list, repr=False, compare=False)

    def views(self) -> list[tuple[str, str]]:
        """(view name, text) pairs to scan: text, hidden, decoded:<encoding> per segment, and
        folded when it differs from ``text.lower()``."""
        out: list[tuple[str, str]] = [("text", self.text)]
        if self.hidden:
            out.append(("hidden", self.hidden))
        for seg in self.decoded:
            out.append((f"decoded:{seg.encoding}", seg.decoded))
        if self.folded and self.folded != self.text.lower():
            out.append(("folded", self.folded))
        return out

    def model_views(self) -> list[tuple[str, str]]:
        """``views()`` without a folded view that only re-spells a few characters: the folded
        view stays when folding joined spaced letters, mapped homoglyphs, spelled a known
        leetspeak word, changed the length, or folded at least ``LEET_DENSE`` characters within
        ``LEET_SPAN`` of each other. Ordinary text folds "1st", "h2o", "covid19" or a hash's
        digits; a transformer pass over such a near-copy of the text costs a window (a third of
        the windows of 1 KB of benign multilingual prose) for a score it already has."""
        views = self.views()
        if views[-1][0] != "folded":
            return views
        material = (
            self.flags & _FOLD_FLAGS
            or len(self.folded) != len(self.text)
            or self.leet_density >= LEET_DENSE
        )
        return views if material else views[:-1]

    def spans(self, flag: str) -> list[tuple[int | None, int | None]]:
        """Where in the original string ``flag`` was seen (at most 8 spans)."""
        out: list[tuple[int | None, int | None]] = []
        for a, b, in_text in self._flag_spans.get(flag, ()):
            out.append(self.original_span(a, b) if in_text else (a, b))
        return out

    def original_span(self, start: int, end: int) -> tuple[int | None, int | None]:
        """Map a span of ``text`` to the original string; ``(None, None)`` when it cannot be."""
        if not self._map:
            try:
                built: _OffsetMap | None = _build_map(self._stages, self._keep, len(self.original))
            except Exception:  # NFKC composed across clusters: refuse rather than guess
                built = None
            self._map.append(built)
        try:
            offsets = self._map[0]
            if offsets is None:
                return None, None
            n = len(self.text)
            start = min(max(start, 0), n)
            end = min(max(end, start), n)
            a = offsets.back(start)
            b = offsets.back(end - 1) + 1 if end > start else a
            return a, max(a, b)
        except Exception:  # a mapping bug must not take a finding down with it
            return None, None


def snippet(text: str, start: int, end: int, width: int = 120) -> str:
    """At most ``width`` characters of ``text`` around ``[start, end)``, on one line."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    span = end - start
    if span >= width:
        out = text[start : start + width]
    else:
        pad = (width - span) // 2
        a = max(0, start - pad)
        b = min(len(text), a + width)
        a = max(0, b - width)
        out = text[a:b]
    return " ".join(out.split())


# --- offset mapping ------------------------------------------------------------------------------


class _OffsetMap:
    """Maps an index of an output string back to its input, as sorted anchor points: from
    output index ``outs[k]`` on, output ``x`` comes from input ``ins[k] + (x - outs[k])``,
    except inside a replacement, which maps to the replacement's first input index."""

    __slots__ = ("_ins", "_outs", "_repl_end", "inner")

    def __init__(self, inner: _OffsetMap | None = None) -> None:
        self._outs: list[int] = [0]
        self._ins: list[int] = [0]
        self._repl_end: list[int] = [0]  # output index where the anchor's replacement ends
        self.inner = inner

    def add(self, out: int, inp: int, replaced_len: int = 0) -> None:
        self._outs.append(out)
        self._ins.append(inp)
        self._repl_end.append(out + replaced_len)

    def back(self, x: int) -> int:
        k = bisect.bisect_right(self._outs, x) - 1
        delta = x - self._outs[k]
        if x < self._repl_end[k]:
            delta = 0
        y = self._ins[k] + delta
        return self.inner.back(y) if self.inner is not None else y


def collapse_whitespace(s: str) -> str:
    """Runs of whitespace that hold a line break become one ``\\n``, other runs one space;
    leading and trailing whitespace goes."""
    if len(s.splitlines()) <= 1:
        return " ".join(s.split())
    return "\n".join(filter(None, (" ".join(line.split()) for line in s.splitlines())))


def _build_map(stages: tuple[str, ...], keep: tuple[int, int], n_original: int) -> _OffsetMap:
    kept, stripped, nfkc = stages[0], stages[1], stages[2]
    head, tail = keep
    # size cap: head, then one "\n", then the tail
    root = _OffsetMap()
    if tail:
        root.add(head, head, 1)
        root.add(head + 1, n_original - tail)
    # removals
    strip_map = _OffsetMap(root)
    shift = 0
    if stripped is not kept:
        for hit in _STRIP.finditer(kept):
            a, b = hit.span()
            shift += b - a
            strip_map.add(a - (shift - (b - a)), b)
    # NFKC: ASCII is stable and never the second half of a composition, so only the non-ASCII
    # runs (with the character before each, which a combining mark may attach to) can change;
    # those that do are mapped per cluster (a starter and the combining marks after it)
    nfkc_map = _OffsetMap(strip_map)
    if nfkc is not stripped:
        built: list[str] = []
        done = 0  # stripped[:done] is accounted for in built
        out = 0
        for hit in _NON_ASCII_RUN.finditer(stripped):
            a, b = max(hit.start() - 1, done), hit.end()
            region = stripped[a:b]
            if unicodedata.is_normalized("NFKC", region):
                continue
            built.append(stripped[done:a])
            out += a - done
            i = a
            while i < b:
                j = i + 1
                while j < b and unicodedata.combining(stripped[j]):
                    j += 1
                piece = unicodedata.normalize("NFKC", stripped[i:j])
                built.append(piece)
                if piece != stripped[i:j]:
                    nfkc_map.add(out, i, len(piece))
                    nfkc_map.add(out + len(piece), j)
                out += len(piece)
                i = j
            done = b
        built.append(stripped[done:])
        if "".join(built) != nfkc:
            raise ValueError("NFKC composed across clusters")
    # whitespace: runs of two or more, and leading ones, shrink to one character (or none)
    text_map = _OffsetMap(nfkc_map)
    shift = 0
    for hit in _WHITESPACE_TO_SHRINK.finditer(nfkc):
        a, b = hit.span()
        if a == 0:
            text_map.add(0, b)
            shift = b
        elif b < len(nfkc):
            text_map.add(a - shift + 1, b)
            shift += b - a - 1
    return text_map


# --- the pipeline --------------------------------------------------------------------------------


def normalize(
    text: str, *, max_chars: int = 200_000, window_chars: int = 2000, overlap: int = 400
) -> NormalizedText:
    """Normalize one field's text. Never raises: on an internal error it returns the text
    as-is with no views beyond it."""
    if not isinstance(text, str):
        text = str(text)
    try:
        return _normalize(text, max_chars, window_chars, overlap)
    except Exception:  # pragma: no cover - a bug here must not stop detection of the rest
        return NormalizedText(original=text, text=text, folded=text.lower(), windows=(text,))


def _normalize(original: str, max_chars: int, window_chars: int, overlap: int) -> NormalizedText:
    max_chars = max(int(max_chars), 1)
    flags: set[str] = set()
    spans: _Spans = {}

    # 1. size cap: keep the head and the tail (an injection is as likely at the end)
    truncated = len(original) > max_chars
    if truncated:
        tail = max_chars // 4
        head = max_chars - tail
        kept = original[:head] + "\n" + (original[-tail:] if tail else "")
        keep = (head, tail)
        flags.add("truncated")
    else:
        kept = original
        keep = (len(original), 0)

    def orig_index(i: int) -> int:  # index in `kept` -> index in `original`
        return i if i <= keep[0] or not truncated else len(original) - keep[1] + (i - keep[0] - 1)

    # 2. invisible characters: look at them, then remove them
    if _SURROGATE.search(kept):
        kept = _SURROGATE.sub("\ufffd", kept)
    hidden_parts: list[str] = []
    stripped = kept
    if not kept.isascii():
        if _STRIP.search(kept):
            stripped = _inspect_invisible(kept, flags, spans, hidden_parts, orig_index)
    elif _CONTROL_ASCII.search(kept):
        stripped = _STRIP.sub("", kept)

    # 3. NFKC
    nfkc = stripped
    if not stripped.isascii() and not unicodedata.is_normalized("NFKC", stripped):
        nfkc = unicodedata.normalize("NFKC", stripped)

    # 4. whitespace
    text = collapse_whitespace(nfkc)

    # 5. scripts: Latin letters touching Greek/Cyrillic/Armenian ones inside a word
    confusables_on = False
    if not text.isascii():
        confusables_on = _inspect_scripts(text, flags, spans)

    # 6. folded view, from the NFKC text (before whitespace collapse, so double spaces still
    # separate spaced-out words)
    lowered = (nfkc.translate(_CONFUSABLE_TABLE) if confusables_on else nfkc).lower()
    tokens = lowered.split()
    folded, leet_density = _fold(lowered, tokens, flags)

    # 7. encoded segments
    decoded = _find_encoded(text, flags, 1, tokens)
    hidden = "\n".join(p for p in hidden_parts if p)
    if hidden:
        hidden = collapse_whitespace(hidden)

    # 8. windows
    windows = _windows(text, window_chars, overlap)

    return NormalizedText(
        original=original,
        text=text,
        hidden=hidden,
        decoded=tuple(decoded),
        folded=folded,
        leet_density=leet_density,
        windows=windows,
        truncated=truncated,
        max_chars=max_chars,
        flags=frozenset(flags),
        _flag_spans={k: tuple(v) for k, v in spans.items()},
        _stages=(kept, stripped, nfkc),
        _keep=keep,
    )


_Spans = dict[str, list[tuple[int, int, bool]]]


def _add_span(spans: _Spans, flag: str, a: int, b: int, in_text: bool = False) -> None:
    lst = spans.setdefault(flag, [])
    if len(lst) < MAX_SPANS_PER_FLAG:
        lst.append((a, b, in_text))


def _inspect_invisible(
    s: str,
    flags: set[str],
    spans: _Spans,
    hidden_parts: list[str],
    orig_index: Callable[[int], int],
) -> str:
    # Unicode tags: decode the ASCII they mirror, except an emoji subdivision flag
    # (U+1F3F4 followed by lower-case letter/digit tags and CANCEL TAG, e.g. 🏴 gbsct).
    for hit in _TAG_RUN.finditer(s):
        a, b = hit.span()
        run = hit.group()
        if a > 0 and s[a - 1] == "\U0001f3f4" and run[-1] == "\U000e007f" and len(run) <= 8:
            continue
        ascii_text = "".join(chr(ord(c) - 0xE0000) for c in run if 0xE0020 <= ord(c) <= 0xE007E)
        if ascii_text:
            hidden_parts.append(ascii_text)
            flags.add("unicode_tags")
            _add_span(spans, "unicode_tags", orig_index(a), orig_index(b))
    # Variation selectors: one is an emoji/CJK presentation choice; a run of them carries bytes.
    for hit in _VS_RUN.finditer(s):
        data = bytes(
            (ord(c) - 0xFE00) if ord(c) <= 0xFE0F else (ord(c) - 0xE0100 + 16) for c in hit.group()
        )
        decoded = data.decode("utf-8", "replace")
        printable = sum(1 for c in decoded if c.isprintable() or c.isspace())
        if len(decoded) >= 2 and printable >= 0.8 * len(decoded):
            hidden_parts.append(decoded)
            flags.add("invisible_chars")
            _add_span(spans, "invisible_chars", orig_index(hit.start()), orig_index(hit.end()))
    for hit in _BIDI_CHAR.finditer(s):
        flags.add("bidi_control")
        _add_span(spans, "bidi_control", orig_index(hit.start()), orig_index(hit.end()))
    # Zero-width characters: suspicious when they split ASCII words or stand where nothing
    # legitimate puts them; fine inside emoji sequences and joining scripts.
    n = len(s)
    for hit in _ZW_CHAR.finditer(s):
        i = hit.start()
        c = s[i]
        if c in _SOFT_OR_BOM and (i == 0 or c == "\u00ad"):
            continue  # a byte-order mark at the start, a soft hyphen anywhere
        prev = s[i - 1] if i > 0 else ""
        nxt = s[i + 1] if i + 1 < n else ""
        if (
            c in _ALWAYS_SUSPICIOUS
            or (prev.isascii() and prev.isalnum())
            or (nxt.isascii() and nxt.isalnum())
        ):
            flags.add("invisible_chars")
            _add_span(spans, "invisible_chars", orig_index(i), orig_index(i + 1))
    return _STRIP.sub("", s)


def _inspect_scripts(text: str, flags: set[str], spans: _Spans) -> bool:
    """Flag Latin letters touching other-script letters; say whether to fold confusables."""
    if not _OTHER_SCRIPT_CHAR.search(text):
        return False  # no Greek, Cyrillic or Armenian at all (the common non-ASCII case)
    mixed = False
    for hit in _MIXED.finditer(text):
        pair = hit.group()
        other = pair[1] if pair[0].isascii() else pair[0]
        if other in _TECHNICAL_GREEK:
            continue
        mixed = True
        flags.add("mixed_scripts")
        _add_span(spans, "mixed_scripts", hit.start(), hit.end(), in_text=True)
        if other in _CONFUSABLES:
            flags.add("homoglyphs")
            _add_span(spans, "homoglyphs", hit.start(), hit.end(), in_text=True)
    if mixed:
        return True
    # whole look-alike words inside mostly-Latin text ("рау" in an English sentence)
    if _CONFUSABLE_CHAR.search(text):
        latin = len(_LATIN_LETTER.findall(text))
        foreign = len(_OTHER_SCRIPT_CHAR.findall(text))
        return latin >= 4 * foreign
    return False


def _fold(s: str, tokens: list[str], flags: set[str]) -> tuple[str, int]:
    """``s`` is the NFKC text, lower-cased (and confusables mapped); ``tokens`` its split().
    Returns the folded view and the most leetspeak-folded characters within any ``LEET_SPAN``
    characters."""
    if not s.isascii() and not unicodedata.is_normalized("NFKC", s):
        s = unicodedata.normalize("NFKC", s)  # lower() can denormalize (e.g. "İ")
    if _maybe_spaced(tokens):
        joined = False

        def join(m: re.Match[str]) -> str:
            nonlocal joined
            word = _SPACED_SEPARATORS.sub("", m.group())
            if len(word) >= 4 and not word.isdigit():
                joined = True
            return word

        s = _SPACED.sub(join, s)
        if joined:
            flags.add("spaced_letters")
    leet_runs = [
        m.span()
        for m in (_LEET_CANDIDATE.finditer(s) if _LEET_CHARS.search(s) else ())
        if (m.start() > 0 and "a" <= s[m.start() - 1] <= "z")
        or (m.end() < len(s) and "a" <= s[m.end()] <= "z")
    ]
    if leet_runs:  # folding is length-preserving, so the runs keep their offsets
        parts: list[str] = []
        last = 0
        for a, b in leet_runs:
            parts.append(s[last:a])
            run = s[a:b]
            parts.append("l" * len(run) if len(run) >= 2 and run.strip("1") == "" else
                         run.translate(_LEET_TABLE))  # fmt: skip
            last = b
        parts.append(s[last:])
        s = "".join(parts)
        for a, b in leet_runs:
            while a > 0 and "a" <= s[a - 1] <= "z":
                a -= 1
            while b < len(s) and "a" <= s[b] <= "z":
                b += 1
            if s[a:b] in _LEET_WORDS:
                flags.add("leetspeak")
                break
    return collapse_whitespace(s), _densest(leet_runs, LEET_SPAN)


def _densest(runs: list[tuple[int, int]], span: int) -> int:
    """The most characters of ``runs`` (sorted, disjoint spans) starting within ``span``
    characters of each other."""
    best = total = 0
    lo = 0
    for a, b in runs:
        total += b - a
        while runs[lo][0] <= a - span:
            total -= runs[lo][1] - runs[lo][0]
            lo += 1
        best = max(best, total)
    return best


def _maybe_spaced(tokens: list[str]) -> bool:
    """Cheap test for three single characters in a row ("i g n") or a dotted word ("d.o.t")."""
    run = 0
    for token in tokens:
        n = len(token)
        if n == 1 and token.isalnum():
            run += 1
            if run >= 3:
                return True
            continue
        run = 0
        if n >= 5 and token[1] in _SEPARATOR_CHARS and token[3] in _SEPARATOR_CHARS:
            return True
    return False


def _windows(text: str, window_chars: int, overlap: int) -> tuple[str, ...]:
    size = max(int(window_chars), 1)
    if len(text) <= size:
        return (text,)
    step = max(size - max(int(overlap), 0), 1)
    out: list[str] = []
    start = 0
    while True:
        out.append(text[start : start + size])
        if start + size >= len(text):
            break
        start += step
        if start + size > len(text):  # last window ends at the end of the text
            start = len(text) - size
    return tuple(out)


# --- encoded segments ----------------------------------------------------------------------------


def _printable_text(s: str) -> bool:
    """Mostly printable, with some letters: what decoded *text* looks like (not random bytes)."""
    if len(s) < 4:
        return False
    printable = letters = 0
    for c in s:
        if c.isprintable() or c in "\n\r\t":
            printable += 1
            if c.isalpha():
                letters += 1
    return printable >= 0.95 * len(s) and letters >= max(3, 0.4 * len(s))


def _bytes_to_text(data: bytes) -> str | None:
    try:
        s = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return s if _printable_text(s) else None


def _hex_of_text(data: bytes) -> str | None:
    """Decoded bytes that are hex digits of text (base64 of hex): kept, so the next layer is
    decoded too, although hex digits alone do not read as text."""
    if len(data) < 24 or len(data) % 2 or not data.isascii():
        return None
    digits = data.decode("ascii")
    if not _HEX_ONLY.fullmatch(digits) or not _bytes_to_text(binascii.unhexlify(digits)):
        return None
    return digits


def _clean_decoded(s: str) -> str:
    return collapse_whitespace(_STRIP.sub("", s))


def _find_encoded(
    text: str, flags: set[str], depth: int, tokens: list[str] | None = None
) -> list[DecodedSegment]:
    """Encoded segments of ``text``; ``tokens`` (its lower-cased split(), when the caller has
    it) lets the cheap tests skip the regex passes on ordinary prose."""
    out: list[DecodedSegment] = []
    if tokens is None:
        tokens = text.lower().split()

    def add(encoding: Encoding, a: int, b: int, decoded: str) -> None:
        out.append(DecodedSegment(encoding, a, b, _clean_decoded(decoded), depth))
        flags.add("url_encoding" if encoding == "url" else encoding)

    # runs of base64 alphabet; a run that is all hex digits is tried as hex first
    long_token = max(map(len, tokens), default=0) >= 16
    candidates = [m.span() for m in _B64_CANDIDATE.finditer(text)] if long_token else []
    merged: list[tuple[int, int]] = []
    for a, b in candidates:  # MIME-style base64: lines of 40+ characters joined by "\n"
        if (
            merged
            and a == merged[-1][1] + 1
            and text[a - 1] == "\n"
            and (merged[-1][1] - merged[-1][0] >= 40)
        ):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    for a, b in merged:
        if len(out) >= MAX_DECODED_SEGMENTS:
            break
        if (a > 0 and text[a - 1] in _B64_BODY) or (b < len(text) and text[b] in "=+/"):
            continue  # part of a longer token we cut at a character outside the class
        seg = text[a:b]
        body = seg.replace("\n", "").rstrip("=")
        if len(body) >= 24 and len(body) % 2 == 0 and _HEX_ONLY.fullmatch(body):
            decoded = _bytes_to_text(binascii.unhexlify(body))
            if decoded:
                add("hex", a, b, decoded)
            continue
        if body.isalpha() and (body.islower() or body.isupper()):
            continue  # a long word, not base64 of text
        body += "=" * (-len(body) % 4)
        try:
            if "-" in body or "_" in body:
                raw = base64.urlsafe_b64decode(body)
            else:
                raw = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            continue
        decoded = _bytes_to_text(raw) or _hex_of_text(raw)
        if decoded:
            add("base64", a, b, decoded)

    if "\\x" in text or "0x" in text or "0X" in text:
        for hit in _HEX_ESCAPED.finditer(text):
            if len(out) >= MAX_DECODED_SEGMENTS:
                break
            digits = _HEX_DIGITS.sub("", hit.group())
            digits = digits[: len(digits) // 2 * 2]
            decoded = _bytes_to_text(binascii.unhexlify(digits))
            if decoded:
                add("hex", hit.start(), hit.end(), decoded)

    if "%" in text:
        for hit in _URL_CANDIDATE.finditer(text):
            if len(out) >= MAX_DECODED_SEGMENTS:
                break
            a, b = hit.span()
            while a > 0 and not text[a - 1].isspace() and b - a < 4096:
                a -= 1  # the whole token: "q=ignore%20all%20…" decodes as one piece
            seg = text[a:b]
            decoded = unquote(seg, errors="replace")
            if decoded == seg or "\ufffd" in decoded:
                continue
            if not decoded.isprintable() and not collapse_whitespace(decoded).isprintable():
                continue
            escapes = _URL_ESCAPE.findall(seg)
            alnum_escaped = sum(1 for h in escapes if chr(int(h, 16)).isalnum())
            out.append(DecodedSegment("url", a, b, _clean_decoded(decoded), depth))
            if alnum_escaped >= 2 or 3 * len(escapes) >= 0.3 * len(seg):
                flags.add("url_encoding")  # only escapes nobody needs, or mostly escapes

    if depth == 1:
        rot = _find_rot13(text, tokens)
        if rot is not None and not any(rot.start < d.end and d.start < rot.end for d in out):
            out.append(rot)
            flags.add("rot13")
        # one more layer: base64 of hex, url-encoded base64, …
        nested: list[DecodedSegment] = []
        for outer in out:
            if outer.encoding == "rot13":
                continue
            for inner in _find_encoded(outer.decoded, flags, depth=2):
                nested.append(
                    DecodedSegment(inner.encoding, outer.start, outer.end, inner.decoded, 2)
                )
        out.extend(nested[: max(0, MAX_DECODED_SEGMENTS - len(out))])
        out.sort(key=lambda d: (d.start, d.depth))
    return out


def _find_rot13(text: str, tokens: list[str]) -> DecodedSegment | None:
    """The span of ``text`` whose rot13 reads as English while the text itself does not."""
    if len(text) < 16:
        return None
    # cheap test first: rot13-encoded common words among the whitespace-separated tokens
    if sum(map(_ROT13_COMMON.__contains__, tokens)) < 2:
        return None
    rotated = text.translate(_ROT13)
    hits = [m.span() for m in _ROT13_WORD.finditer(rotated) if m.group().lower() in _COMMON_WORDS]
    if len(hits) < 3:
        return None
    # the densest run of hits, gaps of at most 60 characters
    best = (0, 0, 0)
    run_start, run_end, count = hits[0][0], hits[0][1], 1
    for a, b in hits[1:]:
        if a - run_end <= 60:
            run_end, count = b, count + 1
            continue
        if count > best[2]:
            best = (run_start, run_end, count)
        run_start, run_end, count = a, b, 1
    if count > best[2]:
        best = (run_start, run_end, count)
    a, b, count = best
    if count < 3:
        return None
    while a > 0 and text[a - 1].isalpha():
        a -= 1
    while b < len(text) and text[b].isalpha():
        b += 1
    original_hits = sum(
        1 for m in _ROT13_WORD.finditer(text, a, b) if m.group().lower() in _COMMON_WORDS
    )
    region_words = len(_ROT13_WORD.findall(text, a, b))
    if count < 3 * max(original_hits, 1) or count < 0.3 * region_words:
        return None
    return DecodedSegment("rot13", a, b, rotated[a:b], 1)


__all__ = [
    "FLAGS",
    "DecodedSegment",
    "NormalizedText",
    "collapse_whitespace",
    "normalize",
    "snippet",
]
