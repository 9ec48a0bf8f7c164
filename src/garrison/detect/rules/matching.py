"""What one detection item means: its modifiers and values turned into tests on a field.

Both compilers — the streaming one (``evaluate``) and the SQL one (``sql``) — start from the
``Check`` built here, so a modifier cannot mean one thing per event and another in SQL. Sigma's
rules, as Garrison applies them:

- A value without wildcards is an equality test; ``*`` (any run of characters) and ``?`` (one
  character) make it a pattern; ``\\*``, ``\\?`` and ``\\\\`` are the literal characters.
  ``contains`` / ``startswith`` / ``endswith`` add the wildcards. String tests are
  case-insensitive (both sides case-folded, ``regex.fold``) unless ``cased`` is given.
- Several values: any of them matches; with ``all``, every one must.
- ``re`` takes a regex from the common subset (``regex``), with ``i``, ``m``, ``s``.
- ``gt``/``gte``/``lt``/``lte`` compare numbers; a number value without them is equality on a
  number field, and its text (``5``, ``0.5``) on a text field. ``true``/``false`` are the texts
  ``true``/``false``.
- ``null`` matches an absent field, ``exists: true|false`` whether it is present.
- ``cidr`` (IPv4 only) becomes the equivalent set of prefix and equality tests on the text.
- Keywords (no field) are searched for, as ``contains``, in ``content`` and ``tool.arguments``.

Not supported (RuleError): ``windash``, the encodings (``base64``, ``base64offset``, ``utf16*``,
``wide``), ``expand``, ``fieldref``, ``neq`` and the time modifiers — they have no meaning for AI
events or no equal meaning in SQL. This module must never evaluate events.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Literal

from garrison.detect.rules.document import KEYWORD_FIELDS, FieldSpec, FieldType, field_spec
from garrison.detect.rules.errors import RuleError
from garrison.detect.rules.model import DetectionItem, Scalar
from garrison.detect.rules.regex import Regex, RegexSyntaxError, fold, parse

STRING_MODIFIERS = frozenset({"contains", "startswith", "endswith"})
NUMERIC_MODIFIERS = frozenset({"gt", "gte", "lt", "lte"})
REGEX_FLAGS = frozenset({"i", "m", "s"})
SUPPORTED_MODIFIERS = frozenset(
    {*STRING_MODIFIERS, *NUMERIC_MODIFIERS, *REGEX_FLAGS, "all", "re", "cidr", "exists", "cased"}
)
UNSUPPORTED_MODIFIERS = {
    "windash": "Windows command-line dashes have no meaning for AI events",
    "base64": "encoded-value modifiers are not supported",
    "base64offset": "encoded-value modifiers are not supported",
    "utf16le": "encoded-value modifiers are not supported",
    "utf16be": "encoded-value modifiers are not supported",
    "utf16": "encoded-value modifiers are not supported",
    "wide": "encoded-value modifiers are not supported",
    "expand": "placeholders are not supported",
    "fieldref": "field references are not supported",
    "neq": "use 'not' in the condition instead of neq",
    "minute": "time-part modifiers are not supported",
    "hour": "time-part modifiers are not supported",
    "day": "time-part modifiers are not supported",
    "week": "time-part modifiers are not supported",
    "month": "time-part modifiers are not supported",
    "year": "time-part modifiers are not supported",
}
MAX_VALUES = 10_000
MAX_VALUE_LENGTH = 65_536
MAX_CIDR_TESTS = 4096


@dataclass(frozen=True, slots=True)
class StrTest:
    """A string test on the (case-folded unless ``cased``) text.

    ``kind``: ``eq``, ``prefix``, ``suffix``, ``contains``, ``any`` (any present text) or
    ``glob`` (``parts``: literal runs and the wildcards ``*`` / ``?``).
    """

    kind: Literal["eq", "prefix", "suffix", "contains", "any", "glob"]
    text: str
    cased: bool
    parts: tuple[str, ...] = ()  # for glob: literal runs, "*" and "?" as tokens "\x00*"/"\x00?"


WILD_MULTI = "\x00*"
WILD_ONE = "\x00?"


@dataclass(frozen=True, slots=True)
class RegexTest:
    regex: Regex  # with ``ignore_case``, matched against the case-folded text


@dataclass(frozen=True, slots=True)
class NumTest:
    op: Literal["eq", "gt", "gte", "lt", "lte"]
    value: float


@dataclass(frozen=True, slots=True)
class NullTest:
    """Matches when the field is absent (``exists: false`` is the same test)."""


@dataclass(frozen=True, slots=True)
class ExistsTest:
    """Matches when the field is present."""


ValueTest = StrTest | RegexTest | NumTest | NullTest | ExistsTest


@dataclass(frozen=True, slots=True)
class Check:
    """One detection item: ``tests`` on ``fields`` (any field; keywords have two)."""

    fields: tuple[FieldSpec, ...]
    tests: tuple[ValueTest, ...]
    all: bool  # every test must match (each on any element), instead of any test
    line: int | None = None


def glob_parts(value: str) -> tuple[str, ...]:
    """Split a Sigma value into literal runs and wildcard tokens (WILD_MULTI / WILD_ONE)."""
    parts: list[str] = []
    buf: list[str] = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value) and value[i + 1] in "*?\\":
            buf.append(value[i + 1])
            i += 2
            continue
        if ch in "*?":
            if buf:
                parts.append("".join(buf))
                buf = []
            token = WILD_MULTI if ch == "*" else WILD_ONE
            if not (token == WILD_MULTI and parts and parts[-1] == WILD_MULTI):
                parts.append(token)
        else:
            buf.append(ch)
        i += 1
    if buf:
        parts.append("".join(buf))
    return tuple(parts)


def string_test(value: str, modifier: str | None, *, cased: bool) -> StrTest:
    """The test for one string value under contains/startswith/endswith (or none)."""
    parts = list(glob_parts(value))
    if modifier in ("contains", "endswith") and parts[:1] != [WILD_MULTI]:
        parts.insert(0, WILD_MULTI)
    if modifier in ("contains", "startswith") and parts[-1:] != [WILD_MULTI]:
        parts.append(WILD_MULTI)
    if not cased:
        parts = [p if p in (WILD_MULTI, WILD_ONE) else fold(p) for p in parts]
    literal = [p for p in parts if p not in (WILD_MULTI, WILD_ONE)]
    wild = [p for p in parts if p in (WILD_MULTI, WILD_ONE)]
    if not wild:
        return StrTest("eq", "".join(parts), cased)
    if WILD_ONE not in wild:
        if parts == [WILD_MULTI]:
            return StrTest("any", "", cased)
        if len(parts) == 2 and parts[1] == WILD_MULTI:
            return StrTest("prefix", parts[0], cased)
        if len(parts) == 2 and parts[0] == WILD_MULTI:
            return StrTest("suffix", parts[1], cased)
        if len(parts) == 3 and parts[0] == parts[2] == WILD_MULTI:
            return StrTest("contains", parts[1], cased)
    return StrTest("glob", "".join(literal), cased, tuple(parts))


def cidr_tests(value: str) -> list[StrTest]:
    """An IPv4 network as prefix/equality tests on dotted-quad text (what pySigma does too)."""
    try:
        net = ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise ValueError(f"{value!r} is not a network") from None
    if not isinstance(net, ipaddress.IPv4Network):
        raise ValueError("cidr supports IPv4 networks only")
    prefix = net.prefixlen
    octets = str(net.network_address).split(".")
    full, rest = divmod(prefix, 8)
    base = octets[:full]
    if rest == 0:
        if full == 4:
            return [StrTest("eq", ".".join(base), True)]
        if full == 0:
            return [StrTest("any", "", True)]
        return [StrTest("prefix", ".".join(base) + ".", True)]
    start = int(octets[full])
    count = 1 << (8 - rest)
    if count > MAX_CIDR_TESTS:  # pragma: no cover - at most 128 per octet
        raise ValueError("network too large")
    out = []
    for n in range(start, start + count):
        head = ".".join([*base, str(n)])
        out.append(StrTest("eq", head, True) if full == 3 else StrTest("prefix", head + ".", True))
    return out


_TEXTUAL = (FieldType.TEXT, FieldType.JSON, FieldType.TEXT_LIST)
_NUMERIC = (FieldType.NUMBER, FieldType.SCORE, FieldType.JSON)


def _number_text(value: int | float) -> str:
    return str(value) if isinstance(value, int) else repr(value)


def interpret(item: DetectionItem, *, file: str | None = None) -> Check:
    """The Check for ``item``; RuleError (file, line, field) when it cannot be evaluated."""

    def fail(message: str) -> RuleError:
        return RuleError(message, file=file, line=item.line, field=item.key or "keywords")

    mods = item.modifiers
    for m in mods:
        if m in UNSUPPORTED_MODIFIERS:
            raise fail(f"modifier {m!r} is not supported: {UNSUPPORTED_MODIFIERS[m]}")
        if m not in SUPPORTED_MODIFIERS:
            raise fail(f"unknown modifier {m!r}")
    if len(set(mods)) != len(mods):
        raise fail("a modifier is repeated")
    mset = set(mods)
    if len(item.values) > MAX_VALUES:
        raise fail(f"more than {MAX_VALUES} values")

    if item.field is None:
        specs = tuple(field_spec(f) for f in KEYWORD_FIELDS)
        allowed = {"all", "cased", "re", *REGEX_FLAGS}
        if mset - allowed:
            raise fail(f"keywords take only {', '.join(sorted(allowed))}")
    else:
        spec = field_spec(item.field)
        if spec is None:
            raise fail(
                f"unknown field {item.field!r} (see docs/rules.md; any attributes.<key> is allowed)"
            )
        specs = (spec,)
    fields = tuple(s for s in specs if s is not None)
    types = {s.type for s in fields}

    string_mods = mset & STRING_MODIFIERS
    numeric_mods = mset & NUMERIC_MODIFIERS
    if len(string_mods) > 1:
        raise fail("use only one of contains, startswith, endswith")
    if len(numeric_mods) > 1:
        raise fail("use only one of gt, gte, lt, lte")
    kinds = sum(
        1
        for group in (string_mods, numeric_mods, mset & {"re"}, mset & {"cidr"}, mset & {"exists"})
        if group
    )
    if kinds > 1:
        raise fail("string, numeric, re, cidr and exists modifiers cannot be combined")
    if mset & REGEX_FLAGS and "re" not in mset:
        raise fail("the i, m and s modifiers apply to re only")
    if "exists" in mset and mset - {"exists"}:
        raise fail("exists takes no other modifier")
    if "cidr" in mset and "all" in mset:
        raise fail("cidr cannot be combined with all")

    tests: list[ValueTest] = []
    cased = "cased" in mset
    for value in item.values:
        if isinstance(value, str) and len(value) > MAX_VALUE_LENGTH:
            raise fail(f"a value longer than {MAX_VALUE_LENGTH} characters")
        if isinstance(value, str) and "\x00" in value:
            raise fail("a value cannot contain NUL characters")
        if isinstance(value, float) and value != value:
            raise fail("NaN is not a value")
        if "exists" in mset:
            if not isinstance(value, bool) or len(item.values) != 1:
                raise fail("exists takes a single true or false")
            tests.append(ExistsTest() if value else NullTest())
            continue
        if value is None:
            if mods and mset != {"all"}:
                raise fail("null takes no modifiers")
            if item.field is None:
                raise fail("a keyword cannot be null")
            tests.append(NullTest())
            continue
        if numeric_mods:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise fail(f"{next(iter(numeric_mods))} needs a number")
            if not types <= set(_NUMERIC):
                raise fail("numeric comparison on a field that holds no numbers")
            op = next(iter(numeric_mods))
            tests.append(NumTest(op, float(value)))  # type: ignore[arg-type]
            continue
        if "re" in mset:
            if not isinstance(value, str):
                raise fail("re needs a string")
            if not types <= set(_TEXTUAL):
                raise fail("re applies to text fields only")
            try:
                regex = parse(
                    value,
                    ignore_case="i" in mset,
                    multiline="m" in mset,
                    dotall="s" in mset,
                )
            except RegexSyntaxError as exc:
                raise fail(f"regex outside the supported subset: {exc}") from None
            tests.append(RegexTest(regex))
            continue
        if "cidr" in mset:
            if not isinstance(value, str):
                raise fail("cidr needs a network like 10.0.0.0/8")
            if not types <= set(_TEXTUAL):
                raise fail("cidr applies to text fields only")
            try:
                tests.extend(cidr_tests(value))
            except ValueError as exc:
                raise fail(f"cidr: {exc}") from None
            continue
        if string_mods and not isinstance(value, str):
            # As in pySigma: contains/startswith/endswith take strings; quote a number.
            raise fail(f"{next(iter(string_mods))} needs a string (quote numbers)")
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, int | float):
            if types <= {FieldType.NUMBER, FieldType.SCORE}:
                tests.append(NumTest("eq", float(value)))
                continue
            text = _number_text(value)
        else:
            text = value
        if not types <= set(_TEXTUAL):
            raise fail("a string test on a field that holds numbers (use a number or gt/lt)")
        modifier = (
            next(iter(string_mods)) if string_mods else ("contains" if item.field is None else None)
        )
        tests.append(string_test(text, modifier, cased=cased))
    return Check(fields, tuple(tests), "all" in mset and len(tests) > 1, item.line)


def scalar_text(value: Scalar) -> str | None:
    """The text a JSON scalar matches as (the text SQL's JSON extraction yields)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number_text(value)
    return value
