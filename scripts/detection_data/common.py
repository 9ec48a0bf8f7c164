"""Shared helpers for Garrison's detection-corpus generators.

Everything here is deterministic: randomness always comes from ``rng(key)``, a
``random.Random`` seeded from a stable hash of a string key, so adding material
to one pool never reshuffles the rows generated from another pool.
"""

from __future__ import annotations

import base64
import codecs
import hashlib
import random
import re
import unicodedata

SOURCE = "garrison-authored"

LANGS = [
    "en",
    "es",
    "de",
    "fr",
    "pt",
    "ru",
    "zh",
    "ja",
    "ar",
    "hi",
    "it",
    "ko",
    "tr",
    "pl",
    "nl",
    "id",
    "vi",
]
LATIN_LANGS = {"en", "es", "de", "fr", "pt", "it", "tr", "pl", "nl", "id", "vi"}

# Techniques that are "jailbreaks" when they arrive in the user channel.
JAILBREAK_TECHNIQUES = {
    "role_play",
    "refusal_suppression",
    "prefix_injection",
    "many_shot",
    "escalation",
    "config_framing",
}


def stable_hash(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")


def rng(key: str) -> random.Random:
    return random.Random(stable_hash(key))


def unit(key: str) -> float:
    """A stable pseudo-random number in [0, 1) for a key."""
    return stable_hash(key) / 2**64


def norm_key(text: str) -> str:
    """Case- and whitespace-insensitive key used for de-duplication."""
    t = unicodedata.normalize("NFC", text).casefold()
    return re.sub(r"\s+", " ", t).strip()


def category_for(label: int, technique: str | None, channel: str) -> str:
    if label == 0:
        return "benign"
    base = technique or ""
    if channel == "user":
        if base == "prompt_extraction":
            return "prompt_extraction"
        if base in JAILBREAK_TECHNIQUES:
            return "jailbreak"
        if base in {"tool_misuse", "mcp_tool_poisoning"}:
            return "tool_attack"
        return "prompt_injection"
    if base == "mcp_tool_poisoning":
        return "tool_attack"
    if channel == "tool_output" and base == "tool_misuse":
        return "tool_attack"
    return "indirect_injection"


# --------------------------------------------------------------------------
# Obfuscation transforms
# --------------------------------------------------------------------------


def to_base64(s: str) -> str:
    return base64.b64encode(s.encode("utf-8")).decode("ascii")


def to_hex(s: str, r: random.Random) -> str:
    h = s.encode("utf-8").hex()
    style = r.randrange(3)
    if style == 0:
        return h
    if style == 1:
        return " ".join(h[i : i + 2] for i in range(0, len(h), 2))
    return "".join("\\x" + h[i : i + 2] for i in range(0, len(h), 2))


def to_rot13(s: str) -> str:
    return codecs.encode(s, "rot13")


_LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7", "g": "9", "b": "8", "l": "1"}


def to_leet(s: str, r: random.Random) -> str:
    p = r.uniform(0.55, 0.9)
    out = []
    for ch in s:
        lo = ch.lower()
        if lo in _LEET and r.random() < p:
            out.append(_LEET[lo])
        else:
            out.append(ch)
    return "".join(out)


_HOMO = {
    "a": "\u0430",
    "e": "\u0435",
    "o": "\u043e",
    "p": "\u0440",
    "c": "\u0441",
    "x": "\u0445",
    "y": "\u0443",
    "i": "\u0456",
    "j": "\u0458",
    "s": "\u0455",
    "A": "\u0391",
    "B": "\u0392",
    "E": "\u0395",
    "H": "\u0397",
    "I": "\u0399",
    "K": "\u039a",
    "M": "\u039c",
    "O": "\u039f",
    "P": "\u03a1",
    "T": "\u03a4",
    "X": "\u03a7",
    "C": "\u0421",
}


def to_homoglyph(s: str, r: random.Random) -> str:
    p = r.uniform(0.3, 0.7)
    return "".join(_HOMO[ch] if ch in _HOMO and r.random() < p else ch for ch in s)


_ZW = ["\u200b", "\u200c", "\u200d", "\u2060"]


def to_zero_width(s: str, r: random.Random) -> str:
    out = []
    for i, ch in enumerate(s):
        out.append(ch)
        if ch.isalpha() and i + 1 < len(s) and s[i + 1].isalpha() and r.random() < 0.6:
            out.append(r.choice(_ZW))
    return "".join(out)


def to_unicode_tags(s: str) -> str:
    """Encode printable ASCII as invisible Unicode tag characters (U+E0020..U+E007E)."""
    return "".join(chr(0xE0000 + ord(ch)) for ch in s if 0x20 <= ord(ch) <= 0x7E)


def to_spaced(s: str, r: random.Random) -> str:
    sep = r.choice([" ", " ", "-", ".", " "])
    words = s.split()
    joiner = r.choice(["   ", " / ", "  |  "])
    return joiner.join(sep.join(w) for w in words)


def is_ascii(s: str) -> bool:
    return all(ord(c) < 128 for c in s)


# Languages written in Latin script can use the letter-level transforms.
def allowed_obfuscations(lang: str, text: str) -> list[str]:
    out = ["obfuscation_base64", "obfuscation_hex", "obfuscation_zero_width", "obfuscation_spaced"]
    if lang in LATIN_LANGS:
        out += ["obfuscation_rot13", "obfuscation_leetspeak", "obfuscation_homoglyph"]
    if is_ascii(text):
        out.append("obfuscation_unicode_tags")
    return out


def apply_obfuscation(kind: str, text: str, r: random.Random) -> str:
    if kind == "obfuscation_base64":
        return to_base64(text)
    if kind == "obfuscation_hex":
        return to_hex(text, r)
    if kind == "obfuscation_rot13":
        return to_rot13(text)
    if kind == "obfuscation_leetspeak":
        return to_leet(text, r)
    if kind == "obfuscation_homoglyph":
        return to_homoglyph(text, r)
    if kind == "obfuscation_zero_width":
        return to_zero_width(text, r)
    if kind == "obfuscation_unicode_tags":
        return to_unicode_tags(text)
    if kind == "obfuscation_spaced":
        return to_spaced(text, r)
    raise ValueError(kind)


# Encodings whose output is unreadable without an explicit decode hint.
NEEDS_DECODE_HINT = {"obfuscation_base64", "obfuscation_hex", "obfuscation_rot13"}
