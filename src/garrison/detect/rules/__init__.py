"""Detection as code: Sigma v2 rules over Garrison events, streaming and as SQL.

    from garrison.detect.rules import load_paths, RuleEngine, lint_paths, rule_query

    pack = load_paths(["rules/"])                      # RuleSet: rules + correlations
    engine = RuleEngine(pack)                          # compiled once
    for match in engine.evaluate(event, findings):     # RuleMatch, correlations included
        ...
    q = rule_query(rule, "duckdb", tenant=t, since=a, until=b)   # SqlQuery(sql, params)

Modules: ``loader`` (YAML with lines → ``model`` values), ``matching`` (what a detection item
means), ``evaluate`` (streaming), ``sql`` (DuckDB / PostgreSQL), ``correlation`` (windows per
group), ``lint``, ``samples``, ``document`` (the field model), ``regex`` (the common regex
subset). docs/rules.md is the user's guide. Importing this package must stay cheap: no database
driver is imported until SQL samples are run.
"""

from garrison.detect.rules.correlation import CorrelationEngine
from garrison.detect.rules.document import event_document, field_spec
from garrison.detect.rules.errors import RuleError
from garrison.detect.rules.evaluate import CompiledRule, RuleEngine, compile_rule, matches
from garrison.detect.rules.lint import LintIssue, lint_paths, lint_text
from garrison.detect.rules.loader import RuleSet, load_file, load_paths, load_text
from garrison.detect.rules.model import Correlation, Rule, RuleMatch
from garrison.detect.rules.samples import SampleFailure, run_samples
from garrison.detect.rules.sql import (
    SqlQuery,
    compile_sql,
    condition_sql,
    correlation_query,
    rule_query,
)

__all__ = [
    "CompiledRule",
    "Correlation",
    "CorrelationEngine",
    "LintIssue",
    "Rule",
    "RuleEngine",
    "RuleError",
    "RuleMatch",
    "RuleSet",
    "SampleFailure",
    "SqlQuery",
    "compile_rule",
    "compile_sql",
    "condition_sql",
    "correlation_query",
    "event_document",
    "field_spec",
    "lint_paths",
    "lint_text",
    "load_file",
    "load_paths",
    "load_text",
    "matches",
    "rule_query",
    "run_samples",
]
