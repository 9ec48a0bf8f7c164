"""Lint: every problem reported once, with its file and line; clean rules report nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from garrison.detect.rules.lint import LintIssue, lint_paths, lint_text

GOOD = """\
title: Secret in a completion
id: 3f9c1b2a-7d4e-4f6a-9b8c-1d2e3f4a5b6c
status: test
level: high
tags:
  - atlas.AML.T0057
  - owasp-llm-2026.LLM02
  - owasp-agentic-2026.ASI03
  - attack.t1552
logsource: {product: garrison, category: completion}
detection:
  secret:
    detectors.secrets.score|gte: 0.8
  key:
    content|re: 'AKIA[0-9A-Z]{16}'
  condition: secret or key
samples:
  match:
    - kind: completion
      content: here is AKIAABCDEFGHIJKLMNOP
    - kind: completion
      content: nothing
      findings: [{detector: secrets, label: secret.aws, score: 0.9}]
  no_match:
    - {kind: completion, content: nothing here}
    - {kind: prompt, content: AKIAABCDEFGHIJKLMNOP}
"""


def _messages(text: str) -> list[tuple[int | None, str, str]]:
    issues, _ = lint_text(text, "r.yml")
    return [(i.line, i.severity, i.message) for i in issues]


def test_a_good_rule_is_clean() -> None:
    assert _messages(GOOD) == []


def _with(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


CASES = [
    (_with("id: 3f9c1b2a-7d4e-4f6a-9b8c-1d2e3f4a5b6c\n", ""), 1, "missing 'id'"),
    (_with("level: high\n", ""), 1, "missing 'level'"),
    (_with("title: Secret in a completion\n", ""), 1, "missing 'title'"),
    (_with("  condition: secret or key\n", ""), 11, "no 'condition'"),
    (_with("logsource: {product: garrison, category: completion}\n", ""), 1, "missing 'logsource'"),
    (_with("level: high", "level: severe"), 4, "level must be one of"),
    (_with("id: 3f9c1b2a-7d4e-4f6a-9b8c-1d2e3f4a5b6c", "id: my-rule"), 2, "not a UUID"),
    (_with("category: completion", "category: chat"), 10, "logsource.category"),
    (_with("product: garrison", "product: windows"), 10, "logsource.product"),
    (
        _with("detectors.secrets.score|gte", "detectors.secrets.score|bigger"),
        13,
        "unknown modifier",
    ),
    (_with("content|re", "body|re"), 15, "unknown field 'body'"),
    (_with("'AKIA[0-9A-Z]{16}'", "'(?<=x)AKIA'"), 15, "regex outside the supported subset"),
    (_with("atlas.AML.T0057", "atlas.AML.T9999"), 6, "no such id in ATLAS"),
    (_with("atlas.AML.T0057", "atlas.AML.T57"), 6, "not an ATLAS id"),
    (_with("owasp-llm-2026.LLM02", "owasp-llm-2026.LLM11"), 7, "has no LLM11"),
    (_with("owasp-llm-2026.LLM02", "owasp-llm.LLM02"), 7, "unknown namespace"),
    (_with("owasp-agentic-2026.ASI03", "owasp-agentic-2026.ASI11"), 8, "has no ASI11"),
    (_with("owasp-agentic-2026.ASI03", "owasp-asi-2026.ASI03"), 8, "use owasp-agentic-2026"),
    (_with("condition: secret or key", "condition: secret or ky"), 16, "unknown search identifier"),
    (_with("content: nothing here", "contents: nothing here"), 27, None),  # unknown key: attribute
    (_with("{kind: completion, content: nothing here}", "{kind: chat}"), 25, "sample event"),
    (_with("tags:\n", "tags: [x\n"), None, "YAML"),
]


@pytest.mark.parametrize(("text", "line", "message"), CASES)
def test_each_problem_is_reported_where_it_is(text: str, line: int | None, message: str) -> None:
    issues, _ = lint_text(text, "r.yml")
    if message is None:
        assert [i for i in issues if i.severity == "error"] == []
        return
    hits = [i for i in issues if message in i.message]
    assert hits, issues
    if line is not None:
        assert hits[0].line == line, hits
    assert hits[0].file == "r.yml"


def test_warnings() -> None:
    no_samples = GOOD.split("samples:")[0]
    assert ("warning", "no match and no-match samples") in [
        (s, m) for _, s, m in _messages(no_samples)
    ]
    unused = _with("  condition: secret or key", "  unused: {role: x}\n  condition: secret or key")
    assert any("'unused' is not used" in m and s == "warning" for _, s, m in _messages(unused))
    odd_tag = _with("attack.t1552", "custom.thing")
    assert any(s == "warning" and "unknown tag namespace" in m for _, s, m in _messages(odd_tag))


def test_several_problems_in_one_file_are_all_reported() -> None:
    text = _with("level: high", "level: severe").replace("atlas.AML.T0057", "atlas.AML.T9999")
    text = text.replace("content|re", "content|rx")
    messages = " | ".join(m for _, _, m in _messages(text))
    assert "level must be one of" in messages
    assert "no such id in ATLAS" in messages
    assert "unknown modifier 'rx'" in messages


def test_lint_paths_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(GOOD)
    (tmp_path / "b.yml").write_text(GOOD)  # same id again
    (tmp_path / "corr.yml").write_text(
        "title: c\nid: 6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d\nlevel: high\n"
        "correlation:\n  type: temporal\n  rules:\n    - 3f9c1b2a-7d4e-4f6a-9b8c-1d2e3f4a5b6c\n"
        "    - no-such-rule\n  group-by: [detectors.x.score]\n  timespan: 5m\n"
    )
    (tmp_path / "broken.yaml").write_bytes(b"\xff\xfe not utf-8")
    issues = lint_paths([tmp_path])
    assert all(isinstance(i, LintIssue) for i in issues)
    text = "\n".join(str(i) for i in issues)
    assert f"{tmp_path / 'b.yml'}:1: error: duplicate rule id or name" in text
    assert (
        f"{tmp_path / 'corr.yml'}:8: error: correlation references unknown rule 'no-such-rule'"
        in text
    )
    assert "cannot group" in text
    assert f"{tmp_path / 'broken.yaml'}: error: not UTF-8 text" in text


def test_lint_can_run_samples(tmp_path: Path) -> None:
    wrong = _with(
        "- {kind: completion, content: nothing here}",
        "- {kind: completion, content: AKIAABCDEFGHIJKLMNOP}",
    )
    (tmp_path / "r.yml").write_text(wrong)
    assert lint_paths([tmp_path]) == []
    issues = lint_paths([tmp_path], samples=True)
    assert [i.message for i in issues] == [
        "a no-match sample matched (duckdb)",
        "a no-match sample matched (stream)",
    ]
    assert issues[0].line == 25


def test_the_examples_in_docs_rules_md_are_clean() -> None:
    import re

    from garrison.detect.rules.samples import run_samples

    doc = Path(__file__).resolve().parents[3] / "docs" / "rules.md"
    blocks = re.findall(r"```yaml\n(.*?)```", doc.read_text(), re.S)
    issues, loaded = lint_text(blocks[0], "rules.md")
    assert issues == []
    assert run_samples(loaded[0]) == []
    # The correlation example loads (its rule references are placeholders).
    assert lint_text(blocks[1], "rules.md")[1]
