from __future__ import annotations

from pathlib import Path

import pytest

from garrison.errors import ConfigError
from garrison.guard.policy import (
    DEFAULT_POLICY_YAML,
    PolicySet,
    default_policy,
    load_policy,
    policy_from_text,
)
from garrison.guard.types import Action
from garrison.model.finding import Finding, FindingStatus


def test_default_policy_is_valid_and_fast_for_user_messages() -> None:
    p = default_policy()
    assert p.id == "default" and p.mode == "enforce" and p.on_error == "open"
    available = ["unicode", "encoding", "signatures", "secrets", "pii", "exfil", "canary",
                 "prompt_guard"]  # fmt: skip
    assert "prompt_guard" not in p.detectors_for("user", available)
    assert "prompt_guard" in p.detectors_for("tool", available)
    assert p.detectors_for("output", available) == ("secrets", "pii", "exfil", "canary")
    assert "gcanary" not in DEFAULT_POLICY_YAML


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("mode: enforce\nrules:\n  - id: a\n    detector: pii\n    channels: [usr]\n"
         "    action: block\n", 5, "'usr' is not one of"),
        ("rules:\n  - id: a\n    detector: pii\n    channels: [user]\n    action: shout\n",
         5, "'shout' is not one of"),
        ("rules:\n  - id: a\n    detector: pii\n    channels: [user]\n    action: block\n"
         "  - id: a\n    detector: secrets\n    channels: [user]\n    action: block\n",
         6, "duplicate rule id"),
        ("mode: enforce\nspotlight:\n  mode: datamark\n  colour: red\n", 4, "unknown key"),
        ("tools:\n  constraints:\n    - tool: send_email\n      arg: to\n      regex: '('\n",
         5, "not a regular expression"),
        ("on_error: maybe\n", 1, "'maybe' is not one of open, closed"),
        ("rules: [\n", 2, "not valid YAML"),
        ("latency_budget_ms: 0\n", 1, "expected a number"),
        ("rules:\n  - id: x\n    channels: [user]\n    action: block\n", 2, "needs 'detector'"),
    ],
)  # fmt: skip
def test_policy_errors_name_file_and_line(text: str, line: int, needle: str) -> None:
    with pytest.raises(ConfigError) as err:
        policy_from_text(text, "apps/bot.yaml")
    assert err.value.message.startswith(f"apps/bot.yaml:{line}: "), err.value.message
    assert needle in err.value.message
    assert err.value.details["file"] == "apps/bot.yaml"


def test_judge_thresholds_and_fail_modes() -> None:
    p = policy_from_text(
        "on_error: closed\nrules:\n"
        "  - {id: sig, detector: signatures, labels: [instruction_*], channels: [user],"
        " min_score: 0.8, action: block}\n"
        "  - {id: sig-log, detector: signatures, channels: [user], action: log}\n"
        "  - {id: pg, detector: prompt_guard, channels: [tool], action: spotlight}\n"
    )

    def f(detector: str, label: str, score: float, **kw: object) -> Finding:
        return Finding("e", detector, "1", label, score, **kw)  # type: ignore[arg-type]

    judged = p.judge(
        [
            f("signatures", "instruction_override", 0.9),
            f("signatures", "instruction_override", 0.6),  # below -> falls to the log rule
            f("signatures", "jailbreak", 0.9),
            f("pii", "email", 0.5),  # no rule
        ],
        "user",
    )
    assert [(v.label, v.action, v.policy_rule) for v in judged.violations] == [
        ("instruction_override", Action.BLOCK, "sig"),
        ("instruction_override", Action.LOG, "sig-log"),
        ("jailbreak", Action.LOG, "sig-log"),
    ]
    # classifier: the finding's own per-channel threshold applies when min_score is absent
    low = f("prompt_guard", "prompt_injection", 0.5, detail={"threshold": 0.8})
    high = f("prompt_guard", "prompt_injection", 0.85, detail={"threshold": 0.8})
    assert p.judge([low], "tool").violations == []
    assert p.judge([high], "tool").violations[0].threshold == 0.8
    broken = f("prompt_guard", "timeout", 0.0, status=FindingStatus.TIMEOUT)
    judged = p.judge([broken], "tool")
    assert judged.errors == ["prompt_guard:timeout"]
    assert judged.violations[0].action is Action.BLOCK
    assert judged.violations[0].code == "prompt_guard.timeout"
    p_open = policy_from_text("on_error: open\n")
    assert p_open.judge([broken], "tool").violations == []


def test_policy_set_per_app(tmp_path: Path) -> None:
    (tmp_path / "support-bot.yaml").write_text("id: support\nmode: annotate\n")
    default = tmp_path / "default.yaml"
    default.write_text(DEFAULT_POLICY_YAML.replace("id: default", "id: house"))
    ps = PolicySet.load(default, tmp_path)
    assert ps.for_app("support-bot").id == "support"
    assert ps.for_app("support-bot").annotate_only
    assert ps.for_app("other").id == "house"
    with pytest.raises(ConfigError, match="not found"):
        PolicySet.load(None, tmp_path / "missing")
    (tmp_path / "bad.yaml").write_text("mode: loud\n")
    with pytest.raises(ConfigError, match=r"bad.yaml:1: mode"):
        PolicySet.load(None, tmp_path)
    assert load_policy(default).source == str(default)


def test_spotlight_off_even_unquoted() -> None:
    assert policy_from_text("spotlight: {mode: off}\n").spotlight.mode == "off"
    assert policy_from_text("spotlight: {mode: 'off'}\n").spotlight.mode == "off"


def test_the_annotated_example_in_the_docs_is_a_valid_policy() -> None:
    import re

    doc = Path(__file__).resolve().parents[2] / "docs" / "guard.md"
    found = re.search(r"```yaml\n(.*?)```", doc.read_text(), re.S)
    assert found is not None
    policy = policy_from_text(found.group(1), "docs/guard.md")
    assert policy.id == "support-bot" and policy.refusal and policy.response.auto_block
    assert [c.extract for c in policy.tools.constraints] == ["email", "path", "host", "value"]
