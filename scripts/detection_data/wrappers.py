"""Render hand-written carrier documents into channel-specific texts (email, web page,
document, tool output, memory), optionally with an injected instruction at a given
position.  All choices come from the ``random.Random`` passed in."""

from __future__ import annotations

import json
import random
import re
import unicodedata

from common import to_unicode_tags

DOMAINS = [
    "northwind",
    "bluefin",
    "harborpine",
    "tallowstreet",
    "crestline",
    "quillfeather",
    "larkspur",
    "mosaicworks",
    "riverbend",
    "silverleaf",
    "oakmont",
    "brightpath",
]

EMAIL_POSITIONS = ["start", "middle", "end", "inline", "signature", "quoted", "html_hidden"]
WEB_POSITIONS = ["start", "middle", "end", "inline", "comment", "alt", "hidden", "meta", "aria"]
DOC_POSITIONS = ["start", "middle", "end", "inline", "footnote", "md_comment", "page_break"]
TOOL_DOC_POSITIONS = ["start", "middle", "end", "inline", "field"]


def slug(name: str) -> str:
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if c.isascii() and (c.isalnum() or c in " .-"))
    s = re.sub(r"[\s]+", ".", s.strip()).lower().strip(".")
    return s or "user"


def email_addr(name: str, r: random.Random, idx: int = 0) -> str:
    local = slug(name)
    if local == "user":
        local = f"user{r.randrange(10, 99)}"
    return f"{local}@{r.choice(DOMAINS)}.example"


def fake_date(r: random.Random) -> str:
    return f"2024-{r.randrange(1, 13):02d}-{r.randrange(1, 29):02d}"


def fake_time(r: random.Random) -> str:
    return f"{r.randrange(7, 19):02d}:{r.choice(['00', '15', '30', '45'])}"


def _split_sentences(p: str) -> list[str]:
    parts = re.split(r"(?<=[.!?。！？])\s*", p)
    return [x for x in parts if x]


def _insert_inline(paras: list[str], inj: str, r: random.Random) -> list[str]:
    """Append the injection to the end of a middle paragraph, no paragraph break."""
    paras = list(paras)
    i = len(paras) - 1 if len(paras) <= 2 else r.randrange(1, len(paras) - 1)
    sents = _split_sentences(paras[i])
    k = r.randrange(1, len(sents) + 1) if sents else 0
    sents.insert(k, inj)
    sep = "" if any(ch in paras[i] for ch in "。！？") else " "
    paras[i] = sep.join(sents)
    return paras


