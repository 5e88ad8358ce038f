"""Charts as inline SVG, drawn on the server: no script, no library, no CDN, and they print.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that says in words what
it shows; the page also has every number in a table. Colours come from classes styled in
app.css (so print can make them black and white), never from inline styles (the CSP forbids
them). The drawing is 340 units wide: full width on a phone (text stays about 11px), capped on
a desktop, where two charts stand side by side.
"""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH = 340
NAME_CHARS = 10  # longer department names are cut (the table has them whole)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x, y, content, cls="", anchor="start") -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" class="{cls}" text-anchor="{anchor}">'
        f"{escape(content)}</text>"
    )


def _svg(chart_id: str, height: float, title: str, desc: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" id="{chart_id}" viewBox="0 0 {WIDTH} {_n(height)}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"


def text_width(text: str, size: float = 12) -> float:
    """About how wide ``text`` is drawn at ``size`` units: a Chinese character is square, a
    Latin letter or digit a little over half as wide (the legend is laid out from it)."""
    return sum(size if ord(c) > 0x2E7F else size * 0.62 for c in text)


def nice_ceiling(value: int) -> int:
    """The axis maximum: ``value`` rounded up to 1, 2 or 5 times a power of ten (7 → 10,
    11 → 20, 482 → 500), so the gridlines fall on round numbers."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if value <= step * factor:
                return step * factor
        step *= 10


def department_bars(rows, title: str, desc: str, value_text) -> Markup:
    """One horizontal bar per department: published this year, with its target as a mark.
    ``rows``: (name, published, target or None); ``value_text(published, target)`` is the
    label at the bar's end ("482 / 300（160.67%）")."""
    row_height, bar_height, top = 40, 12, 6
    scale = max([1] + [max(p, t or 0) for _, p, t in rows])
    usable = WIDTH - 4
    body = []
    for i, (name, published, target) in enumerate(rows):
        y = top + i * row_height
        body.append(_text(0, y + 12, _short(name), "chart-label"))
        body.append(_text(WIDTH, y + 12, value_text(published, target), "chart-value", "end"))
        bar_y = y + 18
        body.append(
            f'<rect class="chart-track" x="0" y="{bar_y}" width="{usable}" height="{bar_height}"/>'
        )
        reached = target is not None and published >= target
        if published:
            width = max(1.5, usable * published / scale)
            body.append(
                f'<rect class="chart-bar{" reached" if reached else ""}" x="0" '
                f'y="{bar_y}" width="{_n(width)}" height="{bar_height}"/>'
            )
        if target:
            x = usable * target / scale
            body.append(
                f'<line class="chart-target" x1="{_n(x)}" x2="{_n(x)}" '
                f'y1="{bar_y - 4}" y2="{bar_y + bar_height + 4}"/>'
            )
    return _svg("chart-departments", top + len(rows) * row_height + 4, title, desc, body)


def monthly_trend(months, title: str, desc: str, legend: tuple[str, str]) -> Markup:
    """Two bars per month: submitted (light) and published (dark), the published count above.
    ``months``: (label, submitted, published), oldest first."""
    height, left, right, top, bottom = 210, 28, 4, 30, 176
    peak = nice_ceiling(max([1] + [max(s, p) for _, s, p in months]))
    scale = (bottom - top) / peak
    slot = (WIDTH - left - right) / max(1, len(months))
    bar = min(12.0, slot / 2 - 2)
    second = left + 14 + text_width(legend[0]) + 16  # after the first entry, whatever its length
    body = [
        f'<rect class="chart-bar submitted" x="{left}" y="4" width="10" height="10"/>',
        _text(left + 14, 13, legend[0], "chart-label"),
        f'<rect class="chart-bar" x="{_n(second)}" y="4" width="10" height="10"/>',
        _text(second + 14, 13, legend[1], "chart-label"),
    ]
    for fraction in (0, 0.5, 1) if peak % 2 == 0 else (0, 1):
        y = bottom - fraction * (bottom - top)
        body.append(
            f'<line class="chart-grid" x1="{left}" x2="{WIDTH - right}" y1="{_n(y)}" y2="{_n(y)}"/>'
        )
        body.append(_text(left - 4, y + 3.5, _n(peak * fraction), "chart-axis", "end"))
    for i, (label, submitted, published) in enumerate(months):
        x = left + i * slot + (slot - 2 * bar - 2) / 2
        for offset, value, cls in (
            (0, submitted, "chart-bar submitted"),
            (bar + 2, published, "chart-bar"),
        ):
            if value:
                h = max(1.0, value * scale)
                body.append(
                    f'<rect class="{cls}" x="{_n(x + offset)}" y="{_n(bottom - h)}" '
                    f'width="{_n(bar)}" height="{_n(h)}"/>'
                )
        if published:
            body.append(
                _text(
                    x + bar + 2 + bar / 2,
                    bottom - published * scale - 3,
                    str(published),
                    "chart-axis",
                    "middle",
                )
            )
        body.append(_text(left + i * slot + slot / 2, bottom + 14, label, "chart-axis", "middle"))
    return _svg("chart-trend", height, title, desc, body)
