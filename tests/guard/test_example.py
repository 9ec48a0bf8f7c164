"""The reference architecture's example runs offline end to end (fake model -> gateway ->
guard -> agent) and the guard does what docs/reference-architecture.md says."""

from __future__ import annotations

import re
from pathlib import Path

from examples.agent import fake_model
from examples.agent.run import scenarios

from garrison.guard.policy import load_policy

HERE = Path(__file__).resolve().parents[2] / "examples" / "agent"


def test_example_policy_is_valid() -> None:
    policy = load_policy(HERE / "policy.yaml")
    assert policy.id == "mail-agent" and policy.tools.allow == (
        "read_inbox",
        "search_docs",
        "send_email",
    )


def test_agent_scenarios(tmp_path: Path) -> None:
    fake_model.SEEN.clear()
    results = scenarios(tmp_path)
    benign, attacked, subtle = results["benign"], results["attacked"], results["subtle"]
    assert benign.blocked is None and benign.answer == "You have 2 new message(s); nothing urgent."
    # what reached the model on the benign run: a canary in the system prompt, the inbox datamarked
    second = fake_model.SEEN[1]["messages"]
    assert re.search(r"gcanary-[0-9a-f]{16}", second[0]["content"])
    assert "'\u02c6'" in second[0]["content"]  # the datamarking explanation
    tool = next(m for m in second if m["role"] == "tool")
    assert " " not in tool["content"] and "Thursday\u02c6at\u02c6noon?" in tool["content"]
    # a blatant injection in the inbox: stopped before the model saw it
    assert attacked.blocked is not None and attacked.blocked["status"] == 400
    assert attacked.blocked["error"]["code"].startswith(("signatures.", "prompt_guard."))
    assert not any("collector@evil.example" in str(b) for b in fake_model.SEEN)
    # a subtle one reaches the model, which asks to mail outside the company: the firewall says no
    assert subtle.blocked is not None
    assert subtle.blocked["error"]["code"] in (
        "firewall.argument_not_allowed",
        "flow.untrusted_to_egress",
    )
    assert benign.sent == attacked.sent == subtle.sent == []
