"""Streaming evaluation, one table per modifier: inline rules with exact expected results.

Every case also runs as SQL on an in-memory DuckDB (``helpers.both``), so each table pins the
streaming and SQL semantics at once.
"""

from __future__ import annotations

from typing import Any

import pytest

from garrison.detect.rules.errors import RuleError
from garrison.detect.rules.evaluate import RuleEngine, compile_rule
from garrison.detect.rules.loader import load_text
from tests.detect.rules.helpers import both, event, finding, rule

# (detection, event fields, expected)
Case = tuple[str, dict[str, Any], bool]

PLAIN: list[Case] = [
    ("sel: {model: gpt-4o}\ncondition: sel", {"model": "GPT-4o"}, True),
    ("sel: {model: gpt-4o}\ncondition: sel", {"model": "gpt-4o-mini"}, False),
    ("sel: {model: [a, gpt-4o]}\ncondition: sel", {"model": "gpt-4o"}, True),
    ("sel: {model: ''}\ncondition: sel", {"model": ""}, True),
    ("sel: {model: ''}\ncondition: sel", {}, False),
    ("sel: {role: system, model: x}\ncondition: sel", {"role": "system", "model": "y"}, False),
]
CONTAINS: list[Case] = [
    (
        "sel: {content|contains: Ignore Previous}\ncondition: sel",
        {"content": "pls IGNORE previous!"},
        True,
    ),
    (
        "sel: {content|contains: ignore previous}\ncondition: sel",
        {"content": "ignore  previous"},
        False,
    ),
    ("sel: {content|contains: [x, previous]}\ncondition: sel", {"content": "previously"}, True),
    ("sel: {content|contains|all: [a, z]}\ncondition: sel", {"content": "abc"}, False),
    ("sel: {content|contains|all: [a, c]}\ncondition: sel", {"content": "abc"}, True),
    ("sel: {content|contains: '100%'}\ncondition: sel", {"content": "1000 off"}, False),
    ("sel: {content|contains: 'a_b'}\ncondition: sel", {"content": "axb"}, False),
    ("sel: {content|contains: 'a_b'}\ncondition: sel", {"content": "xa_bx"}, True),
    ("sel: {content|contains: x}\ncondition: sel", {}, False),
]
AFFIXES: list[Case] = [
    ("sel: {tool.name|startswith: Shell}\ncondition: sel", {"tool": {"name": "shell_exec"}}, True),
    ("sel: {tool.name|startswith: shell}\ncondition: sel", {"tool": {"name": "my_shell"}}, False),
    (
        "sel: {principal|endswith: '@evil.example'}\ncondition: sel",
        {"principal": "Bob@EVIL.example"},
        True,
    ),
    ("sel: {principal|endswith: [.org, .net]}\ncondition: sel", {"principal": "a.com"}, False),
]
WILDCARDS: list[Case] = [
    ("sel: {content: 'pass?ord'}\ncondition: sel", {"content": "PASSWORD"}, True),
    ("sel: {content: 'pass?ord'}\ncondition: sel", {"content": "passsword"}, False),
    ("sel: {content: '*secret*key'}\ncondition: sel", {"content": "my secret api key"}, True),
    ("sel: {content: '*secret*key'}\ncondition: sel", {"content": "my secret api key!"}, False),
    ("sel: {content: 'a\\*b'}\ncondition: sel", {"content": "a*b"}, True),
    ("sel: {content: 'a\\*b'}\ncondition: sel", {"content": "axxb"}, False),
    ("sel: {content: 'why\\?'}\ncondition: sel", {"content": "why?"}, True),
    ("sel: {content: 'why\\?'}\ncondition: sel", {"content": "whyX"}, False),
    ("sel: {content: 'c:\\\\temp'}\ncondition: sel", {"content": "C:\\temp"}, True),
    ("sel: {content: 'back\\slash'}\ncondition: sel", {"content": "back\\slash"}, True),
    ("sel: {content: '*'}\ncondition: sel", {"content": ""}, True),
    ("sel: {content: '*'}\ncondition: sel", {}, False),
]
CASED: list[Case] = [
    ("sel: {content|contains|cased: IGNORE}\ncondition: sel", {"content": "IGNORE it"}, True),
    ("sel: {content|contains|cased: IGNORE}\ncondition: sel", {"content": "ignore it"}, False),
    ("sel: {app|cased: Bot}\ncondition: sel", {"app": "bot"}, False),
]
UNICODE: list[Case] = [
    ("sel: {content|contains: ÉCRIS}\ncondition: sel", {"content": "il écris"}, True),
    ("sel: {content|contains: ΣΑΣ}\ncondition: sel", {"content": "σασ"}, True),
    ("sel: {content|contains: σας}\ncondition: sel", {"content": "ΣΑΣ"}, False),  # ς is not σ
    ("sel: {content|startswith: istanbul}\ncondition: sel", {"content": "İSTANBUL"}, True),
    ("sel: {content|contains: café}\ncondition: sel", {"content": "CAFE"}, False),
]
REGEX: list[Case] = [
    (
        "sel: {content|re: 'sk-[A-Za-z0-9]{8,}'}\ncondition: sel",
        {"content": "key sk-ABCD1234x"},
        True,
    ),
    ("sel: {content|re: 'sk-[A-Za-z0-9]{8,}'}\ncondition: sel", {"content": "SK-ABCD1234x"}, False),
    (
        "sel: {content|re|i: 'ignore\\s+(all|previous)'}\ncondition: sel",
        {"content": "IGNORE\tPrevious"},
        True,
    ),
    ("sel: {content|re: '^system:'}\ncondition: sel", {"content": "a\nsystem: x"}, False),
    ("sel: {content|re|m: '^system:'}\ncondition: sel", {"content": "a\nsystem: x"}, True),
    ("sel: {content|re: 'a.b'}\ncondition: sel", {"content": "a\nb"}, False),
    ("sel: {content|re|s: 'a.b'}\ncondition: sel", {"content": "a\nb"}, True),
    ("sel: {content|re: 'end$'}\ncondition: sel", {"content": "the end\n"}, False),
    ("sel: {content|re|m: 'end$'}\ncondition: sel", {"content": "the end\n"}, True),
    ("sel: {content|re: '\\bdan\\b'}\ncondition: sel", {"content": "you are dan now"}, True),
    ("sel: {content|re: '\\bdan\\b'}\ncondition: sel", {"content": "danger"}, False),
    ("sel: {content|re: '[^a-z]{3}'}\ncondition: sel", {"content": "ab12c"}, False),
    ("sel: {content|re|i: '[A-C]x'}\ncondition: sel", {"content": "bX"}, True),
    ("sel: {content|re: ['zzz', 'y+$']}\ncondition: sel", {"content": "xyy"}, True),
]
NUMBERS: list[Case] = [
    (
        "sel: {usage.input_tokens|gte: 1000}\ncondition: sel",
        {"usage": {"input_tokens": 1000}},
        True,
    ),
    (
        "sel: {usage.input_tokens|gt: 1000}\ncondition: sel",
        {"usage": {"input_tokens": 1000}},
        False,
    ),
    ("sel: {latency_ms|lt: 50}\ncondition: sel", {"latency_ms": 49.9}, True),
    ("sel: {latency_ms|lte: 50}\ncondition: sel", {"latency_ms": 50.0}, True),
    ("sel: {latency_ms|lt: 50}\ncondition: sel", {}, False),
    ("sel: {usage.output_tokens: 7}\ncondition: sel", {"usage": {"output_tokens": 7}}, True),
    ("sel: {usage.output_tokens: [1, 2]}\ncondition: sel", {"usage": {"output_tokens": 7}}, False),
]
NULLS: list[Case] = [
    ("sel: {session_id: null}\ncondition: sel", {}, True),
    ("sel: {session_id: null}\ncondition: sel", {"session_id": "s"}, False),
    ("sel: {role: [null, system]}\ncondition: sel", {"role": "system"}, True),
    ("sel: {role: [null, system]}\ncondition: sel", {"role": "user"}, False),
    ("sel: {tool.arguments|exists: true}\ncondition: sel", {"tool": {"arguments": "{}"}}, True),
    ("sel: {tool.arguments|exists: true}\ncondition: sel", {"tool": {"name": "x"}}, False),
    ("sel: {tool.arguments|exists: false}\ncondition: sel", {}, True),
    ("sel: {content|contains: x}\ncondition: not sel", {}, True),
]
ATTRIBUTES: list[Case] = [
    (
        "sel: {attributes.gen_ai.system: openai}\ncondition: sel",
        {"attributes": {"gen_ai.system": "OpenAI"}},
        True,
    ),
    (
        "sel: {attributes.gen_ai.system: openai}\ncondition: sel",
        {"attributes": {"gen_ai": {"system": "openai"}}},
        False,
    ),
    (
        "sel: {attributes.tags|contains: secret}\ncondition: sel",
        {"attributes": {"tags": ["public", "top-secret"]}},
        True,
    ),
    (
        "sel: {attributes.tags|contains: secret}\ncondition: sel",
        {"attributes": {"tags": [{"secret": 1}]}},
        False,
    ),
    ("sel: {attributes.retry|gt: 2}\ncondition: sel", {"attributes": {"retry": 3}}, True),
    ("sel: {attributes.retry|gt: 2}\ncondition: sel", {"attributes": {"retry": "3"}}, False),
    ("sel: {attributes.retry: 3}\ncondition: sel", {"attributes": {"retry": "3"}}, True),
    ("sel: {attributes.nums|gte: 10}\ncondition: sel", {"attributes": {"nums": [1, 12]}}, True),
    ("sel: {attributes.stream: true}\ncondition: sel", {"attributes": {"stream": True}}, True),
    ("sel: {attributes.stream: true}\ncondition: sel", {"attributes": {"stream": "TRUE"}}, True),
    ("sel: {attributes.x: null}\ncondition: sel", {"attributes": {"x": None}}, True),
    ("sel: {attributes.x|exists: true}\ncondition: sel", {"attributes": {"x": {"a": 1}}}, True),
    ("sel: {attributes.odd/key~1: v}\ncondition: sel", {"attributes": {"odd/key~1": "V"}}, True),
    (
        "sel: {attributes.client.address|cidr: 10.0.0.0/8}\ncondition: sel",
        {"attributes": {"client.address": "10.9.8.7"}},
        True,
    ),
    (
        "sel: {attributes.client.address|cidr: 192.168.0.0/23}\ncondition: sel",
        {"attributes": {"client.address": "192.168.10.5"}},
        False,
    ),
    (
        "sel: {attributes.client.address|cidr: 192.168.0.0/23}\ncondition: sel",
        {"attributes": {"client.address": "192.168.1.5"}},
        True,
    ),
    (
        "sel: {attributes.client.address|cidr: 10.0.0.4/30}\ncondition: sel",
        {"attributes": {"client.address": "10.0.0.7"}},
        True,
    ),
    (
        "sel: {attributes.client.address|cidr: 10.0.0.4/30}\ncondition: sel",
        {"attributes": {"client.address": "10.0.0.70"}},
        False,
    ),
]
KEYWORDS: list[Case] = [
    ("keywords: [jailbreak, 'rm -rf']\ncondition: keywords", {"content": "a JAILBREAK"}, True),
    (
        "keywords: [jailbreak, 'rm -rf']\ncondition: keywords",
        {"tool": {"arguments": '{"c": "rm -rf /"}'}},
        True,
    ),
    ("keywords: [jailbreak]\ncondition: keywords", {"principal": "jailbreak"}, False),
    (
        "k:\n  '|all': [ignore, rules]\ncondition: k",
        {"content": "ignore", "tool": {"arguments": "rules"}},
        True,
    ),
    ("k:\n  '|all': [ignore, rules]\ncondition: k", {"content": "ignore"}, False),
]
CONDITIONS: list[Case] = [
    (
        "a: {role: user}\nb: {model: m}\ncondition: a and not b",
        {"role": "user", "model": "m"},
        False,
    ),
    ("a: {role: user}\nb: {model: m}\ncondition: a or b", {"model": "m"}, True),
    ("sel_a: {role: user}\nsel_b: {model: m}\ncondition: 1 of sel_*", {"model": "m"}, True),
    ("sel_a: {role: user}\nsel_b: {model: m}\ncondition: all of sel_*", {"model": "m"}, False),
    (
        "sel_a: {role: user}\nsel_b: {model: m}\n_x: {agent: q}\ncondition: all of them",
        {"role": "user", "model": "m"},
        True,
    ),
    (
        "sel_a: {role: user}\nsel_b: {model: m}\n_x: {agent: q}\ncondition: 1 of them",
        {"agent": "q"},
        False,
    ),
    ("a: {role: user}\nb: {model: m}\ncondition: not (a or b)", {"agent": "q"}, True),
    ("a: {role: user}\nb: {model: m}\ncondition: [a, b]", {"model": "m"}, True),
    (
        "a:\n  - {role: user, model: x}\n  - {agent: q}\ncondition: a",
        {"role": "user", "model": "m"},
        False,
    ),
    ("a:\n  - {role: user, model: x}\n  - {agent: q}\ncondition: a", {"agent": "q"}, True),
]
TABLES = {
    "plain": PLAIN,
    "contains": CONTAINS,
    "affixes": AFFIXES,
    "wildcards": WILDCARDS,
    "cased": CASED,
    "unicode": UNICODE,
    "regex": REGEX,
    "numbers": NUMBERS,
    "nulls": NULLS,
    "attributes": ATTRIBUTES,
    "keywords": KEYWORDS,
    "conditions": CONDITIONS,
}
CASES = [
    pytest.param(detection, fields, expected, id=f"{name}-{i}")
    for name, table in TABLES.items()
    for i, (detection, fields, expected) in enumerate(table)
]


