"""Programmatic tool outputs (JSON API responses, logs, search results, chat history,
calendars, reviews, CRM records, DB rows) filled with hand-written per-language
snippets.  An injection, when given, replaces or extends exactly one text field."""

from __future__ import annotations

import json
import random

from wrappers import DOMAINS, email_addr, fake_date, fake_time, slug

KINDS = ["search", "inbox", "calendar", "chat", "reviews", "crm", "logs", "db", "ticket", "files"]


def _pick(pool: list[str], r: random.Random, k: int) -> list[str]:
    k = min(k, len(pool))
    return r.sample(pool, k)


def _inject(
    texts: list[str], inj: str | None, r: random.Random, mode: str
) -> tuple[list[str], int]:
    """Return texts with one of them carrying the injection and its index (-1 if none)."""
    if inj is None:
        return texts, -1
    i = {"first": 0, "last": len(texts) - 1}.get(mode, r.randrange(len(texts)))
    how = r.randrange(3)
    if how == 0:
        texts[i] = inj
    elif how == 1:
        texts[i] = texts[i] + " " + inj
    else:
        texts[i] = inj + " " + texts[i]
    return texts, i


def tool_output(kind: str, pools: dict, r: random.Random, inj: str | None = None) -> str:
    snippets = pools["snippets"]
    titles = pools["titles"]
    names = pools["names"]
    mode = r.choice(["first", "middle", "last"])
    if kind == "search":
        n = r.randrange(3, 6)
        ts = _pick(titles, r, n)
        ss, _ = _inject(_pick(snippets, r, len(ts)), inj, r, mode)
        res = [
            {
                "title": t,
                "url": (
                    f"https://{r.choice(DOMAINS)}.example/{slug(t)[:24] or 'page'}"
                    f"-{r.randrange(10, 99)}"
                ),
                "snippet": s,
            }
            for t, s in zip(ts, ss, strict=False)
        ]
        obj = {"query": r.choice(titles), "results": res, "total": r.randrange(100, 90000)}
    elif kind == "inbox":
        n = r.randrange(3, 6)
        ss, _ = _inject(_pick(snippets, r, n), inj, r, mode)
        ts = [r.choice(titles) for _ in ss]
        obj = {
            "emails": [
                {
                    "id": f"msg-{r.randrange(1000, 9999)}",
                    "from": email_addr(r.choice(names), r),
                    "subject": t,
                    "preview": s,
                    "received": f"{fake_date(r)}T{fake_time(r)}:00Z",
                    "unread": r.random() < 0.5,
                }
                for t, s in zip(ts, ss, strict=False)
            ]
        }
    elif kind == "calendar":
        n = r.randrange(2, 5)
        ss, _ = _inject(_pick(snippets, r, n), inj, r, mode)
        obj = {
            "events": [
                {
                    "title": r.choice(titles),
                    "start": f"{fake_date(r)}T{fake_time(r)}",
                    "duration_min": r.choice([15, 30, 45, 60, 90]),
                    "organizer": email_addr(r.choice(names), r),
                    "description": s,
                }
                for s in ss
            ]
        }
    elif kind == "chat":
        n = r.randrange(3, 7)
        ss, _ = _inject(_pick(snippets, r, n), inj, r, mode)
        obj = {
            "channel": r.choice(["#general", "#team", "#support", "#random", "#project"]),
            "messages": [{"user": r.choice(names), "ts": f"{fake_time(r)}", "text": s} for s in ss],
        }
    elif kind == "reviews":
        n = r.randrange(3, 6)
        ss, _ = _inject(_pick(snippets, r, n), inj, r, mode)
        obj = {
            "product_id": f"SKU-{r.randrange(10000, 99999)}",
            "average_rating": round(r.uniform(3.0, 4.9), 1),
            "reviews": [
                {"author": r.choice(names).split()[0], "rating": r.randrange(2, 6), "text": s}
                for s in ss
            ],
        }
    elif kind == "crm":
        ss, _ = _inject(_pick(snippets, r, r.randrange(2, 4)), inj, r, mode)
        name = r.choice(names)
        obj = {
            "customer": {
                "id": f"C-{r.randrange(10000, 99999)}",
                "name": name,
                "email": email_addr(name, r),
                "tier": r.choice(["basic", "plus", "enterprise"]),
                "notes": [{"date": fake_date(r), "text": s} for s in ss],
            }
        }
    elif kind == "logs":
        n = r.randrange(4, 8)
        ss, _ = _inject(_pick(snippets, r, n), inj, r, mode)
        lines = []
        for s in ss:
            lvl = r.choice(["INFO", "INFO", "INFO", "WARN", "DEBUG"])
            svc = r.choice(["feedback-api", "ticket-svc", "form-handler", "comments", "notify"])
            s = s.replace('"', "'")
            lines.append(
                f"{fake_date(r)}T{fake_time(r)}:{r.randrange(10, 59)}Z {lvl:5} {svc} "
                f'req={r.randrange(10**5, 10**6):x} msg="{s}"'
            )
        return "\n".join(lines)
    elif kind == "db":
        n = r.randrange(3, 6)
        ss, _ = _inject(_pick(snippets, r, n), inj, r, mode)
        obj = {
            "query": f"SELECT id, author, body FROM comments ORDER BY created_at DESC LIMIT {n}",
            "columns": ["id", "author", "body"],
            "rows": [[r.randrange(100, 999), r.choice(names), s] for s in ss],
        }
    elif kind == "ticket":
        ss, _ = _inject(_pick(snippets, r, r.randrange(2, 4)), inj, r, mode)
        obj = {
            "ticket": {
                "id": f"T-{r.randrange(1000, 9999)}",
                "subject": r.choice(titles),
                "status": r.choice(["open", "pending", "solved"]),
                "comments": [{"author": r.choice(names), "body": s} for s in ss],
            }
        }
    elif kind == "files":
        ss, _ = _inject(_pick(snippets, r, r.randrange(3, 5)), inj, r, mode)
        obj = {
            "directory": f"/home/{slug(r.choice(names)).split('.')[0]}/notes",
            "files": [
                {"name": f"note-{i + 1}.txt", "modified": fake_date(r), "preview": s}
                for i, s in enumerate(ss)
            ],
        }
    else:
        raise ValueError(kind)
    return json.dumps(obj, ensure_ascii=False, indent=r.choice([None, 2]))
