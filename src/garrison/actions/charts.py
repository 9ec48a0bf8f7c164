"""Charts for the HTML report as inline SVG: no script, no fonts or styles fetched, so a report
opens the same offline, in a mail client, or as a file attached to a ticket.

Every label goes through ``markupsafe.escape``; the returned markup is safe to embed as is.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

FONT = 'font-family="sans-serif" font-size="11"'


def _label(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def columns(
    labels: Sequence[str], series: Sequence[tuple[str, Sequence[int], str]], height: int = 180
) -> Markup:
    """Grouped columns per label (e.g. alerts and incidents per day), with a legend."""
    n, k = len(labels), max(1, len(series))
    top = max([1, *(v for _, values, _ in series for v in values)])
    slot = max(18, min(60, 720 // max(1, n)))
    bar = max(3, (slot - 4) // k)
    width = 40 + n * slot
    plot = height - 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">',
        f'<text x="0" y="12" {FONT}>{top}</text>',
        f'<line x1="36" y1="{plot + 10}" x2="{width}" y2="{plot + 10}" stroke="#999"/>',
    ]
    for i, label in enumerate(labels):
        x0 = 40 + i * slot
        for j, (name, values, color) in enumerate(series):
            v = values[i] if i < len(values) else 0
            h = round(plot * v / top)
            parts.append(
                f'<rect x="{x0 + j * bar}" y="{plot + 10 - h}" width="{bar - 1}" height="{h}" '
                f'fill="{escape(color)}"><title>{escape(label)} {escape(name)}: {v}</title></rect>'
            )
        if n <= 31 or i % max(1, n // 15) == 0:
            parts.append(f'<text x="{x0}" y="{plot + 24}" {FONT}>{escape(label)}</text>')
    for j, (name, _, color) in enumerate(series):
        x = 40 + j * 90
        parts.append(
            f'<rect x="{x}" y="{height - 10}" width="10" height="10" fill="{escape(color)}"/>'
        )
        parts.append(f'<text x="{x + 14}" y="{height - 1}" {FONT}>{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bars(items: Sequence[tuple[str, int]], width: int = 640, color: str = "#d9534f") -> Markup:
    """Horizontal bars with their labels and values; an empty list draws nothing."""
    if not items:
        return Markup("")
    top = max(1, *(v for _, v in items))
    row, label_w = 20, 300
    height = row * len(items) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
    ]
    for i, (label, v) in enumerate(items):
        y = i * row + 2
        w = round((width - label_w - 50) * v / top)
        parts.append(f'<text x="0" y="{y + 13}" {FONT}>{escape(_label(label))}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{w}" height="{row - 6}" '
            f'fill="{escape(color)}"/>'
        )
        parts.append(f'<text x="{label_w + w + 4}" y="{y + 13}" {FONT}>{v}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def sparkline(values: Sequence[int], width: int = 120, height: int = 20) -> Markup:
    if not values:
        return Markup("")
    top = max(1, *values)
    step = width / max(1, len(values) - 1)
    points = " ".join(
        f"{round(i * step, 1)},{round(height - 2 - (height - 4) * v / top, 1)}"
        for i, v in enumerate(values)
    )
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><polyline fill="none" stroke="#d9534f" '
        f'stroke-width="1.5" points="{points}"/></svg>'
    )