@pytest.mark.parametrize(("detection", "fields", "expected"), CASES)
def test_modifier_table(detection: str, fields: dict[str, Any], expected: bool) -> None:
    assert both(rule(detection), event(**fields)) is expected


DETECTORS = [
    ("sel: {detectors.pg.score|gte: 0.9}\ncondition: sel", [("pg", "inj", 0.95, "ok")], True),
    ("sel: {detectors.pg.score|gte: 0.9}\ncondition: sel", [("pg", "inj", 0.95, "error")], False),
    (
        "sel: {detectors.pg.score|lt: 0.5}\ncondition: sel",
        [("pg", "a", 0.1, "ok"), ("pg", "b", 0.7, "ok")],
        False,
    ),
    (
        "sel: {detectors.pg.score|lt: 0.5}\ncondition: sel",
        [("pg", "a", 0.1, "ok"), ("pg", "b", 0.7, "error")],
        True,
    ),
    ("sel: {detectors.pg.score|lt: 0.5}\ncondition: sel", [], False),
    (
        "sel: {detectors.pg.score: 0.7}\ncondition: sel",
        [("pg", "a", 0.1, "ok"), ("pg", "b", 0.7, "ok")],
        True,
    ),
    ("sel: {detectors.pg.score: null}\ncondition: sel", [("other", "a", 1.0, "ok")], True),
    (
        "sel: {detectors.sig.labels|startswith: secret.}\ncondition: sel",
        [("sig", "Secret.AWS", 1.0, "ok")],
        True,
    ),
    (
        "sel: {detectors.sig.labels: pii.email}\ncondition: sel",
        [("other", "pii.email", 1.0, "ok")],
        False,
    ),
    (
        "sel: {detectors.sig.labels|all: [a, b]}\ncondition: sel",
        [("sig", "a", 1.0, "ok"), ("sig", "b", 1.0, "ok")],
        True,
    ),
    ("sel: {detectors.sig.labels|all: [a, b]}\ncondition: sel", [("sig", "a", 1.0, "ok")], False),
    ("sel: {detectors.pg.status: timeout}\ncondition: sel", [("pg", "", 0.0, "timeout")], True),
    ("sel: {detectors.pg.status|exists: false}\ncondition: sel", [], True),
    ("sel: {findings.labels: pii.email}\ncondition: sel", [("x", "pii.email", 1.0, "ok")], True),
    (
        "sel: {findings.labels: pii.email}\ncondition: sel",
        [("x", "pii.email", 1.0, "error")],
        False,
    ),
    ("sel: {findings.labels: null}\ncondition: sel", [("x", "pii.email", 1.0, "error")], True),
    (
        "sel: {detectors.my.dotted.id.score|gte: 0.5}\ncondition: sel",
        [("my.dotted.id", "a", 0.5, "ok")],
        True,
    ),
]


