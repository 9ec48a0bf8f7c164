"""Linting rule files: every problem found, each with its file and line (``garrison rules lint``).

``lint_paths`` reads files and directories of Sigma YAML and reports, without stopping at the
first: YAML errors; missing ``id``/``title``/``level``/``logsource``/``detection``/``condition``;
malformed conditions; unknown or unsupported modifiers; unknown field names (any
``attributes.<key>`` is allowed); regexes outside the common subset; logsources Garrison never
produces; ATLAS and OWASP tags that do not exist in the catalogues (``intel.catalog``); rules
without both match and no-match samples, and samples that are not valid events; duplicate ids;
correlations referencing unknown rules or grouping by fields that cannot group. With
``samples=True`` it also runs every sample (streaming and DuckDB) and reports failures.

Severity ``error`` means the rule cannot be loaded, compiled or trusted; ``warning`` means it
works but breaks a convention. This module must never modify a rule file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from garrison.detect.rules.condition import referenced
from garrison.detect.rules.errors import RuleError
from garrison.detect.rules.loader import (
    Document,
    RuleLike,
    parse_yaml,
    read_rule_file,
    rule_files,
    rule_from_document,
)
from garrison.detect.rules.matching import interpret
from garrison.detect.rules.model import LEVELS, STATUSES, Correlation, Rule
from garrison.intel.catalog import check_tag

Severity = Literal["error", "warning"]
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


@dataclass(frozen=True, slots=True, order=True)
class LintIssue:
    file: str
    line: int | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.severity}: {self.message}"


class _Report:
    def __init__(self) -> None:
        self.issues: list[LintIssue] = []

    def add(self, file: str, line: int | None, message: str, severity: Severity = "error") -> None:
        self.issues.append(LintIssue(file, line, message, severity))

    def error(self, exc: RuleError, file: str) -> None:
        self.add(exc.file or file, exc.line, exc.reason)


def _line(doc: Document, *path: Any) -> int:
    while path:
        hit = doc.lines.get(tuple(path))
        if hit is not None:
            return hit
        path = path[:-1]
    return doc.line


def _check_required(doc: Document, file: str, report: _Report) -> bool:
    """Report each missing required key; whether the document can be loaded at all."""
    data = doc.data
    if not isinstance(data, Mapping):
        report.add(file, doc.line, "a rule document must be a mapping")
        return False
    correlation = "correlation" in data
    required = (
        ("title", "id", "level")
        if correlation
        else ("title", "id", "level", "logsource", "detection")
    )
    loadable = True
    for key in required:
        if data.get(key) is None:
            report.add(file, doc.line, f"missing '{key}'")
            if key not in ("id", "level"):
                loadable = False
    detection = data.get("detection")
    if not correlation and isinstance(detection, Mapping) and detection.get("condition") is None:
        report.add(file, _line(doc, "detection"), "detection has no 'condition'")
        loadable = False
    return loadable


def _check_common(item: RuleLike, doc: Document, file: str, report: _Report) -> None:
    if item.id is not None and not _UUID.fullmatch(item.id):
        report.add(file, _line(doc, "id"), f"id {item.id!r} is not a UUID", "warning")
    if item.level is not None and item.level not in LEVELS:
        report.add(file, _line(doc, "level"), f"level must be one of {', '.join(LEVELS)}")
    if item.status is not None and item.status not in STATUSES:
        report.add(
            file, _line(doc, "status"), f"status should be one of {', '.join(STATUSES)}", "warning"
        )
    for i, tag in enumerate(item.tags):
        problem = check_tag(tag)
        if problem is not None:
            severity: Severity = "error" if problem.severity == "error" else "warning"
            report.add(file, _line(doc, "tags", i), problem.message, severity)
    expects = {s.expect for s in item.samples}
    if expects != {"match", "no_match"}:
        missing = " and ".join(
            e.replace("_", "-") for e in ("match", "no_match") if e not in expects
        )
        report.add(file, _line(doc, "samples"), f"no {missing} samples", "warning")
    from garrison.detect.rules.samples import build_sample

    for sample in item.samples:
        try:
            build_sample(sample, file=file)
        except RuleError as exc:
            report.error(exc, file)


def _check_rule(rule: Rule, doc: Document, file: str, report: _Report) -> None:
    from garrison.detect.rules.evaluate import check_logsource
    from garrison.detect.rules.sql import DIALECTS, condition_sql

    try:
        check_logsource(rule)
    except RuleError as exc:
        report.error(exc, file)
    items_ok = True
    for search in rule.detection.searches:
        for alternative in search.alternatives:
            for item in alternative:
                try:
                    interpret(item, file=file)
                except RuleError as exc:
                    report.error(exc, file)
                    items_ok = False
    used = referenced(rule.detection.condition)
    for search in rule.detection.searches:
        if search.name not in used:
            report.add(
                file, search.line, f"search {search.name!r} is not used by the condition", "warning"
            )
    if items_ok:
        for dialect in DIALECTS:
            try:
                condition_sql(rule, dialect)
            except RuleError as exc:  # pragma: no cover - interpret already checks
                report.error(exc, file)
                break


def _check_correlation(c: Correlation, doc: Document, file: str, report: _Report) -> None:
    from garrison.detect.rules.document import field_spec

    names = [("group-by", g) for g in c.group_by]
    if c.value_field is not None:
        names.append(("condition", c.value_field))
    for what, name in names:
        spec = field_spec(name)
        line = _line(doc, "correlation", what)
        if spec is None:
            report.add(file, line, f"correlation {what}: unknown field {name!r}")
        elif spec.source.value not in ("column", "attribute"):
            report.add(
                file, line, f"correlation {what}: {name!r} is not an event field (cannot group)"
            )


def lint_text(text: str, file: str = "<text>") -> tuple[list[LintIssue], list[RuleLike]]:
    """Lint one file's text: the issues, and the rules that loaded."""
    report = _Report()
    loaded: list[RuleLike] = []
    try:
        docs = parse_yaml(text, file=file)
    except RuleError as exc:
        report.error(exc, file)
        return report.issues, loaded
    if not docs:
        report.add(file, None, "no rule in file", "warning")
    for doc in docs:
        if not _check_required(doc, file, report):
            continue
        try:
            item = rule_from_document(doc, file=file)
        except RuleError as exc:
            report.error(exc, file)
            continue
        loaded.append(item)
        _check_common(item, doc, file, report)
        if isinstance(item, Rule):
            _check_rule(item, doc, file, report)
        else:
            _check_correlation(item, doc, file, report)
    return report.issues, loaded


