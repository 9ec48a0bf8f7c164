"""The regular-expression subset rules may use, parsed once and re-emitted per engine.

A ``|re`` value runs in three engines: Python's ``re`` (streaming), RE2 (DuckDB's
``regexp_matches``) and PostgreSQL's ARE (``~``). They disagree on many details, so a pattern is
parsed here into a small syntax tree and written out again for each engine in a form whose
meaning is the same in all three:

- Allowed: literals, ``.``, ``[...]`` and ``[^...]`` classes with ranges, ``\\d \\w \\s`` and
  ``\\D \\W \\S`` (always ASCII: ``[0-9]``, ``[0-9A-Za-z_]``, ``[\\t\\n\\v\\f\\r ]``), ``\\b \\B``,
  ``^ $``, groups ``(...)`` / ``(?:...)`` (never capturing), ``|``, quantifiers ``* + ? {n}
  {n,} {n,m}`` (m ≤ 255, PostgreSQL's limit) and their lazy forms (a lazy quantifier matches the
  same texts; only whether a match exists is asked), escapes ``\\n \\t \\r \\f \\v \\xHH
  \\uHHHH`` and a backslash before any ASCII punctuation.
- Refused (lint error): backreferences, look-around, named groups, inline flags (use the
  ``i``/``m``/``s`` modifiers), ``\\A \\Z \\z \\p{..}``, POSIX classes, possessive quantifiers,
  an unescaped ``{`` that is not a quantifier, NUL characters.
- Flags: ``s`` lets ``.`` match a newline (otherwise ``.`` is ``[^\\n]`` everywhere, which
  PostgreSQL needs spelled out); ``m`` makes ``^``/``$`` match at line breaks (Python ``re.M``,
  RE2 ``(?m)``, PostgreSQL ``(?w)``); without ``m``, ``$`` matches only at the very end (Python
  gets ``\\Z``, since its ``$`` also matches before a final newline). ``i`` is applied here: the
  pattern's characters are case-folded and the engine matches it against the case-folded value
  (``fold``; SQL ``lower()``), so no engine's own case-insensitive mode is used.
- Known difference: ``\\b``/``\\B`` treat only ASCII letters, digits and ``_`` as word
  characters in Python (compiled with ``re.ASCII``) and RE2, while PostgreSQL also counts
  non-ASCII letters; a boundary next to a non-ASCII letter can differ.

Matching is a search (unanchored) in every engine. This module must never call an engine; it
only produces pattern text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Dialect = Literal["python", "re2", "postgres"]

MAX_PATTERN = 4096
MAX_REPEAT = 255
MAX_DEPTH = 64
MAX_FOLD_RANGE = 0x10000

_DIGIT = ((0x30, 0x39),)
_WORD = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
_SPACE = ((0x09, 0x0D), (0x20, 0x20))  # \t \n \v \f \r and space
_SHORTHAND = {"d": _DIGIT, "w": _WORD, "s": _SPACE}
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}
_META = set("\\^$.|?*+()[]{}")


class RegexSyntaxError(ValueError):
    """The pattern is outside the common subset, or is not a valid regex at all."""


def fold(text: str) -> str:
    """Case-fold ``text`` the way SQL ``lower()`` does (Unicode simple lowercase mapping).

    Python's ``str.lower`` applies the full mapping, which differs in two places: U+0130 (İ)
    becomes two characters, and a final capital sigma becomes ς. Both engines map them to one
    character each (i, σ), and so does this.
    """
    if text.isascii():
        return text.lower()
    if "Σ" in text or "İ" in text:
        text = text.replace("Σ", "σ").replace("İ", "i")
    return text.lower()


# --- syntax tree --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Lit:
    char: str


@dataclass(frozen=True, slots=True)
class Dot:
    pass


@dataclass(frozen=True, slots=True)
class CharClass:
    negated: bool
    ranges: tuple[tuple[int, int], ...]  # sorted, merged code point ranges


@dataclass(frozen=True, slots=True)
class Anchor:
    which: Literal["^", "$", "b", "B"]


@dataclass(frozen=True, slots=True)
class Repeat:
    node: Node
    low: int
    high: int | None  # None: unbounded


@dataclass(frozen=True, slots=True)
class Seq:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Alt:
    options: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Group:
    node: Node


Node = Lit | Dot | CharClass | Anchor | Repeat | Seq | Alt | Group


@dataclass(frozen=True, slots=True)
class Regex:
    """A parsed pattern in the common subset, with its flags applied or recorded."""

    source: str
    tree: Node
    ignore_case: bool
    multiline: bool
    dotall: bool

    def emit(self, dialect: Dialect) -> str:
        body = _emit(self.tree, dialect, self)
        if dialect == "re2":
            flags = ("m" if self.multiline else "") + ("s" if self.dotall else "")
            return f"(?{flags}){body}" if flags else body
        if dialect == "postgres" and self.multiline:
            return f"(?w){body}"
        return body

    def python(self) -> re.Pattern[str]:
        flags = re.ASCII
        if self.multiline:
            flags |= re.MULTILINE
        if self.dotall:
            flags |= re.DOTALL
        return re.compile(self.emit("python"), flags)


def _merge(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    ranges.sort()
    out: list[tuple[int, int]] = []
    for lo, hi in ranges:
        if out and lo <= out[-1][1] + 1:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return tuple(out)


def _negate(ranges: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    out = []
    start = 0
    for lo, hi in ranges:
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    if start <= 0x10FFFF:
        out.append((start, 0x10FFFF))
    return tuple(out)


# --- parsing ------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0

    def error(self, message: str) -> RegexSyntaxError:
        return RegexSyntaxError(f"{message} (at offset {self.pos})")

    def peek(self) -> str | None:
        return self.text[self.pos] if self.pos < len(self.text) else None

    def take(self) -> str:
        ch = self.text[self.pos]
        self.pos += 1
        return ch

    def parse(self) -> Node:
        node = self.alternation()
        if self.pos != len(self.text):
            raise self.error("unbalanced ')'")
        return node

    def alternation(self) -> Node:
        options = [self.sequence()]
        while self.peek() == "|":
            self.pos += 1
            options.append(self.sequence())
        return options[0] if len(options) == 1 else Alt(tuple(options))

    def sequence(self) -> Node:
        items: list[Node] = []
        while True:
            ch = self.peek()
            if ch is None or ch in "|)":
                break
            atom = self.atom()
            items.append(self.quantified(atom))
        return items[0] if len(items) == 1 else Seq(tuple(items))

    def quantified(self, atom: Node) -> Node:
        ch = self.peek()
        if ch is None or ch not in "*+?{":
            return atom
        if isinstance(atom, Anchor):
            raise self.error("a quantifier cannot follow an anchor")
        if ch == "{":
            low, high = self.braces()
        else:
            self.pos += 1
            low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[ch]
        nxt = self.peek()
        if nxt == "?":
            self.pos += 1  # lazy: the same texts match, and only existence is asked
        elif nxt == "+":
            raise self.error("possessive quantifiers are not supported")
        nxt = self.peek()
        if nxt is not None and nxt in "*+?{":
            raise self.error("multiple repeat")
        return Repeat(atom, low, high)

    def braces(self) -> tuple[int, int | None]:
        m = re.compile(r"\{(\d{1,4})(,(\d{0,4}))?\}").match(self.text, self.pos)
        if m is None:
            raise self.error("a '{' must be a quantifier {n}, {n,} or {n,m}; escape it as \\{")
        self.pos = m.end()
        low = int(m.group(1))
        high: int | None = low
        if m.group(2):
            high = int(m.group(3)) if m.group(3) else None
        if low > MAX_REPEAT or (high is not None and high > MAX_REPEAT):
            raise self.error(f"repetition counts above {MAX_REPEAT} are not supported")
        if high is not None and high < low:
            raise self.error("bad repetition range")
        return low, high

    def atom(self) -> Node:
        ch = self.take()
        if ch == "(":
            if self.text.startswith("?:", self.pos):
                self.pos += 2
            elif self.peek() == "?":
                raise self.error(
                    "only (...) and (?:...) groups are supported (no look-around, named groups "
                    "or inline flags: use the i, m, s modifiers)"
                )
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error("groups nested too deeply")
            inner = self.alternation()
            if self.peek() != ")":
                raise self.error("missing ')'")
            self.pos += 1
            self.depth -= 1
            return Group(inner)
        if ch == ".":
            return Dot()
        if ch == "^":
            return Anchor("^")
        if ch == "$":
            return Anchor("$")
        if ch == "[":
            return self.char_class()
        if ch == "\\":
            return self.escape(in_class=False)
        if ch in "*+?":
            raise self.error("nothing to repeat")
        if ch == "{":
            self.pos -= 1
            raise self.error("a '{' must be a quantifier; escape it as \\{")
        if ch == "\x00":
            raise self.error("NUL characters are not supported")
        return Lit(ch)

    def escape(self, *, in_class: bool) -> Node:
        if self.pos >= len(self.text):
            raise self.error("pattern ends with a backslash")
        ch = self.take()
        if ch in _SHORTHAND:
            return CharClass(False, _SHORTHAND[ch])
        if ch in "DWS":
            if in_class:
                raise self.error(f"\\{ch} is not supported inside [...]")
            return CharClass(True, _SHORTHAND[ch.lower()])
        if ch in "bB" and not in_class:
            return Anchor("b" if ch == "b" else "B")
        if ch in _SIMPLE_ESCAPES:
            return Lit(_SIMPLE_ESCAPES[ch])
        if ch in "xu":
            size = 2 if ch == "x" else 4
            digits = self.text[self.pos : self.pos + size]
            if len(digits) != size or not all(c in "0123456789abcdefABCDEF" for c in digits):
                raise self.error(f"\\{ch} needs exactly {size} hex digits")
            self.pos += size
            code = int(digits, 16)
            if code == 0:
                raise self.error("NUL characters are not supported")
            if 0xD800 <= code <= 0xDFFF:
                raise self.error("surrogate code points are not supported")
            return Lit(chr(code))
        if ch.isascii() and not ch.isalnum() and ch.isprintable():
            return Lit(ch)
        raise self.error(f"the escape \\{ch} is not supported")

    def class_char(self) -> int | tuple[tuple[int, int], ...]:
        ch = self.take()
        if ch == "\\":
            node = self.escape(in_class=True)
            if isinstance(node, CharClass):
                return node.ranges
            assert isinstance(node, Lit)
            return ord(node.char)
        if ch == "[":
            raise self.error("escape '[' inside a class as \\[ (no POSIX or nested classes)")
        if ch == "\x00":
            raise self.error("NUL characters are not supported")
        return ord(ch)

    def char_class(self) -> CharClass:
        negated = False
        if self.peek() == "^":
            negated = True
            self.pos += 1
        if self.peek() == "]":
            raise self.error("an empty class; escape a leading ']' as \\]")
        ranges: list[tuple[int, int]] = []
        while True:
            if self.pos >= len(self.text):
                raise self.error("missing ']'")
            if self.peek() == "]":
                self.pos += 1
                break
            for op in ("&&", "--", "||", "~~"):
                if self.text.startswith(op, self.pos):
                    raise self.error(f"escape {op!r} inside a class (set operations differ)")
            item = self.class_char()
            if isinstance(item, tuple):
                ranges.extend(item)
                continue
            if (
                self.peek() == "-"
                and self.pos + 1 < len(self.text)
                and self.text[self.pos + 1] != "]"
            ):
                self.pos += 1
                end = self.class_char()
                if isinstance(end, tuple):
                    raise self.error("a class shorthand cannot end a range")
                if end < item:
                    raise self.error("bad character range")
                ranges.append((item, end))
            else:
                ranges.append((item, item))
        return CharClass(negated, _merge(ranges))


def _fold_tree(node: Node) -> Node:
    if isinstance(node, Lit):
        return Lit(fold(node.char))
    if isinstance(node, CharClass):
        out: list[tuple[int, int]] = []
        for lo, hi in node.ranges:
            if hi - lo >= MAX_FOLD_RANGE:
                raise RegexSyntaxError(
                    "a character range this wide cannot be case-folded (drop the i modifier)"
                )
            for code in range(lo, hi + 1):
                if 0xD800 <= code <= 0xDFFF:
                    continue
                c = fold(chr(code))
                out.append((ord(c), ord(c)) if len(c) == 1 else (code, code))
        return CharClass(node.negated, _merge(out))
    if isinstance(node, Repeat):
        return Repeat(_fold_tree(node.node), node.low, node.high)
    if isinstance(node, Seq):
        return Seq(tuple(_fold_tree(n) for n in node.items))
    if isinstance(node, Alt):
        return Alt(tuple(_fold_tree(n) for n in node.options))
    if isinstance(node, Group):
        return Group(_fold_tree(node.node))
    return node


def parse(
    pattern: str, *, ignore_case: bool = False, multiline: bool = False, dotall: bool = False
) -> Regex:
    """Parse ``pattern``; RegexSyntaxError when it is outside the common subset."""
    if not isinstance(pattern, str):
        raise RegexSyntaxError("a regular expression must be a string")
    if len(pattern) > MAX_PATTERN:
        raise RegexSyntaxError(f"longer than {MAX_PATTERN} characters")
    tree = _Parser(pattern).parse()
    if ignore_case:
        tree = _fold_tree(tree)
    regex = Regex(pattern, tree, ignore_case, multiline, dotall)
    try:
        regex.python()  # a last guard: what we emit must compile
    except (re.error, RecursionError, OverflowError) as exc:  # pragma: no cover - defensive
        raise RegexSyntaxError(f"cannot be compiled ({exc})") from None
    return regex


# --- emitting -----------------------------------------------------------------------------------


def _emit_char(code: int, *, in_class: bool) -> str:
    ch = chr(code)
    if in_class:
        if ch in "\\]^-[":
            return "\\" + ch
    elif ch in _META:
        return "\\" + ch
    if ch == "\n":
        return "\\n"
    if ch == "\t":
        return "\\t"
    if ch == "\r":
        return "\\r"
    if ch == "\f":
        return "\\f"
    if ch == "\v":
        return "\\v"
    return ch


def re2_literal(text: str) -> str:
    """``text`` as a pattern matching exactly it, in RE2 (and Python) syntax."""
    return "".join(_emit_char(ord(c), in_class=False) for c in text)


def _emit_class(node: CharClass) -> str:
    if not node.ranges:
        # An empty set: never matches ([^\x00-\U0010FFFF] is spelled differently per engine).
        return "[^\\s\\S]" if not node.negated else "[\\s\\S]"
    parts = []
    for lo, hi in node.ranges:
        if lo == hi:
            parts.append(_emit_char(lo, in_class=True))
        elif hi == lo + 1:
            parts.append(_emit_char(lo, in_class=True) + _emit_char(hi, in_class=True))
        else:
            parts.append(f"{_emit_char(lo, in_class=True)}-{_emit_char(hi, in_class=True)}")
    return ("[^" if node.negated else "[") + "".join(parts) + "]"


def _emit(node: Node, dialect: Dialect, regex: Regex) -> str:
    if isinstance(node, Lit):
        return _emit_char(ord(node.char), in_class=False)
    if isinstance(node, Dot):
        if regex.dotall:
            return "."
        return "[^\\n]"
    if isinstance(node, CharClass):
        return _emit_class(node)
    if isinstance(node, Anchor):
        if node.which == "^":
            return "^"
        if node.which == "$":
            return "\\Z" if dialect == "python" and not regex.multiline else "$"
        if dialect == "postgres":
            return "\\y" if node.which == "b" else "\\Y"
        return "\\b" if node.which == "b" else "\\B"
    if isinstance(node, Repeat):
        inner = _emit(node.node, dialect, regex)
        if isinstance(node.node, Seq | Alt | Repeat):
            inner = f"(?:{inner})"
        if node.high is None:
            q = "*" if node.low == 0 else "+" if node.low == 1 else f"{{{node.low},}}"
        elif node.low == node.high:
            q = f"{{{node.low}}}"
        elif (node.low, node.high) == (0, 1):
            q = "?"
        else:
            q = f"{{{node.low},{node.high}}}"
        return inner + q
    if isinstance(node, Seq):
        return "".join(
            f"(?:{_emit(n, dialect, regex)})" if isinstance(n, Alt) else _emit(n, dialect, regex)
            for n in node.items
        )
    if isinstance(node, Alt):
        return "|".join(_emit(n, dialect, regex) for n in node.options)
    if isinstance(node, Group):
        return f"(?:{_emit(node.node, dialect, regex)})"
    raise AssertionError(node)  # pragma: no cover


# --- literals a match must contain ---------------------------------------------------------------

MAX_LITERALS = 64  # strings in one literal set
MAX_CLASS_LITERALS = 8  # a character class this small still counts as a literal choice
NON_ASCII = "\x00"  # in a literal set: any non-ASCII character (no pattern contains NUL)


def literal_cost(literals: frozenset[str]) -> float:
    """A rough chance that a text contains one of ``literals`` (lower: more selective)."""
    cost = 0.0
    for s in literals:
        n = len(s)
        cost += (
            0.5
            if s == NON_ASCII
            else 1.0
            if n <= 1
            else 0.5
            if n == 2
            else 0.2
            if n == 3
            else 0.1
            if n <= 5
            else 0.03
        )
    return cost


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The more selective of two necessary literal sets (``None``: no set)."""
    if b is None or "" in b or len(b) > MAX_LITERALS:
        return a
    if a is None or literal_cost(b) < literal_cost(a):
        return b
    return a