@pytest.mark.parametrize(("detection", "found", "expected"), DETECTORS)
def test_detector_fields(
    detection: str, found: list[tuple[str, str, float, str]], expected: bool
) -> None:
    e = event()
    findings = [finding(e, d, label, score, status) for d, label, score, status in found]
    assert both(rule(detection), e, findings) is expected


def test_logsource_category_and_service() -> None:
    r = rule("sel: {content|contains: x}\ncondition: sel", category="tool_call", service="bot")
    assert both(r, event("tool_call", app="bot", content="x")) is True
    assert both(r, event("prompt", app="bot", content="x")) is False
    assert both(r, event("tool_call", app="Bot", content="x")) is False


UNSUPPORTED = [
    ("sel: {content|windash: x}\ncondition: sel", "windash"),
    ("sel: {content|base64: x}\ncondition: sel", "encoded"),
    ("sel: {content|nope: x}\ncondition: sel", "unknown modifier"),
    ("sel: {nosuchfield: x}\ncondition: sel", "unknown field"),
    ("sel: {content|gt: 5}\ncondition: sel", "numbers"),
    ("sel: {latency_ms|contains: '5'}\ncondition: sel", "holds numbers"),
    ("sel: {content|re: '(?=x)'}\ncondition: sel", "subset"),
    ("sel: {content|re: '(a)\\1'}\ncondition: sel", "subset"),
    ("sel: {content|i: x}\ncondition: sel", "apply to re only"),
    ("sel: {content|contains|startswith: x}\ncondition: sel", "only one"),
    ("sel: {content|exists: yes-please}\ncondition: sel", "exists"),
    ("sel: {content|contains: 42}\ncondition: sel", "quote numbers"),
    ("sel: {attributes.ip|cidr: '::1/128'}\ncondition: sel", "IPv4"),
    ("sel: {detectors.x.score: high}\ncondition: sel", "holds numbers"),
]


