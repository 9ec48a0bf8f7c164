"""Sigma detection conditions: parsing ``sel and not (1 of filter_*)`` into a small tree.

Grammar (Sigma v2, loosest binding first): ``or`` < ``and`` < ``not`` < ``x of`` < ``( )``.
``1 of P`` / ``all of P`` take a search-identifier name or a pattern with ``*``
wildcards, or ``them`` (every identifier not starting with ``_``). A list of conditions is ORed.
The tree is resolved against the rule's identifiers at load time, so an unknown name or a pattern
matching nothing is a RuleError, never a surprise at evaluation time.

This module must never evaluate anything; the streaming and SQL compilers walk the tree once.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from dataclasses import dataclass

from garrison.detect.rules.errors import RuleError

MAX_CONDITION = 4096
MAX_DEPTH = 64


@dataclass(frozen=True, slots=True)
class Ref:
    name: str


@dataclass(frozen=True, slots=True)
class Not:
    node: Cond


@dataclass(frozen=True, slots=True)
class And:
    nodes: tuple[Cond, ...]


@dataclass(frozen=True, slots=True)
class Or:
    nodes: tuple[Cond, ...]


@dataclass(frozen=True, slots=True)
class Of:
    """Any (``count`` 1) or all (``count`` None) of ``names`` match."""

    count: int | None
    names: tuple[str, ...]


Cond = Ref | Not | And | Or | Of

_TOKEN = re.compile(r"\s*(?:(\()|(\))|([A-Za-z0-9_*\-.]+))")


def _tokens(text: str, where: RuleError) -> list[str]:
    out: list[str] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise RuleError(
                f"condition: unexpected character {text[pos:].lstrip()[:1]!r}",
                file=where.file,
                line=where.line,
                field="condition",
            )
        out.append(m.group(1) or m.group(2) or m.group(3))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str, names: Sequence[str], where: RuleError) -> None:
        self.where = where
        self.tokens = _tokens(text, where)
        self.pos = 0
        self.names = list(names)
        self.depth = 0

    def fail(self, message: str) -> RuleError:
        return RuleError(
            f"condition: {message}", file=self.where.file, line=self.where.line, field="condition"
        )

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse(self) -> Cond:
        if not self.tokens:
            raise self.fail("empty")
        node = self.or_()
        if self.pos != len(self.tokens):
            raise self.fail(f"unexpected {self.tokens[self.pos]!r}")
        return node

    def or_(self) -> Cond:
        nodes = [self.and_()]
        while self.peek() == "or":
            self.pos += 1
            nodes.append(self.and_())
        return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))

    def and_(self) -> Cond:
        nodes = [self.not_()]
        while self.peek() == "and":
            self.pos += 1
            nodes.append(self.not_())
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))

    def not_(self) -> Cond:
        if self.peek() == "not":
            self.pos += 1
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.fail("nested too deeply")
            node = Not(self.not_())
            self.depth -= 1
            return node
        return self.atom()

    def atom(self) -> Cond:
        tok = self.peek()
        if tok is None:
            raise self.fail("ends too early")
        if tok == "(":
            self.pos += 1
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.fail("nested too deeply")
            node = self.or_()
            if self.peek() != ")":
                raise self.fail("missing ')'")
            self.pos += 1
            self.depth -= 1
            return node
        if tok == ")":
            raise self.fail("unexpected ')'")
        if tok in ("and", "or", "of", "them"):
            raise self.fail(f"unexpected {tok!r}")
        nxt = self.tokens[self.pos + 1] if self.pos + 1 < len(self.tokens) else None
        if nxt == "of":
            self.pos += 2
            if tok == "all":
                count: int | None = None
            elif tok == "1":
                count = 1
            else:
                # Sigma's grammar (and pySigma) know only these two quantifiers.
                raise self.fail(f"expected '1 of' or 'all of', got {tok!r} of")
            target = self.peek()
            if target is None or target in ("(", ")", "and", "or", "not"):
                raise self.fail("'of' needs a search identifier, a pattern or 'them'")
            self.pos += 1
            if target == "them":
                names = tuple(n for n in self.names if not n.startswith("_"))
            else:
                names = tuple(n for n in self.names if fnmatch.fnmatchcase(n, target))
            if not names:
                raise self.fail(f"{target!r} matches no search identifier")
            return Of(count, names)
        if "*" in tok:
            raise self.fail(f"a pattern ({tok!r}) needs '1 of' or 'all of'")
        if tok not in self.names:
            raise self.fail(f"unknown search identifier {tok!r}")
        self.pos += 1
        return Ref(tok)


def parse_condition(
    conditions: Sequence[str], names: Sequence[str], *, file: str | None, line: int | None
) -> Cond:
    """The conditions (ORed when several) as one tree; RuleError naming file and line."""
    where = RuleError("", file=file, line=line)
    nodes = []
    for text in conditions:
        if len(text) > MAX_CONDITION:
            raise RuleError(
                f"condition longer than {MAX_CONDITION} characters",
                file=file,
                line=line,
                field="condition",
            )
        nodes.append(_Parser(text, names, where).parse())
    if not nodes:
        raise RuleError("detection has no condition", file=file, line=line, field="condition")
    return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))


def referenced(node: Cond) -> set[str]:
    """Every search identifier the condition uses."""
    if isinstance(node, Ref):
        return {node.name}
    if isinstance(node, Of):
        return set(node.names)
    if isinstance(node, Not):
        return referenced(node.node)
    out: set[str] = set()
    for n in node.nodes:
        out |= referenced(n)
    return out
