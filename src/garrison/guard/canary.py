"""Canary tokens: a random ``gcanary-<16 hex>`` planted in each system prompt the guard
forwards. The model has no reason to repeat it; when it appears in an answer or in a tool call's
arguments the system prompt leaked (``detect/detectors/canary.py`` finds it, even spelled out or
encoded). The token sits in an HTML comment so that a model that renders markdown shows nothing.
"""

from __future__ import annotations

import secrets


def new_canary() -> str:
    return f"gcanary-{secrets.token_hex(8)}"


def plant(system_prompt: str, token: str) -> str:
    return f"{system_prompt}\n\n<!-- {token} -->"