def _insert_para(paras: list[str], inj: str, pos: str, r: random.Random) -> list[str]:
    paras = list(paras)
    if pos == "start":
        paras.insert(0, inj)
    elif pos == "end":
        paras.append(inj)
    elif pos == "middle":
        paras.insert(
            max(1, len(paras) // 2 + r.choice([-1, 0, 0, 1])) if len(paras) > 1 else 1, inj
        )
    elif pos == "inline":
        paras = _insert_inline(paras, inj, r)
    else:
        raise ValueError(pos)
    return paras


# ---------------------------------------------------------------------------
# Email
# ---------------------------------------------------------------------------


def render_email(
    doc: dict,
    names: list[str],
    r: random.Random,
    inj: str | None = None,
    pos: str | None = None,
    invisible: bool = False,
) -> str:
    sender, recipient = r.sample(names, 2)
    paras = list(doc["paras"])
    if inj is not None and invisible:
        # Unicode-tag smuggling: attach invisible payload to a paragraph.
        i = r.randrange(len(paras))
        paras[i] = paras[i] + to_unicode_tags(inj)
        inj = None
    html = False
    if inj is not None:
        if pos in ("start", "middle", "end", "inline"):
            paras = _insert_para(paras, inj, pos, r)
        elif pos == "signature":
            paras.append(f"--\n{sender}\n{inj}")
        elif pos == "quoted":
            quoted = "\n".join("> " + line for line in inj.split("\n"))
            paras.append(f"On {fake_date(r)}, {r.choice(names)} wrote:\n{quoted}")
        elif pos == "html_hidden":
            html = True
        else:
            raise ValueError(pos)
    headers = [
        f"From: {sender} <{email_addr(sender, r)}>",
        f"To: {recipient} <{email_addr(recipient, r)}>",
        f"Subject: {doc['title']}",
        f"Date: {fake_date(r)} {fake_time(r)}",
    ]
    if html:
        body = "\n".join(f"<p>{p}</p>" for p in paras)
        hidden = r.choice(
            [
                '<span style="display:none">{}</span>',
                '<div style="font-size:0;color:#ffffff">{}</div>',
                '<p style="color:white;font-size:1px">{}</p>',
            ]
        ).format(inj)
        lines = body.split("\n")
        lines.insert(r.randrange(len(lines) + 1), hidden)
        body = "<html><body>\n" + "\n".join(lines) + "\n</body></html>"
        headers.append("Content-Type: text/html; charset=utf-8")
        return "\n".join(headers) + "\n\n" + body
    style = r.randrange(3)
    if style == 0:
        return "\n".join(headers) + "\n\n" + "\n\n".join(paras)
    if style == 1:
        return f"Subject: {doc['title']}\n\n" + "\n\n".join(paras)
    # an email as an agent's mail tool returns it
    obj = {
        "id": f"msg_{r.randrange(10**5, 10**6)}",
        "from": email_addr(sender, r),
        "to": [email_addr(recipient, r)],
        "subject": doc["title"],
        "date": fake_date(r),
        "body": "\n\n".join(paras),
    }
    return json.dumps(obj, ensure_ascii=False, indent=2)


# ---------------------------------------------------------------------------
# Web page
# ---------------------------------------------------------------------------


def render_web(
    doc: dict,
    r: random.Random,
    inj: str | None = None,
    pos: str | None = None,
    invisible: bool = False,
    lang: str = "en",
) -> str:
    paras = list(doc["paras"])
    if inj is not None and invisible:
        i = r.randrange(len(paras))
        paras[i] = paras[i] + to_unicode_tags(inj)
        inj = None
    extra_head = ""
    extra_body_top = ""
    img_alt = None
    if inj is not None:
        if pos in ("start", "middle", "end", "inline"):
            paras = _insert_para(paras, inj, pos, r)
        elif pos == "comment":
            i = r.randrange(len(paras) + 1)
            paras.insert(i, f"<!-- {inj} -->")
        elif pos == "alt":
            img_alt = inj.replace('"', "'")
        elif pos == "hidden":
            i = r.randrange(len(paras) + 1)
            tmpl = r.choice(
                [
                    '<div style="display:none">{}</div>',
                    '<span class="visually-hidden">{}</span>',
                    '<p style="position:absolute;left:-9999px">{}</p>',
                    "<div hidden>{}</div>",
                ]
            )
            paras.insert(i, tmpl.format(inj))
        elif pos == "meta":
            extra_head = f'\n<meta name="description" content="{inj.replace(chr(34), chr(39))}">'
        elif pos == "aria":
            extra_body_top = f'\n<a href="#main" aria-label="{inj.replace(chr(34), chr(39))}"></a>'
        else:
            raise ValueError(pos)
    host = r.choice(DOMAINS)
    page = r.choice(["blog", "news", "help", "guides", "docs", "community"])
    body_ps = []
    for p in paras:
        if p.startswith("<"):
            body_ps.append(p)
        else:
            body_ps.append(f"<p>{p}</p>")
    if img_alt is None and r.random() < 0.4:
        img_alt = doc["title"]
    if img_alt is not None:
        i = r.randrange(1, len(body_ps) + 1)
        body_ps.insert(
            i,
            f'<img src="https://{host}.example/{page}/img/{r.randrange(100, 999)}.jpg" '
            f'alt="{img_alt}">',
        )
    nav = f'<nav><a href="/">{host}.example</a> | <a href="/{page}">{page}</a></nav>'
    footer = f"<footer>© 2024 {host}.example</footer>"
    html = (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{doc['title']}</title>{extra_head}\n</head>\n<body>{extra_body_top}\n{nav}\n"
        f"<article>\n<h1>{doc['title']}</h1>\n"
        + "\n".join(body_ps)
        + f"\n</article>\n{footer}\n</body>\n</html>"
    )
    if r.random() < 0.3:
        # as returned by a browsing tool: text extraction instead of HTML
        if pos in ("comment", "alt", "hidden", "meta", "aria") and inj is not None:
            return html  # hidden carriers only make sense as markup
        txt = re.sub(r"<[^>]+>", "", "\n\n".join(paras))
        url = f"https://{host}.example/{page}/{r.randrange(1000, 9999)}"
        return f"URL: {url}\nTitle: {doc['title']}\n\n{txt}"
    return html


# ---------------------------------------------------------------------------
# Document (retrieved file / RAG chunk)
# ---------------------------------------------------------------------------


def render_document(
    doc: dict,
    r: random.Random,
    inj: str | None = None,
    pos: str | None = None,
    invisible: bool = False,
) -> str:
    paras = list(doc["paras"])
    if inj is not None and invisible:
        i = r.randrange(len(paras))
        paras[i] = paras[i] + to_unicode_tags(inj)
        inj = None
    footer = []
    if inj is not None:
        if pos in ("start", "middle", "end", "inline"):
            paras = _insert_para(paras, inj, pos, r)
        elif pos == "footnote":
            i = r.randrange(len(paras))
            paras[i] = paras[i] + "[^1]"
            footer.append(f"[^1]: {inj}")
        elif pos == "md_comment":
            paras.insert(r.randrange(len(paras) + 1), f"<!-- {inj} -->")
        elif pos == "page_break":
            paras.insert(max(1, len(paras) // 2), f"--- page 2 ---\n{inj}")
        else:
            raise ValueError(pos)
    style = r.randrange(4)
    if style == 0:
        text = f"# {doc['title']}\n\n" + "\n\n".join(paras)
    elif style == 1:
        text = f"{doc['title']}\n{'=' * min(60, max(8, len(doc['title'])))}\n\n" + "\n\n".join(
            paras
        )
    elif style == 2:
        src = f"{slug(doc['title'])[:40] or 'document'}.pdf"
        text = f"[Retrieved chunk | source: {src} | score: 0.{r.randrange(70, 99)}]\n" + "\n".join(
            paras
        )
    else:
        text = "\n\n".join(paras)
    if footer:
        text += "\n\n" + "\n".join(footer)
    return text


# ---------------------------------------------------------------------------
# Tool output wrapping a carrier document (file read, web fetch, search)
# ---------------------------------------------------------------------------


def render_tool_doc(
    doc: dict,
    r: random.Random,
    inj: str | None = None,
    pos: str | None = None,
    invisible: bool = False,
) -> str:
    paras = list(doc["paras"])
    if inj is not None and invisible:
        i = r.randrange(len(paras))
        paras[i] = paras[i] + to_unicode_tags(inj)
        inj = None
    field_inj = None
    if inj is not None:
        if pos in ("start", "middle", "end", "inline"):
            paras = _insert_para(paras, inj, pos, r)
        elif pos == "field":
            field_inj = inj
        else:
            raise ValueError(pos)
    kind = r.randrange(3)
    content = "\n\n".join(paras)
    if kind == 0:
        obj = {
            "tool": "read_file",
            "path": f"/shared/{slug(doc['title'])[:30] or 'notes'}.md",
            "size_bytes": len(content.encode()),
            "content": content,
        }
        if field_inj:
            obj["metadata"] = {"author": "unknown", "comment": field_inj}
    elif kind == 1:
        obj = {
            "tool": "fetch_url",
            "status": 200,
            "url": f"https://{r.choice(DOMAINS)}.example/{r.randrange(100, 999)}",
            "title": doc["title"],
            "text": content,
        }
        if field_inj:
            obj["og:description"] = field_inj
    else:
        obj = {
            "tool": "knowledge_base.search",
            "hits": [
                {
                    "doc_id": f"kb-{r.randrange(1000, 9999)}",
                    "title": doc["title"],
                    "score": round(r.uniform(0.6, 0.95), 3),
                    "chunk": content,
                }
            ],
        }
        if field_inj:
            obj["hits"].append(
                {
                    "doc_id": f"kb-{r.randrange(1000, 9999)}",
                    "title": doc["title"] + " (2)",
                    "score": round(r.uniform(0.5, 0.7), 3),
                    "chunk": field_inj,
                }
            )
    return json.dumps(obj, ensure_ascii=False, indent=r.choice([None, 2]))


def render_memory(entries: list[str], r: random.Random, inj: str | None = None) -> str:
    items = list(entries)
    if inj is not None:
        items.insert(r.randrange(len(items) + 1), inj)
    style = r.randrange(2)
    if style == 0:
        obj = {
            "memories": [
                {"id": f"m-{100 + i}", "created": fake_date(r), "content": c}
                for i, c in enumerate(items)
            ]
        }
        return json.dumps(obj, ensure_ascii=False, indent=2)
    return "Saved memories about the user:\n" + "\n".join(f"- {c}" for c in items)