@pytest.mark.parametrize(("detection", "message"), UNSUPPORTED)
def test_uncompilable_items_raise_rule_error(detection: str, message: str) -> None:
    r = rule(detection)
    with pytest.raises(RuleError, match=message) as info:
        compile_rule(r)
    assert info.value.file == "inline.yml"
    assert info.value.line == 6


def test_engine_indexes_by_kind_and_emits_matches() -> None:
    rules = load_text(
        """
title: prompts
id: 5b2c3a4e-0000-4000-8000-000000000001
level: high
tags: [atlas.AML.T0051.000]
logsource: {product: garrison, category: prompt}
detection: {sel: {content|contains: ignore}, condition: sel}
---
title: any kind
id: 5b2c3a4e-0000-4000-8000-000000000002
level: low
logsource: {product: garrison, category: ai_event}
detection: {sel: {content|contains: ignore}, condition: sel}
"""
    )
    engine = RuleEngine(rules)
    got = engine.evaluate(event("prompt", content="Ignore it"))
    assert [m.rule_id for m in got] == [
        "5b2c3a4e-0000-4000-8000-000000000001",
        "5b2c3a4e-0000-4000-8000-000000000002",
    ]
    assert got[0].tags == ("atlas.AML.T0051.000",) and got[0].level == "high"
    assert [m.rule_id for m in engine.evaluate(event("completion", content="ignore"))] == [
        "5b2c3a4e-0000-4000-8000-000000000002"
    ]
    assert engine.evaluate(event("prompt", content="fine")) == []


