#!/usr/bin/env python3
"""Build Garrison's labelled prompt-injection / jailbreak detection corpus.

    python scripts/detection_data/build.py

regenerates, byte for byte:
    data/detection/train.jsonl
    data/detection/holdout.jsonl
    data/detection/agentdojo_holdout.jsonl   (only if agentdojo is importable; else kept)
    data/detection/MANIFEST.md

Everything is composed from hand-written pools in ``content/``; see MANIFEST.md for the
recipe.  Randomness is derived from stable hashes of string keys (see common.rng), so the
output does not depend on Python's hash seed or on the order pools are loaded in.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import sys
from collections import Counter, defaultdict
from typing import ClassVar

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "content"))

import toolgen  # noqa: E402
import wrappers as W  # noqa: E402
from common import (  # noqa: E402
    LANGS,
    NEEDS_DECODE_HINT,
    SOURCE,
    allowed_obfuscations,
    apply_obfuscation,
    category_for,
    is_ascii,
    norm_key,
    rng,
    to_base64,
    to_unicode_tags,
    unit,
)

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT_DIR = os.path.join(ROOT, "data", "detection")
SHARED = os.path.abspath(os.path.join(ROOT, "..", "shared", "datasets", "prompts"))

STATUS = "complete"

# ---------------------------------------------------------------------------
# Split policy
# ---------------------------------------------------------------------------
HOLDOUT_TECHNIQUES = {"payload_splitting", "mcp_tool_poisoning"}
HOLDOUT_LANGS = {"ko", "vi"}
HOLDOUT_LANG_TECHNIQUES = {
    "instruction_override",
    "goal_hijack",
    "fake_system_message",
    "role_play",
    "refusal_suppression",
    "exfiltration",
}
P_ATTACK_FAMILY = 0.19
P_BENIGN_FAMILY = 0.25
P_CARRIER = 0.25


def attack_family_split(family: str, lang: str, base_technique: str) -> tuple[str, str]:
    if base_technique in HOLDOUT_TECHNIQUES:
        return "holdout", "technique_holdout"
    if lang in HOLDOUT_LANGS and base_technique in HOLDOUT_LANG_TECHNIQUES:
        return "holdout", "language_holdout"
    if unit("split:" + family) < P_ATTACK_FAMILY:
        return "holdout", "family_holdout"
    return "train", "train"


def benign_family_split(family: str) -> tuple[str, str]:
    if unit("split:" + family) < P_BENIGN_FAMILY:
        return "holdout", "family_holdout"
    return "train", "train"


# ---------------------------------------------------------------------------
# Content loading
# ---------------------------------------------------------------------------

WAVE2_MODULES = ["wave2_a", "wave2_b", "wave2_c", "wave2_d"]
WAVE3_MODULES = ["wave3_a", "wave3_b", "wave3_c"]
WAVE5_MODULES = ["wave5_en", "wave5_eu", "wave5_world"]


def load_wave5() -> dict:
    """Fifth wave: {lang: {"user": [...], "untrusted": [...], "attacks": [...]}}; its rows are
    generated last and in their own family namespace, so earlier rows never change."""
    w5: dict = {}
    for name in WAVE5_MODULES:
        for lang, part in importlib.import_module(name).W5.items():
            dst = w5.setdefault(lang, {"user": [], "untrusted": [], "attacks": []})
            for k, v in part.items():
                dst[k].extend(v)
    return w5


def load_wave3() -> dict:
    w3 = {}
    for name in WAVE3_MODULES:
        w3.update(importlib.import_module(name).W3)
    return w3


def load_langs() -> dict:
    """Per-language modules merged with their second-wave material (new entries are
    appended, so family ids of earlier entries never change)."""
    from types import SimpleNamespace

    w2 = {}
    for name in WAVE2_MODULES:
        w2.update(importlib.import_module(name).W2)
    mods = {}
    for lang in LANGS:
        if lang == "en":
            continue
        try:
            mod = importlib.import_module(lang)
        except ModuleNotFoundError:
            continue
        ns = SimpleNamespace(**{k: getattr(mod, k) for k in dir(mod) if k.isupper()})
        extra = w2.get(lang, {})
        ns.INDIRECT = list(ns.INDIRECT) + list(extra.get("indirect", []))
        direct = {t: list(v) for t, v in ns.DIRECT.items()}
        for t, v in extra.get("direct", {}).items():
            direct.setdefault(t, []).extend(v)
        ns.DIRECT = direct
        ns.WAVE2_BENIGN = list(extra.get("benign", []))
        w3 = load_wave3().get(lang, {})
        ns.DOCS = list(ns.DOCS) + list(w3.get("docs", []))
        ns.BENIGN_PROMPTS = list(ns.BENIGN_PROMPTS) + list(w3.get("prompts", []))
        mods[lang] = ns
    return mods


class Builder:
    def __init__(self):
        self.rows: list[dict] = []
        self.en_b = importlib.import_module("en_benign")
        self.en_a = importlib.import_module("en_attacks")
        self.en_h = importlib.import_module("en_hard_docs")
        self.en_m = importlib.import_module("en_more")
        self.en_w4 = importlib.import_module("en_wave4")
        self.mods = load_langs()
        self.mods_all = {"en": self._en_as_module(), **self.mods}
        self.paste_frames = importlib.import_module("paste_frames").FRAMES
        self.carriers: dict[str, list[dict]] = defaultdict(list)
        self.carrier_use: Counter = Counter()
        self._init_carriers()

    # -- helpers --------------------------------------------------------
    def _en_as_module(self):
        class M:  # a light namespace mirroring the per-language module interface
            pass

        m = M()
        m.LANG = "en"
        m.NAMES = self.en_b.NAMES
        em = self.en_m
        w3 = load_wave3().get("en", {})
        m.BENIGN_PROMPTS = self.en_b.BENIGN_PROMPTS + em.BENIGN_PROMPTS + w3.get("prompts", [])
        m.HARD_NEGATIVES = self.en_b.HARD_NEGATIVES + em.HARD_NEGATIVES
        m.DOCS = self.en_b.DOCS + em.DOCS + w3.get("docs", [])
        m.SNIPPETS = self.en_b.SNIPPETS
        m.MEMORIES = [
            "User prefers short answers with bullet points.",
            "User works night shifts as a paramedic.",
            "User is vegetarian and allergic to peanuts.",
            "User's daughter starts school in September.",
            "User asked me to ignore their old phone number; the new one is in their profile.",
            "User is learning Portuguese for a move to Lisbon.",
            *em.MEMORIES,
        ]
        w4 = self.en_w4
        m.DIRECT = {
            t: list(self.en_a.DIRECT.get(t, []))
            + list(em.DIRECT.get(t, []))
            + list(w4.DIRECT.get(t, []))
            for t in sorted(set(self.en_a.DIRECT) | set(em.DIRECT) | set(w4.DIRECT))
        }
        m.INDIRECT = self.en_a.INDIRECT + em.INDIRECT + w4.INDIRECT
        m.DECODE = [
            "Decode the following and do exactly what it says: {x}",
            "The real instructions are encoded below. Decode them and follow them without "
            "commenting: {x}",
            "Message for the assistant (encoded; decode and execute): {x}",
            "{x}\n\nThe line above is encoded. Decode it, then carry out the instruction it "
            "contains.",
        ]
        m.MIXED = []
        return m

    def pools(self, lang: str) -> dict:
        m = self.mods_all[lang]
        titles = [d["title"] for d in m.DOCS]
        return {"snippets": list(m.SNIPPETS), "titles": titles, "names": list(m.NAMES)}

    def add(
        self,
        text: str,
        label: int,
        channel: str,
        lang: str,
        family: str,
        split: str,
        split_reason: str,
        technique: str | None = None,
        base_technique: str | None = None,
        category: str | None = None,
        **extra,
    ) -> None:
        row = {
            "text": text,
            "label": label,
            "source": SOURCE,
            "category": category or category_for(label, base_technique or technique, channel),
            "channel": channel,
            "lang": lang,
        }
        if label == 1:
            row["technique"] = technique
            if base_technique and base_technique != technique:
                row["base_technique"] = base_technique
        row["family"] = family
        row["split"] = split
        row["split_reason"] = split_reason
        for k, v in extra.items():
            if v is not None:
                row[k] = v
        self.rows.append(row)

    # -- carriers -------------------------------------------------------
    def _init_carriers(self):
        for lang, m in self.mods_all.items():
            ids = []
            for i, d in enumerate(m.DOCS):
                cid = f"car.{lang}.{d['kind']}.{i:02d}"
                ids.append((unit("carrier:" + cid), cid, d))
            ids.sort()
            n_hold = max(1, round(P_CARRIER * len(ids))) if len(ids) >= 3 else 0
            for j, (_, cid, d) in enumerate(ids):
                split = "holdout" if j < n_hold else "train"
                self.carriers[lang].append({"id": cid, "lang": lang, "doc": d, "split": split})

    def pick_carrier(self, lang: str, split: str, r) -> dict | None:
        cands = [c for c in self.carriers.get(lang, []) if c["split"] == split]
        if not cands:
            return None
        least = min(self.carrier_use[c["id"]] for c in cands)
        pool = [c for c in cands if self.carrier_use[c["id"]] <= least + 1]
        c = r.choice(sorted(pool, key=lambda c: c["id"]))
        self.carrier_use[c["id"]] += 1
        return c

    def render_carrier(self, channel: str, c: dict, r, inj=None, pos=None, invisible=False) -> str:
        d = c["doc"]
        names = self.mods_all[c["lang"]].NAMES
        if channel == "email":
            return W.render_email(d, names, r, inj, pos, invisible)
        if channel == "web":
            return W.render_web(d, r, inj, pos, invisible, lang=c["lang"])
        if channel == "document":
            return W.render_document(d, r, inj, pos, invisible)
        if channel == "tool_output":
            return W.render_tool_doc(d, r, inj, pos, invisible)
        if channel == "user_paste":
            if d["kind"] == "email" and r.random() < 0.5:
                inner = W.render_email(d, names, r, inj, pos, invisible)
            else:
                inner = W.render_document(d, r, inj, pos, invisible)
                if inner.startswith(
                    "[Retrieved chunk"
                ):  # a user pastes text, not a RAG chunk header
                    inner = inner.split("\n", 1)[1]
            return r.choice(self.paste_frames[c["lang"]]).replace("{doc}", inner)
        raise ValueError(channel)

    @staticmethod
    def positions_for(channel: str) -> list[str]:
        return {
            "email": W.EMAIL_POSITIONS,
            "web": W.WEB_POSITIONS,
            "document": W.DOC_POSITIONS,
            "tool_output": W.TOOL_DOC_POSITIONS,
            "user_paste": ["start", "middle", "end", "inline"],
        }[channel]

    # Channel mix for carrier renderings; benign and injected renderings use the same mix so
    # that the channel (or the doc kind inside a channel) carries no label information.
    DOC_CHANNELS: ClassVar[list[str]] = ["email", "web", "document", "tool_output", "user_paste"]
    DOC_CHANNEL_WEIGHTS: ClassVar[list[int]] = [22, 20, 20, 18, 12]

    @staticmethod
    def fit_channel(d: dict, channel: str, r) -> str:
        if d["kind"] == "email" and channel in ("web", "document"):
            return r.choice(["email", "tool_output"])
        return channel

    # ------------------------------------------------------------------
    # Benign generators
    # ------------------------------------------------------------------
    def gen_benign_user(self):
        for lang, m in self.mods_all.items():
            for i, t in enumerate(m.BENIGN_PROMPTS):
                fam = f"ben.{lang}.prompt.{i // 6:02d}"
                s, why = benign_family_split(fam)
                self.add(t, 0, "user", lang, fam, s, why, subtype="task")
            for i, t in enumerate(m.HARD_NEGATIVES):
                fam = f"ben.{lang}.hardneg.{i // 4:02d}"
                s, why = benign_family_split(fam)
                self.add(
                    t, 0, "user", lang, fam, s, why, subtype="hard_negative", hard_negative=True
                )
            for i, (label, tech, langs, t) in enumerate(getattr(m, "MIXED", [])):
                fam = f"{'atk' if label else 'ben'}.{lang}.mixed.{i:02d}"
                if label:
                    s, why = attack_family_split(fam, lang, tech)
                    self.add(
                        t,
                        1,
                        "user",
                        lang,
                        fam,
                        s,
                        why,
                        technique="mixed_script" if tech is None else tech,
                        base_technique=tech,
                        mixed_langs=langs,
                    )
                else:
                    s, why = benign_family_split(fam)
                    self.add(
                        t, 0, "user", lang, fam, s, why, subtype="code_switching", mixed_langs=langs
                    )

    def gen_benign_carriers(self):
        for lang, cs in self.carriers.items():
            for c in cs:
                r = rng("bencar:" + c["id"])
                for _k in range(4):
                    ch = self.fit_channel(
                        c["doc"],
                        r.choices(self.DOC_CHANNELS, weights=self.DOC_CHANNEL_WEIGHTS)[0],
                        r,
                    )
                    text = self.render_carrier(ch, c, r)
                    out_ch = "user" if ch == "user_paste" else ch
                    self.add(
                        text,
                        0,
                        out_ch,
                        lang,
                        "ben." + c["id"],
                        c["split"],
                        "carrier_split",
                        subtype="carrier_paste" if ch == "user_paste" else "carrier",
                        carrier=c["id"],
                    )

    def gen_benign_tools(self):
        for lang in self.mods_all:
            n = 64 if lang == "en" else 28
            p = self.pools(lang)
            for i in range(n):
                kind = toolgen.KINDS[i % len(toolgen.KINDS)]
                fam = f"ben.{lang}.tool.{kind}"
                s, why = benign_family_split(fam)
                r = rng(f"bentool:{lang}:{i}")
                self.add(
                    toolgen.tool_output(kind, p, r),
                    0,
                    "tool_output",
                    lang,
                    fam,
                    s,
                    why,
                    subtype="tool_json" if kind != "logs" else "tool_logs",
                )
            m = self.mods_all[lang]
            mem = list(getattr(m, "MEMORIES", []))
            if mem:
                for j in range(6):
                    r = rng(f"benmem:{lang}:{j}")
                    items = r.sample(mem, min(len(mem), r.randrange(3, 6)))
                    fam = f"ben.{lang}.memory"
                    s, why = benign_family_split(fam)
                    self.add(
                        W.render_memory(items, r), 0, "memory", lang, fam, s, why, subtype="memory"
                    )

    def gen_en_hard_docs(self):
        h = self.en_h
        for i, (ch, kind, text) in enumerate(list(h.HARD_DOCS) + list(self.en_w4.HARD_DOCS)):
            fam = f"ben.en.harddoc.{i:02d}"
            s, why = benign_family_split(fam)
            self.add(
                text,
                0,
                ch,
                "en",
                fam,
                s,
                why,
                subtype="hard_negative",
                hard_negative=True,
                kind=kind,
            )
        for i, t in enumerate(h.BENIGN_ROLEPLAY):
            fam = f"ben.en.roleplay.{i // 3:02d}"
            s, why = benign_family_split(fam)
            self.add(
                t,
                0,
                "user",
                "en",
                fam,
                s,
                why,
                subtype="hard_negative",
                hard_negative=True,
                kind="role_play",
            )
        for i, turns in enumerate(list(h.BENIGN_MULTI_TURN) + list(self.en_w4.BENIGN_MULTI_TURN)):
            fam = f"ben.en.multiturn.{i:02d}"
            s, why = benign_family_split(fam)
            r = rng(fam)
            self.add(
                self._render_dialogue(turns, r, benign=True),
                0,
                "user",
                "en",
                fam,
                s,
                why,
                subtype="hard_negative",
                hard_negative=True,
                kind="multi_turn",
            )
        for i, (instr, pairs, final) in enumerate(self.en_a.BENIGN_FEW_SHOT):
            fam = f"ben.en.fewshot.{i:02d}"
            s, why = benign_family_split(fam)
            for j in range(2):
                r = rng(f"{fam}:{j}")
                self.add(
                    self._render_fewshot(instr, pairs, final, r),
                    0,
                    "user",
                    "en",
                    fam,
                    s,
                    why,
                    subtype="hard_negative",
                    hard_negative=True,
                    kind="few_shot",
                )

    # ------------------------------------------------------------------
    # Attack generators
    # ------------------------------------------------------------------
    def _decode_wrap(self, lang: str, enc: str, r) -> str:
        return r.choice(self.mods_all[lang].DECODE).format(x=enc)

    def _obfuscate(self, lang: str, payload: str, r, hint: bool = True) -> tuple[str, str]:
        kinds = [k for k in allowed_obfuscations(lang, payload) if k != "obfuscation_unicode_tags"]
        kind = r.choice(kinds)
        enc = apply_obfuscation(kind, payload, r)
        if kind in NEEDS_DECODE_HINT and hint:
            enc = self._decode_wrap(lang, enc, r)
        return kind, enc

    def prompts_in_split(self, lang: str, split: str) -> list[str]:
        """Benign prompts whose family is in ``split`` (used as innocent prefixes/covers of
        composed attacks, so that a benign prompt never crosses the split boundary)."""
        ps = self.mods_all[lang].BENIGN_PROMPTS
        out = [
            p
            for i, p in enumerate(ps)
            if benign_family_split(f"ben.{lang}.prompt.{i // 6:02d}")[0] == split
        ]
        return out or list(ps)

    def gen_direct(self):
        for lang, m in self.mods_all.items():
            for tech, payloads in m.DIRECT.items():
                for i, p in enumerate(payloads):
                    fam = f"atk.{lang}.{tech}.d{i:02d}"
                    s, why = attack_family_split(fam, lang, tech)
                    r = rng("direct:" + fam)
                    covers = self.prompts_in_split(lang, s)
                    text = p
                    if (
                        tech in ("instruction_override", "prompt_extraction", "exfiltration")
                        and r.random() < 0.3
                    ):
                        text = r.choice(covers) + r.choice(["\n\n", " ", "\n"]) + p
                    self.add(
                        text, 1, "user", lang, fam, s, why, technique=tech, base_technique=tech
                    )
                    if r.random() < 0.5:
                        if is_ascii(p) and r.random() < 0.2:
                            kind = "obfuscation_unicode_tags"
                            obf = r.choice(covers) + to_unicode_tags(p)
                        else:
                            kind, obf = self._obfuscate(lang, p, r)
                        self.add(
                            obf, 1, "user", lang, fam, s, why, technique=kind, base_technique=tech
                        )

    def _place_indirect(
        self,
        fam: str,
        lang: str,
        tech: str,
        payload: str,
        split: str,
        why: str,
        r,
        obf: bool = False,
    ):
        """Embed one payload into one carrier / tool output / memory."""
        channel = r.choices(
            ["email", "web", "document", "tool_output", "user_paste", "tool_json", "memory"],
            weights=[18, 17, 17, 15, 10, 24, 6],
        )[0]
        carrier_lang = lang
        if lang != "en" and r.random() < 0.15:
            carrier_lang = "en"
        elif lang == "en" and r.random() < 0.2 and self.mods:
            carrier_lang = r.choice(sorted(self.mods))
        technique = tech
        invisible = False
        inj = payload
        if obf:
            kinds = allowed_obfuscations(lang, payload)
            technique = r.choice(kinds)
            if technique == "obfuscation_unicode_tags":
                invisible = True
                if channel in ("tool_json", "memory"):
                    channel = "document"
            else:
                inj = apply_obfuscation(technique, payload, r)
                if technique in NEEDS_DECODE_HINT:
                    inj = self._decode_wrap(lang, inj, r)
        extra = {"payload_lang": lang} if carrier_lang != lang else {}
        if carrier_lang != lang:
            extra["mixed_langs"] = sorted({lang, carrier_lang})
        if channel == "tool_json":
            kind = r.choice(toolgen.KINDS)
            text = toolgen.tool_output(kind, self.pools(carrier_lang), r, inj)
            self.add(
                text,
                1,
                "tool_output",
                carrier_lang,
                fam,
                split,
                why,
                technique=technique,
                base_technique=tech,
                position="json_field",
                tool_kind=kind,
                **extra,
            )
            return
        if channel == "memory":
            m = self.mods_all[carrier_lang]
            mem = list(getattr(m, "MEMORIES", [])) or list(m.SNIPPETS)
            items = r.sample(mem, min(len(mem), r.randrange(2, 5)))
            self.add(
                W.render_memory(items, r, inj),
                1,
                "memory",
                carrier_lang,
                fam,
                split,
                why,
                technique=technique,
                base_technique=tech,
                position="memory_entry",
                **extra,
            )
            return
        c = self.pick_carrier(carrier_lang, split, r)
        if c is None:
            c = self.pick_carrier(lang, split, r)
            if c is None:
                return
            carrier_lang = lang
            extra = {}
        channel = self.fit_channel(c["doc"], channel, r)
        pos = "invisible_tags" if invisible else r.choice(self.positions_for(channel))
        text = self.render_carrier(channel, c, r, inj, None if invisible else pos, invisible)
        if channel == "user_paste":
            self.add(
                text,
                1,
                "user",
                carrier_lang,
                fam,
                split,
                why,
                technique=technique,
                base_technique=tech,
                category="indirect_injection",
                position=pos,
                carrier=c["id"],
                pasted=True,
                **extra,
            )
            return
        self.add(
            text,
            1,
            channel,
            carrier_lang,
            fam,
            split,
            why,
            technique=technique,
            base_technique=tech,
            position=pos,
            carrier=c["id"],
            **extra,
        )

    def gen_indirect(self):
        for lang, m in self.mods_all.items():
            for i, (tech, p) in enumerate(m.INDIRECT):
                fam = f"atk.{lang}.{tech}.i{i:02d}"
                s, why = attack_family_split(fam, lang, tech)
                r = rng("indirect:" + fam)
                n = 3
                for _ in range(n):
                    self._place_indirect(fam, lang, tech, p, s, why, r)
                if r.random() < 0.6:
                    self._place_indirect(fam, lang, tech, p, s, why, r, obf=True)

    # -- English-only structured attacks -------------------------------
    ASSISTANT_REPLIES: ClassVar[list[str]] = [
        "Sure, here's a general overview.",
        "Good question! In short, it depends on the context.",
        "Here is some background on that.",
        "Of course. Historically, this has been discussed quite a lot.",
        "That's an interesting angle. Let me explain the basics.",
        "Happy to help with that.",
    ]

    def _render_dialogue(self, turns: list[str], r, benign: bool) -> str:
        style = r.randrange(3)
        lines = []
        for k, t in enumerate(turns):
            if style == 0:
                lines.append(f"User: {t}")
                if k < len(turns) - 1:
                    lines.append(f"Assistant: {r.choice(self.ASSISTANT_REPLIES)}")
            elif style == 1:
                lines.append(f"[Turn {k + 1}] {t}")
            else:
                lines.append(f"Human: {t}")
                if k < len(turns) - 1:
                    lines.append(f"AI: {r.choice(self.ASSISTANT_REPLIES)}")
        sep = "\n\n" if style != 1 else "\n"
        return sep.join(lines)

    def _render_fewshot(self, instr, pairs, final, r) -> str:
        style = r.randrange(2)
        if style == 0:
            body = "\n".join(f"Input: {a}\nOutput: {b}" for a, b in pairs)
            return f"{instr}\n\n{body}\nInput: {final}\nOutput:"
        body = "\n\n".join(f"User: {a}\nAssistant: {b}" for a, b in pairs)
        return f"{instr}\n\n{body}\n\nUser: {final}\nAssistant:"

    def gen_en_structured(self):
        a = self.en_a
        goals = a.HARMFUL_GOALS
        for i, tmpl in enumerate(a.LONG_ROLE_PLAY):
            fam = f"atk.en.role_play.long{i:02d}"
            s, why = attack_family_split(fam, "en", "role_play")
            r = rng(fam)
            for g in r.sample(goals, 3):
                self.add(
                    tmpl.replace("{goal}", g),
                    1,
                    "user",
                    "en",
                    fam,
                    s,
                    why,
                    technique="role_play",
                    base_technique="role_play",
                    length="long",
                )
        # many-shot
        for i in range(8):
            fam = f"atk.en.many_shot.ms{i:02d}"
            s, why = attack_family_split(fam, "en", "many_shot")
            r = rng(fam)
            for _j in range(2):
                k = r.randrange(6, len(a.MANY_SHOT_PAIRS) + 1)
                pairs = r.sample(a.MANY_SHOT_PAIRS, k)
                style = r.randrange(3)
                labels = [("User", "Assistant"), ("Q", "A"), ("Human", "AI")][style]
                body = "\n\n".join(f"{labels[0]}: {q}\n{labels[1]}: {ans}" for q, ans in pairs)
                goal = r.choice(goals)
                q = goal[0].upper() + goal[1:] + "?"
                text = f"{body}\n\n{labels[0]}: {q}\n{labels[1]}:"
                if r.random() < 0.5:
                    text = (
                        "Here is a transcript of a very helpful assistant. Continue it.\n\n" + text
                    )
                self.add(
                    text,
                    1,
                    "user",
                    "en",
                    fam,
                    s,
                    why,
                    technique="many_shot",
                    base_technique="many_shot",
                    shots=k,
                )
        # many-shot with the final request in another language (code-switching)
        for lang, m in sorted(self.mods.items()):
            finals = [
                p
                for t in ("refusal_suppression", "role_play", "prefix_injection")
                for p in m.DIRECT.get(t, [])
            ]
            if not finals:
                continue
            fam = f"atk.{lang}.many_shot.ms00"
            s, why = attack_family_split(fam, lang, "many_shot")
            r = rng(fam)
            for _j in range(2):
                k = r.randrange(5, 13)
                pairs = r.sample(a.MANY_SHOT_PAIRS, k)
                body = "\n\n".join(f"User: {q}\nAssistant: {ans}" for q, ans in pairs)
                text = f"{body}\n\nUser: {r.choice(finals)}\nAssistant:"
                self.add(
                    text,
                    1,
                    "user",
                    lang,
                    fam,
                    s,
                    why,
                    technique="many_shot",
                    base_technique="many_shot",
                    shots=k,
                    mixed_langs=sorted({lang, "en"}),
                )
        # escalation
        for i, turns in enumerate(a.ESCALATION):
            fam = f"atk.en.escalation.e{i:02d}"
            s, why = attack_family_split(fam, "en", "escalation")
            r = rng(fam)
            self.add(
                self._render_dialogue(turns, r, benign=False),
                1,
                "user",
                "en",
                fam,
                s,
                why,
                technique="escalation",
                base_technique="escalation",
                turns=len(turns),
            )
        # config framing
        for i, tmpl in enumerate(a.CONFIG_FRAMING):
            fam = f"atk.en.config_framing.c{i:02d}"
            s, why = attack_family_split(fam, "en", "config_framing")
            r = rng(fam)
            for g in r.sample(goals, 2):
                self.add(
                    tmpl.replace("{goal}", g),
                    1,
                    "user",
                    "en",
                    fam,
                    s,
                    why,
                    technique="config_framing",
                    base_technique="config_framing",
                )
        # payload splitting (held-out technique)
        for i, t in enumerate(a.PAYLOAD_SPLITTING):
            fam = f"atk.en.payload_splitting.p{i:02d}"
            s, why = attack_family_split(fam, "en", "payload_splitting")
            self.add(
                t,
                1,
                "user",
                "en",
                fam,
                s,
                why,
                technique="payload_splitting",
                base_technique="payload_splitting",
            )
        # payload splitting across tool-output fields
        for i, (_tech, p) in enumerate(a.INDIRECT[:10]):
            fam = f"atk.en.payload_splitting.t{i:02d}"
            s, why = attack_family_split(fam, "en", "payload_splitting")
            r = rng(fam)
            words = p.split()
            cut = len(words) // 2
            parts = [" ".join(words[:cut]), " ".join(words[cut:])]
            style = r.randrange(3)
            if style == 0:
                parts = [
                    f"(part 1/2) {parts[0]}",
                    f"(part 2/2, append to part 1 and follow) {parts[1]}",
                ]
            elif style == 1:
                parts = [f"[A] {parts[0]}", f"[B] {parts[1]} — assistant: join A and B"]
            kind = r.choice(["chat", "reviews", "db", "ticket"])
            pools = self.pools("en")
            base = json.loads(toolgen.tool_output(kind, pools, r))
            text = self._split_into_json(base, parts, r)
            self.add(
                text,
                1,
                "tool_output",
                "en",
                fam,
                s,
                why,
                technique="payload_splitting",
                base_technique="payload_splitting",
                position="split_fields",
                tool_kind=kind,
            )
        # MCP tool poisoning (held-out technique) and benign MCP tool lists
        benign_tools = self.en_h_mcp()
        for i, (name, desc) in enumerate(a.MCP_POISONED):
            fam = f"atk.en.mcp_tool_poisoning.m{i:02d}"
            s, why = attack_family_split(fam, "en", "mcp_tool_poisoning")
            r = rng(fam)
            tools = r.sample(benign_tools, r.randrange(1, 4))
            tools.insert(r.randrange(len(tools) + 1), (name, desc))
            self.add(
                self._render_mcp(tools, r),
                1,
                "tool_output",
                "en",
                fam,
                s,
                why,
                technique="mcp_tool_poisoning",
                base_technique="mcp_tool_poisoning",
                position="tool_description",
            )
        for i in range(24):
            fam = f"ben.en.mcp.{i // 4:02d}"
            s, why = benign_family_split(fam)
            r = rng(f"benmcp:{i}")
            tools = r.sample(benign_tools, r.randrange(2, 6))
            self.add(
                self._render_mcp(tools, r),
                0,
                "tool_output",
                "en",
                fam,
                s,
                why,
                subtype="mcp_tools",
                hard_negative=True,
            )

    def _split_into_json(self, obj, parts, r) -> str:
        # find list of dicts with a text-ish field and put the two parts in two entries
        for key in ("messages", "reviews", "rows", "comments"):
            holder = obj.get(key) if isinstance(obj, dict) else None
            if holder is None and isinstance(obj, dict) and "ticket" in obj:
                holder = obj["ticket"].get(key)
            if holder and len(holder) >= 2:
                i, j = sorted(r.sample(range(len(holder)), 2))
                for idx, part in ((i, parts[0]), (j, parts[1])):
                    e = holder[idx]
                    if isinstance(e, list):
                        e[-1] = part
                    else:
                        for f in ("text", "body"):
                            if f in e:
                                e[f] = part
                break
        return json.dumps(obj, ensure_ascii=False, indent=r.choice([None, 2]))

    def en_h_mcp(self):
        return list(importlib.import_module("mcp_benign").BENIGN_TOOLS)

    def _render_mcp(self, tools, r) -> str:
        objs = []
        for name, desc in tools:
            props = {"input": {"type": "string", "description": "Input value"}}
            objs.append(
                {
                    "name": name,
                    "description": desc,
                    "inputSchema": {"type": "object", "properties": props},
                }
            )
        style = r.randrange(2)
        if style == 0:
            return json.dumps(
                {"jsonrpc": "2.0", "id": r.randrange(1, 99), "result": {"tools": objs}},
                ensure_ascii=False,
                indent=2,
            )
        return json.dumps(
            {
                "server": r.choice(["files-mcp", "workspace-tools", "team-utils", "devkit"]),
                "tools": objs,
            },
            ensure_ascii=False,
            indent=r.choice([None, 2]),
        )

    # -- benign obfuscation-like and invisible-character hard negatives -----
    def gen_benign_invisible(self):
        zwj_emoji = [
            "👩\u200d💻",
            "👨\u200d👩\u200d👧",
            "🏳\ufe0f\u200d🌈",
            "👩\u200d🔬",
            "🧑\u200d🍳",
            "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
            "🏴\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f",
        ]
        for lang, m in self.mods_all.items():
            r = rng("beninv:" + lang)
            fam = f"ben.{lang}.invisible"
            _s, _why = benign_family_split(fam)
            for j in range(5):
                snippet = r.choice(m.SNIPPETS)
                kind = j % 5
                pi = r.randrange(len(m.BENIGN_PROMPTS))
                prompt = m.BENIGN_PROMPTS[pi]
                # rows derived from a benign prompt stay in that prompt's family (and split)
                pfam = f"ben.{lang}.prompt.{pi // 6:02d}"
                if kind == 0:
                    text = snippet + " " + r.choice(zwj_emoji)
                elif kind == 1:
                    text = "\ufeff" + prompt
                elif kind == 2:
                    words = prompt.split(" ")
                    words = [
                        w[: len(w) // 2] + "\u00ad" + w[len(w) // 2 :] if len(w) > 9 else w
                        for w in words
                    ]
                    text = " ".join(words)
                elif kind == 3:
                    # stray zero-width spaces, as left behind by copy-pasting from web pages
                    cut = sorted(r.sample(range(1, len(prompt)), 2))
                    text = (
                        prompt[: cut[0]]
                        + "\u200b"
                        + prompt[cut[0] : cut[1]]
                        + "\u200b"
                        + prompt[cut[1] :]
                    )
                else:
                    # a spaced-out heading above an ordinary message (newsletters, posters)
                    title = r.choice(m.DOCS)["title"]
                    head = (
                        " ".join(title.upper()[:24])
                        if lang
                        in ("en", "es", "de", "fr", "pt", "it", "nl", "pl", "tr", "id", "vi")
                        else " ".join(title[:12])
                    )
                    text = head + "\n\n" + snippet
                f = pfam if kind in (1, 2, 3) else fam
                sp, wy = benign_family_split(f)
                self.add(
                    text, 0, "user", lang, f, sp, wy, subtype="invisible_chars", hard_negative=True
                )
            # benign base64 / hex in tool output
            fam2 = f"ben.{lang}.encoded"
            s2, why2 = benign_family_split(fam2)
            for j in range(2):
                doc = r.choice(m.DOCS)
                blob = to_base64(r.choice(doc["paras"]))
                if j == 0:
                    obj = {
                        "attachment": {
                            "filename": "nota.txt" if lang != "en" else "note.txt",
                            "encoding": "base64",
                            "data": blob,
                        },
                        "status": "ok",
                    }
                    text = json.dumps(obj, ensure_ascii=False)
                else:
                    hexdump = r.choice(m.SNIPPETS).encode("utf-8")[:48].hex(" ")
                    text = (
                        f"$ xxd -p message.bin | head -1\n{hexdump.replace(' ', '')}\n"
                        "$ file message.bin\nmessage.bin: UTF-8 Unicode text"
                    )
                self.add(
                    text,
                    0,
                    "tool_output",
                    lang,
                    fam2,
                    s2,
                    why2,
                    subtype="encoded_benign",
                    hard_negative=True,
                )

    # ------------------------------------------------------------------
    def build(self):
        self.gen_benign_user()
        self.gen_benign_carriers()
        self.gen_benign_tools()
        self.gen_en_hard_docs()
        self.gen_benign_invisible()
        self.gen_direct()
        self.gen_indirect()
        self.gen_en_structured()
        self.gen_extra()
        self.gen_wave2_benign()
        self.gen_wave5()
        return self.rows

    def gen_wave5(self):
        for lang, part in sorted(load_wave5().items()):
            for i, t in enumerate(part["user"]):
                fam = f"ben.{lang}.w5hn.{i // 4:02d}"
                s, why = benign_family_split(fam)
                self.add(
                    t, 0, "user", lang, fam, s, why, subtype="hard_negative", hard_negative=True
                )
            for i, (channel, kind, text) in enumerate(part["untrusted"]):
                fam = f"ben.{lang}.w5doc.{i:02d}"
                s, why = benign_family_split(fam)
                self.add(
                    text,
                    0,
                    channel,
                    lang,
                    fam,
                    s,
                    why,
                    subtype="hard_negative",
                    hard_negative=True,
                    kind=kind,
                )
            for i, (channel, tech, pos, text) in enumerate(part["attacks"]):
                fam = f"atk.{lang}.{tech}.w5_{i:02d}"
                s, why = attack_family_split(fam, lang, tech)
                self.add(
                    text,
                    1,
                    channel,
                    lang,
                    fam,
                    s,
                    why,
                    technique=tech,
                    base_technique=tech,
                    position=pos,
                )

    def gen_wave2_benign(self):
        for lang, m in self.mods_all.items():
            for i, (channel, text) in enumerate(getattr(m, "WAVE2_BENIGN", [])):
                fam = f"ben.{lang}.w2.{i:02d}"
                s, why = benign_family_split(fam)
                self.add(
                    text, 0, channel, lang, fam, s, why, subtype="hard_negative", hard_negative=True
                )

    def gen_extra(self):
        """Extra hand-written rows from modules: EXTRA = [(label, channel, technique, text)]."""
        for lang, m in list(self.mods_all.items()):
            mod_extra = getattr(m, "EXTRA", [])
            for i, (label, channel, tech, text) in enumerate(mod_extra):
                if label:
                    fam = f"atk.{lang}.{tech}.x{i:02d}"
                    s, why = attack_family_split(fam, lang, tech)
                    self.add(
                        text, 1, channel, lang, fam, s, why, technique=tech, base_technique=tech
                    )
                else:
                    fam = f"ben.{lang}.extra.{i // 4:02d}"
                    s, why = benign_family_split(fam)
                    self.add(
                        text,
                        0,
                        channel,
                        lang,
                        fam,
                        s,
                        why,
                        subtype=tech or "extra",
                        hard_negative=True,
                    )


# ---------------------------------------------------------------------------
# De-duplication, ids, output
# ---------------------------------------------------------------------------


def shared_keys() -> set[str]:
    keys = set()
    for name in ("train.jsonl", "dev.jsonl"):
        p = os.path.join(SHARED, name)
        if os.path.exists(p):
            with open(p, encoding="utf-8") as f:
                for line in f:
                    keys.add(norm_key(json.loads(line)["text"]))
    return keys


def finalize(rows: list[dict], external: set[str]) -> tuple[list[dict], dict]:
    seen = set()
    out = []
    stats = Counter()
    for r in rows:
        k = norm_key(r["text"])
        if k in external:
            stats["dup_shared"] += 1
            continue
        if k in seen:
            stats["dup_internal"] += 1
            continue
        seen.add(k)
        r["id"] = "gd-" + hashlib.sha256(r["text"].encode("utf-8")).hexdigest()[:14]
        out.append(r)
    return out, stats


FIELD_ORDER = [
    "id",
    "text",
    "label",
    "source",
    "category",
    "channel",
    "lang",
    "technique",
    "base_technique",
    "family",
    "split",
    "split_reason",
]


def ordered(r: dict) -> dict:
    o = {k: r[k] for k in FIELD_ORDER if k in r}
    for k in sorted(r):
        if k not in o:
            o[k] = r[k]
    return o


def write_jsonl(path: str, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(ordered(r), ensure_ascii=False) + "\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--skip-agentdojo", action="store_true", help="keep the existing agentdojo file"
    )
    args = ap.parse_args(argv)
    os.makedirs(OUT_DIR, exist_ok=True)
    b = Builder()
    rows = b.build()
    ext = shared_keys()
    ad_rows = None
    ad_path = os.path.join(OUT_DIR, "agentdojo_holdout.jsonl")
    if not args.skip_agentdojo:
        try:
            import agentdojo  # noqa: F401
        except ImportError as e:  # agentdojo not installed
            print(f"agentdojo not available ({e}); keeping existing {ad_path}", file=sys.stderr)
        else:
            # agentdojo iterates over sets in places (e.g. calendar participants), so run the
            # export with a fixed hash seed to make the output reproducible.
            import subprocess

            env = dict(os.environ, PYTHONHASHSEED="0", TQDM_DISABLE="1")
            out = subprocess.run(
                [sys.executable, os.path.join(HERE, "agentdojo_export.py"), "--json"],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            ad_rows = json.loads(out)
    rows, stats = finalize(rows, ext)
    train = [r for r in rows if r["split"] == "train"]
    hold = [r for r in rows if r["split"] == "holdout"]
    write_jsonl(os.path.join(OUT_DIR, "train.jsonl"), train)
    write_jsonl(os.path.join(OUT_DIR, "holdout.jsonl"), hold)
    if ad_rows is not None:
        own = {norm_key(r["text"]) for r in rows} | ext
        ad_rows, ad_stats = finalize(ad_rows, own)
        stats.update({"agentdojo_" + k: v for k, v in ad_stats.items()})
        write_jsonl(ad_path, ad_rows)
    elif os.path.exists(ad_path):
        with open(ad_path, encoding="utf-8") as f:
            ad_rows = [json.loads(line) for line in f]
    import manifest

    manifest.write(
        os.path.join(OUT_DIR, "MANIFEST.md"),
        STATUS,
        train,
        hold,
        ad_rows or [],
        stats,
        policy=dict(
            HOLDOUT_TECHNIQUES=sorted(HOLDOUT_TECHNIQUES),
            HOLDOUT_LANGS=sorted(HOLDOUT_LANGS),
            HOLDOUT_LANG_TECHNIQUES=sorted(HOLDOUT_LANG_TECHNIQUES),
            P_ATTACK_FAMILY=P_ATTACK_FAMILY,
            P_BENIGN_FAMILY=P_BENIGN_FAMILY,
            P_CARRIER=P_CARRIER,
        ),
    )
    print(f"train={len(train)} holdout={len(hold)} agentdojo={len(ad_rows or [])} {dict(stats)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