def _literals(node: Node) -> tuple[frozenset[str] | None, frozenset[str] | None]:
    """(exact, required) for ``node``: every text it matches, when that is a small finite set;
    and a set of strings one of which every text it matches contains."""
    if isinstance(node, Lit):
        s = frozenset({node.char})
        return s, s
    if isinstance(node, CharClass):
        size = sum(hi - lo + 1 for lo, hi in node.ranges)
        non_ascii = not node.negated and bool(node.ranges) and node.ranges[0][0] >= 0x80
        if non_ascii and size > MAX_CLASS_LITERALS:
            return None, frozenset({NON_ASCII})
        if node.negated or size > MAX_CLASS_LITERALS:
            return None, None
        chars = frozenset(chr(c) for lo, hi in node.ranges for c in range(lo, hi + 1))
        return chars, chars
    if isinstance(node, Anchor):
        return frozenset({""}), None
    if isinstance(node, Group):
        return _literals(node.node)
    if isinstance(node, Repeat):
        inner_exact, inner_required = _literals(node.node)
        if node.low == 0:
            return (frozenset({""}) if node.high == 0 else None), None
        once = _better(inner_required, inner_exact)
        return (inner_exact if node.low == node.high == 1 else None), once
    if isinstance(node, Alt):
        parts = [_literals(o) for o in node.options]
        exacts = [e for e, _ in parts]
        any_exact: frozenset[str] | None = None
        if all(e is not None for e in exacts):
            union = frozenset().union(*exacts)  # type: ignore[arg-type]
            any_exact = union if len(union) <= MAX_LITERALS else None
        requireds = [_better(r, e) for e, r in parts]
        any_required: frozenset[str] | None = None
        if all(r is not None for r in requireds):
            union = frozenset().union(*requireds)  # type: ignore[arg-type]
            any_required = union if len(union) <= MAX_LITERALS else None
        return any_exact, _better(any_required, any_exact)
    if isinstance(node, Seq):
        run: frozenset[str] = frozenset({""})
        whole = True
        best: frozenset[str] | None = None
        for item in node.items:
            item_exact, item_required = _literals(item)
            best = _better(best, item_required)
            if item_exact is None:
                best = _better(best, run)
                run, whole = frozenset({""}), False
                continue
            product = frozenset(a + b for a in run for b in item_exact)
            if len(product) > MAX_LITERALS:
                best = _better(best, run)
                run, whole = item_exact, False
            else:
                run = product
        best = _better(best, run)
        return (run if whole else None), best
    return None, None  # Dot


def required_literals(regex: Regex) -> frozenset[str] | None:
    """Strings one of which occurs in every text ``regex`` matches, or ``None`` when there is
    no useful set. For an ``i`` regex they are case-folded (as the text it is matched against).
    ``NON_ASCII`` in the set stands for any non-ASCII character.
    """
    exact, required = _literals(regex.tree)
    best = _better(required, exact)
    if best is None or literal_cost(best) >= 1.0:
        return None
    return best