def test_compiled_rule_never_raises_on_odd_events() -> None:
    r = rule(
        """
        a: {attributes.x|contains: y, attributes.n|gt: 1}
        b: {detectors.d.labels|re: 'a+', findings.labels: null}
        c: {content|re|i: 'é+', tool.arguments|contains: x}
        condition: a or b or c
        """
    )
    odd = [
        {"attributes": {"x": [None, {"y": 1}, ["y"]], "n": float("inf")}},
        {"attributes": {"x": b"bytes", "n": "NaN"}},
        {"content": "\x00\ud800É"},
        {"tool": {}},
    ]
    compiled = compile_rule(r)
    from garrison.detect.rules.evaluate import EventView

    for fields in odd:
        compiled.matches(EventView(event(**fields)))


def test_margin_is_score_minus_the_findings_own_threshold() -> None:
    r = rule("flagged:\n  detectors.prompt_guard.margin|gte: 0\ncondition: flagged")
    e = event()
    assert both(r, e, [finding(e, "prompt_guard", score=0.97, threshold=0.95)])
    # the same score under a stricter (recalibrated, or retrained) threshold is not flagged
    assert not both(r, e, [finding(e, "prompt_guard", score=0.97, threshold=0.99)])
    # several findings: the best margin counts, whatever the raw scores
    two = [
        finding(e, "prompt_guard", score=0.99, threshold=0.995),
        finding(e, "prompt_guard", score=0.6, threshold=0.5),
    ]
    assert both(r, e, two)
    # no threshold, a non-numeric one, or a failed finding: no margin (absent)
    absent = rule("none:\n  detectors.prompt_guard.margin: null\ncondition: none")
    for f in (
        finding(e, "prompt_guard", score=1.0),
        finding(e, "prompt_guard", score=1.0, threshold="0.5"),
        finding(e, "prompt_guard", score=1.0, threshold=True),
        finding(e, "prompt_guard", score=1.0, status="error", threshold=0.5),
    ):
        assert not both(r, e, [f])
        assert both(absent, e, [f])
    below = rule("low:\n  detectors.prompt_guard.margin|lt: -0.2\ncondition: low")
    assert both(below, e, [finding(e, "prompt_guard", score=0.5, threshold=0.8)])
    assert not both(below, e, [finding(e, "prompt_guard", score=0.7, threshold=0.8)])


def test_sample_findings_carry_a_threshold() -> None:
    from garrison.detect.rules.samples import run_samples

    text = """
title: flagged by the calibrated classifier
id: 5b2c3a4e-0000-4000-8000-0000000000aa
level: low
logsource: {product: garrison, category: prompt}
detection:
  flagged:
    detectors.prompt_guard.margin|gte: 0
  condition: flagged
samples:
  match:
    - kind: prompt
      content: a
      findings: [{detector: prompt_guard, label: p, score: 0.97, threshold: 0.95}]
  no_match:
    - kind: prompt
      content: b
      findings: [{detector: prompt_guard, label: p, score: 0.97, threshold: 0.99}]
    - kind: prompt
      content: c
      findings: [{detector: prompt_guard, label: p, score: 0.97}]
"""
    (loaded,) = load_text(text, file="margin.yml")
    assert run_samples(loaded) == []
    bad = text.replace("threshold: 0.99", "threshold: high")
    (broken,) = load_text(bad, file="margin.yml")
    (failure,) = run_samples(broken)
    assert failure.engine == "load" and "'threshold' must be a number" in failure.message
