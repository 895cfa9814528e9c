"""Render a report snapshot as one standalone HTML document: inline styles, tables, and charts as inline SVG (no
JavaScript, no external file), so the file opens the same anywhere, for ever. Reads only the snapshot."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#2f6db3", "#e0893a", "#3c9a5f", "#b3433f", "#7a5bb0", "#8a8a8a"]


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def chart_svg(chart: dict[str, Any], *, width: int = 760, height: int = 300) -> SafeString:
    """A grouped bar chart (or a line chart) of `chart`'s series, with axis, values and legend, as SVG."""
    labels = [str(label) for label in chart.get("labels", [])]
    series = chart.get("series", [])
    values = [v for s in series for v in s["values"] if isinstance(v, int | float)]
    top = max([*values, 0]) or 1
    left, right, head, foot = 50, 10, 30, 70
    plot_w, plot_h = width - left - right, height - head - foot
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(chart.get("title", ""))}" class="chart">',
        f'<line x1="{left}" y1="{head + plot_h}" x2="{width - right}" y2="{head + plot_h}" stroke="#999"/>',
        f'<text x="{left - 6}" y="{head + 4}" text-anchor="end" font-size="10">{escape(_fmt(top))}</text>',
        f'<text x="{left - 6}" y="{head + plot_h}" text-anchor="end" font-size="10">0</text>',
    ]
    if labels:
        band = plot_w / len(labels)
        if chart.get("type") == "line":
            for index, s in enumerate(series):
                colour = PALETTE[index % len(PALETTE)]
                points = [
                    (left + band * (i + 0.5), head + plot_h - (v / top) * plot_h)
                    for i, v in enumerate(s["values"])
                    if isinstance(v, int | float)
                ]
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
                parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
                parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in points)
        else:
            bar = band * 0.8 / max(len(series), 1)
            for index, s in enumerate(series):
                colour = PALETTE[index % len(PALETTE)]
                for i, v in enumerate(s["values"]):
                    if not isinstance(v, int | float):
                        continue
                    h = (v / top) * plot_h
                    x = left + band * i + band * 0.1 + bar * index
                    y = head + plot_h - h
                    parts.append(
                        f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}">'
                        f"<title>{escape(s['name'])}: {escape(_fmt(v))}</title></rect>"
                    )
                    parts.append(
                        f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="9">'
                        f"{escape(_fmt(v))}</text>"
                    )
        for i, label in enumerate(labels):
            x = left + band * (i + 0.5)
            short = label if len(label) <= 14 else label[:13] + "…"
            parts.append(
                f'<text x="{x:.1f}" y="{head + plot_h + 14}" text-anchor="end" font-size="10" '
                f'transform="rotate(-25 {x:.1f} {head + plot_h + 14})">{escape(short)}</text>'
            )
    for index, s in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        x = left + index * 140
        parts.append(f'<rect x="{x}" y="8" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="17" font-size="11">{escape(s["name"])}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def render_html(snapshot: dict[str, Any]) -> str:
    """The complete HTML document of `snapshot` (REPORT_SNAPSHOT.md)."""
    sections = []
    for section in snapshot["sections"]:
        numeric = section.get("numeric") or [False] * len(section["columns"])
        rows = [
            [
                {"text": _fmt(cell), "numeric": numeric[i] and isinstance(cell, int | float)}
                for i, cell in enumerate(row)
            ]
            for row in section["rows"]
        ]
        sections.append(
            {
                "key": section["key"],
                "title": section["title"],
                "paragraphs": section.get("paragraphs", []),
                "columns": [{"text": c, "numeric": numeric[i]} for i, c in enumerate(section["columns"])],
                "rows": rows,
                "chart": chart_svg(section["chart"]) if section.get("chart") else None,
                "chart_title": (section.get("chart") or {}).get("title", ""),
            }
        )
    return render_to_string(
        "targets/reporting/report.html",
        {"snapshot": snapshot, "sections": sections, "lang": "en" if snapshot["language"] == "en" else "zh-CN"},
    )
