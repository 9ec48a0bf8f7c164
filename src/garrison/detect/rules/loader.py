"""Loading Sigma rule files: YAML with the line of every key, into Rule / Correlation values.

A file may hold several YAML documents (``---``); each is a detection rule or, when it has a
``correlation`` key, a correlation rule. The YAML is composed into nodes (PyYAML's safe loader)
and converted here, so that every key keeps its line for error messages and lint, duplicate keys
are an error instead of a silent overwrite, and hostile input stays bounded: files over
``MAX_FILE_BYTES``, more than ``MAX_NODES`` values (alias expansion included) or nesting deeper
than ``MAX_DEPTH`` are refused.

``load_paths`` loads files and directories (``*.yml`` / ``*.yaml``, recursively, sorted) into a
``RuleSet`` and checks what spans files: duplicate ids and correlations that reference unknown
rules. Every problem raises RuleError (file, line); no other exception escapes for any input.
This module must never evaluate rules and never import a database driver.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from garrison.detect.rules.errors import RuleError
from garrison.detect.rules.model import Correlation, Rule

MAX_FILE_BYTES = 1 << 20
MAX_NODES = 100_000
MAX_DEPTH = 64
RULE_SUFFIXES = (".yml", ".yaml")

RuleLike = Rule | Correlation


@dataclass(frozen=True, slots=True)
class Document:
    """One YAML document: its plain data and the line (1-based) of every key path."""

    data: Any
    lines: Mapping[tuple[Any, ...], int]
    line: int


class _Converter:
    def __init__(self, file: str | None) -> None:
        self.file = file
        self.count = 0
        self.constructor = yaml.SafeLoader("")
        self.lines: dict[tuple[Any, ...], int] = {}

    def fail(self, message: str, node: Node) -> RuleError:
        return RuleError(message, file=self.file, line=node.start_mark.line + 1)

    def convert(self, node: Node, path: tuple[Any, ...], depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(f"more than {MAX_NODES} YAML values (alias bomb?)", node)
        if depth > MAX_DEPTH:
            raise self.fail(f"nested deeper than {MAX_DEPTH} levels", node)
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if isinstance(node, SequenceNode):
            out = []
            for i, item in enumerate(node.value):
                self.lines[(*path, i)] = item.start_mark.line + 1
                out.append(self.convert(item, (*path, i), depth + 1))
            return out
        if isinstance(node, MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.fail("YAML merge keys (<<) are not supported", key_node)
                key = self.convert(key_node, path, depth + 1)
                if isinstance(key, list | dict):
                    raise self.fail("a mapping key must be a plain value", key_node)
                if key in result:
                    raise self.fail(f"duplicate key {key!r}", key_node)
                self.lines[(*path, key)] = key_node.start_mark.line + 1
                result[key] = self.convert(value_node, (*path, key), depth + 1)
            return result
        raise self.fail("unsupported YAML node", node)  # pragma: no cover

    def scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag in (
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float",
            "tag:yaml.org,2002:bool",
            "tag:yaml.org,2002:null",
        ):
            try:
                return self.constructor.construct_object(node, deep=True)
            except (ValueError, OverflowError, yaml.YAMLError):
                return node.value
        if tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp") or tag == "!":
            return node.value  # dates stay text, as written
        raise self.fail(f"unsupported YAML tag {tag}", node)


def parse_yaml(text: str, *, file: str | None = None) -> list[Document]:
    """The YAML documents of ``text`` with their key lines; RuleError for bad YAML."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise RuleError(f"larger than {MAX_FILE_BYTES} bytes", file=file)
    docs: list[Document] = []
    try:
        for node in yaml.compose_all(text, Loader=yaml.SafeLoader):
            if node is None:
                continue
            converter = _Converter(file)
            data = converter.convert(node, (), 0)
            docs.append(Document(data, converter.lines, node.start_mark.line + 1))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise RuleError(f"YAML: {problem}", file=file, line=line) from None
    except yaml.YAMLError as exc:
        raise RuleError(f"YAML: {exc}", file=file) from None
    except RecursionError:
        raise RuleError("YAML nested too deeply", file=file) from None
    return docs


def rule_from_document(doc: Document, *, file: str | None = None) -> RuleLike:
    """A Rule, or a Correlation when the document has a ``correlation`` key."""
    if not isinstance(doc.data, dict):
        raise RuleError("a rule document must be a mapping", file=file, line=doc.line)
    if "correlation" in doc.data:
        return Correlation.from_dict(doc.data, file=file, lines=doc.lines, line=doc.line)
    if "filter" in doc.data and "detection" not in doc.data:
        raise RuleError("Sigma filter documents are not supported", file=file, line=doc.line)
    return Rule.from_dict(doc.data, file=file, lines=doc.lines, line=doc.line)


def load_text(text: str, *, file: str | None = None) -> list[RuleLike]:
    """Every rule in ``text`` (one or more YAML documents)."""
    return [rule_from_document(d, file=file) for d in parse_yaml(text, file=file)]


def read_rule_file(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise RuleError(f"larger than {MAX_FILE_BYTES} bytes", file=str(path))
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RuleError("not UTF-8 text", file=str(path)) from None
    except OSError as exc:
        raise RuleError(f"cannot read ({exc.strerror or exc})", file=str(path)) from None


def load_file(path: str | Path) -> list[RuleLike]:
    p = Path(path)
    return load_text(read_rule_file(p), file=str(p))


def rule_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The rule files under ``paths``: files as given, directories searched recursively."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.suffix in RULE_SUFFIXES and f.is_file())
        else:
            yield p


@dataclass(frozen=True)
class RuleSet:
    """Detection rules and correlations loaded together, each findable by id or name."""

    rules: tuple[Rule, ...] = ()
    correlations: tuple[Correlation, ...] = ()
    _by_ref: Mapping[str, Rule] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, items: Sequence[RuleLike]) -> RuleSet:
        """A set of ``items``; RuleError for duplicate ids/names or unknown references."""
        rules = tuple(r for r in items if isinstance(r, Rule))
        correlations = tuple(c for c in items if isinstance(c, Correlation))
        by_ref: dict[str, Rule] = {}
        seen: dict[str, RuleLike] = {}
        everything: tuple[RuleLike, ...] = (*rules, *correlations)
        for item in everything:
            for ref in (item.id, item.name):
                if ref is None or (ref == item.id and ref == item.name and ref in seen):
                    continue
                if ref in seen and seen[ref] is not item:
                    other = seen[ref]
                    raise RuleError(
                        f"duplicate rule id or name {ref!r} (also in {other.file}:{other.line})",
                        file=item.file,
                        line=item.line,
                    )
                seen[ref] = item
                if isinstance(item, Rule):
                    by_ref[ref] = item
        for c in correlations:
            for ref in c.rules:
                if ref not in by_ref:
                    raise RuleError(
                        f"correlation references unknown rule {ref!r}",
                        file=c.file,
                        line=c.lines.get(("correlation", "rules"), c.line),
                        field="correlation.rules",
                    )
        return cls(rules, correlations, by_ref)

    def rule(self, ref: str) -> Rule:
        """The rule with id or name ``ref`` (KeyError if none)."""
        return self._by_ref[ref]

    def __iter__(self) -> Iterator[RuleLike]:
        yield from self.rules
        yield from self.correlations

    def __len__(self) -> int:
        return len(self.rules) + len(self.correlations)


def load_paths(paths: Iterable[str | Path]) -> RuleSet:
    """Load every rule under ``paths`` (files or directories) into one RuleSet."""
    items: list[RuleLike] = []
    for path in rule_files(paths):
        items.extend(load_file(path))
    return RuleSet.of(items)