def lint_paths(paths: Iterable[str | Path], *, samples: bool = False) -> list[LintIssue]:
    """Every issue in the rule files under ``paths`` (files or directories), sorted by place."""
    report = _Report()
    loaded: list[RuleLike] = []
    for path in rule_files(paths):
        file = str(path)
        try:
            text = read_rule_file(path)
        except RuleError as exc:
            report.error(exc, file)
            continue
        issues, items = lint_text(text, file)
        report.issues.extend(issues)
        loaded.extend(items)

    seen: dict[str, RuleLike] = {}
    by_ref: dict[str, Rule] = {}
    for item in loaded:
        for ref in dict.fromkeys(r for r in (item.id, item.name) if r is not None):
            other = seen.get(ref)
            if other is not None and other is not item:
                report.add(
                    item.file or "",
                    item.line,
                    f"duplicate rule id or name {ref!r} (also in {other.file}:{other.line})",
                )
            seen.setdefault(ref, item)
            if isinstance(item, Rule):
                by_ref.setdefault(ref, item)
    for item in loaded:
        if isinstance(item, Correlation):
            for i, ref in enumerate(item.rules):
                if ref not in by_ref:
                    line = item.lines.get(("correlation", "rules", i)) or item.lines.get(
                        ("correlation", "rules"), item.line
                    )
                    report.add(
                        item.file or "", line, f"correlation references unknown rule {ref!r}"
                    )
    if samples:
        from garrison.detect.rules.samples import run_samples

        for item in loaded:
            for failure in run_samples(item, rules=by_ref):
                if failure.engine != "load":  # invalid samples are reported above already
                    report.add(
                        failure.file or "", failure.line, f"{failure.message} ({failure.engine})"
                    )
    return sorted(report.issues, key=lambda i: (i.file, i.line or 0, i.message))
