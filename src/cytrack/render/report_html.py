"""The weekly report as one self-contained HTML page with charts (contract §9).

- One file: the CSS is inline, the charts are inline SVG drawn here (a handful of rectangles
  need no chart library), there is no script, no web font, no image and no link.  A
  Content-Security-Policy of ``default-src 'none'`` makes the browser refuse any request the
  page might still make.
- The report is the same blocks as the text and Word forms (``weekly_blocks(..., tables=True)``);
  the charts add lights and statuses by lead unit, closings per week over the last twelve weeks,
  and part 三 lists what is overdue.
- Jinja2 renders the page with autoescaping on, so every string from the ledger is escaped; the
  SVG built here escapes its text itself and enters the template as ``Markup``.
- Reads at 1280 px (two chart columns) and at 390 px (one column, tables scroll sideways inside
  their box); ``@media print`` lays it out on A4 with colours kept.

Jinja2 is imported here only, so other commands never load it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any, NamedTuple

from jinja2 import Environment
from markupsafe import Markup

from cytrack.core.reports import Charts, Weekly
from cytrack.core.state import LIGHTS
from cytrack.i18n import format_date, report_word, status_name
from cytrack.ledger.model import STATUS_VALUES
from cytrack.render.report_text import Block
from cytrack.textsafe import one_line

LIGHT_KEYS = (*LIGHTS, "none")


class Segment(NamedTuple):
    css: str  # the colour class
    name: str
    count: int


class BarRow(NamedTuple):
    label: str
    svg: Markup
    total: int


class BarChart(NamedTuple):
    caption: str
    legend: list[tuple[str, str]]  # (colour class, name)
    rows: list[BarRow]


CSS = """
:root { --ink: #1f1f1f; --muted: #5f6368; --rule: #d0d4da; --paper: #ffffff; --head: #eef2f8; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #f5f6f8; color: var(--ink);
  font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
  system-ui, sans-serif; font-size: 16px; line-height: 1.7; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 40px; background: var(--paper); }
header { text-align: center; border-bottom: 3px solid #c00000; padding-bottom: 12px; margin-bottom: 20px; }
h1 { font-size: 26px; line-height: 1.4; margin: 8px 0 4px; }
.period { color: var(--muted); margin: 0; }
h2 { font-size: 20px; margin: 28px 0 8px; }
h3 { font-size: 17px; margin: 16px 0 6px; font-weight: 600; }
h4 { font-size: 16px; margin: 12px 0 4px; font-weight: 600; }
p.line { margin: 4px 0 4px 1em; }
p, li { overflow-wrap: anywhere; }
ol { padding-left: 1.8em; margin: 6px 0; }
li { margin: 4px 0; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 16px 28px; }
figure.chart { margin: 0; padding: 12px 14px; border: 1px solid var(--rule); border-radius: 6px; break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 6px; }
.legend { list-style: none; padding: 0; margin: 0 0 8px; display: flex; flex-wrap: wrap; gap: 4px 14px;
  font-size: 13px; color: var(--muted); }
.legend li { margin: 0; }
.swatch { display: inline-block; width: 11px; height: 11px; margin-right: 4px; vertical-align: -1px;
  border-radius: 2px; }
.bar-row { display: grid; grid-template-columns: minmax(6em, 9.5em) 1fr 2.2em; align-items: center; gap: 8px;
  font-size: 14px; line-height: 1.3; margin: 5px 0; }
.bar-label { overflow-wrap: anywhere; }
.bar-total { text-align: right; color: var(--muted); font-variant-numeric: tabular-nums; }
svg.bar { display: block; width: 100%; height: 16px; }
svg.weeks { display: block; width: 100%; max-width: 600px; height: auto; }
svg.weeks text { font-size: 10px; fill: var(--muted); }
svg.weeks text.n { fill: var(--ink); }
.wide { grid-column: 1 / -1; }
.table-box { overflow-x: auto; margin: 8px 0; }
table { border-collapse: collapse; width: 100%; font-size: 15px; line-height: 1.5; }
th, td { border: 1px solid var(--rule); padding: 5px 8px; vertical-align: top; text-align: left; }
th { background: var(--head); white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.nowrap { white-space: nowrap; }
footer { margin-top: 32px; color: var(--muted); font-size: 13px; text-align: center; }
.c-red { background: #c00000; fill: #c00000; }
.c-yellow { background: #f2b800; fill: #f2b800; }
.c-blue { background: #2f75b5; fill: #2f75b5; }
.c-none { background: #d9d9d9; fill: #d9d9d9; }
.c-not_started { background: #bfbfbf; fill: #bfbfbf; }
.c-in_progress { background: #5b9bd5; fill: #5b9bd5; }
.c-blocked { background: #e46c0a; fill: #e46c0a; }
.c-done { background: #70ad47; fill: #70ad47; }
.c-dropped { background: #7f7f7f; fill: #7f7f7f; }
.c-week { fill: #2f75b5; }
@media (max-width: 760px) {
  main { padding: 14px 14px 28px; }
  h1 { font-size: 21px; }
  h2 { font-size: 18px; }
  .charts { grid-template-columns: 1fr; }
  .bar-row { grid-template-columns: 6.5em 1fr 2em; font-size: 13px; }
  /* Tables become one card per row, each cell with its column name. */
  table, thead, tbody, tr, td { display: block; width: 100%; }
  thead { display: none; }
  tr { border: 1px solid var(--rule); border-radius: 6px; margin: 8px 0; padding: 6px 10px; }
  td, td.num, td.nowrap { border: none; padding: 1px 0; white-space: normal; text-align: left; }
  td::before { content: attr(data-label) "："; color: var(--muted); }
  td:first-child { display: none; }
}
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { background: #fff; font-size: 12pt; }
  main { max-width: none; padding: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .charts { grid-template-columns: 1fr 1fr; }
  .table-box { overflow: visible; }
  table { display: table; } thead { display: table-header-group; } tbody { display: table-row-group; }
  tr { display: table-row; } td { display: table-cell; } td::before { content: none; }
  h2, h3 { break-after: avoid; }
  tr, li, figure.chart { break-inside: avoid; }
}
"""

TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="cytrack">
<title>{{ title }}</title>
<style>{{ css }}</style>
</head>
<body>
<main>
<header>
<h1>{{ title }}</h1>
{% if subtitle %}<p class="period">{{ subtitle }}</p>{% endif %}
</header>
<section class="charts" aria-label="{{ charts_label }}">
{% for chart in bar_charts %}
<figure class="chart">
<figcaption>{{ chart.caption }}</figcaption>
<ul class="legend">{% for css, name in chart.legend %}<li><span class="swatch {{ css }}"></span>{{ name }}</li>{% endfor %}</ul>
{% for row in chart.rows %}
<div class="bar-row"><span class="bar-label">{{ row.label }}</span>{{ row.svg }}<span class="bar-total">{{ row.total }}</span></div>
{% endfor %}
</figure>
{% endfor %}
<figure class="chart wide">
<figcaption>{{ weeks_caption }}</figcaption>
{{ weeks_svg }}
</figure>
</section>
<article>
{% for kind, content in blocks %}
{% if kind == "part" %}<h2>{{ content }}</h2>
{% elif kind == "section" %}<h3>{{ content }}</h3>
{% elif kind == "subsection" %}<h4>{{ content }}</h4>
{% elif kind == "lines" %}{% for item in content %}<p class="line">{{ item }}</p>{% endfor %}
{% elif kind == "items" %}<ol>{% for item in content %}<li>{{ item }}</li>{% endfor %}</ol>
{% elif kind == "table" %}<div class="table-box"><table>
<thead><tr>{% for h in content.headers %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in content.rows %}<tr>{% for cell in row %}<td class="{{ 'num' if content.numeric[loop.index0] else ('nowrap' if loop.index0 in (1, 4) else '') }}" data-label="{{ content.headers[loop.index0] }}">{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table></div>
{% else %}<p>{{ content }}</p>
{% endif %}
{% endfor %}
</article>
<footer>{{ generated }}</footer>
</main>
</body>
</html>
"""  # noqa: E501 (the template's lines are the page's markup: breaking them would change the HTML written)


def _bar_svg(segments: Sequence[Segment], scale: int, label: str) -> Markup:
    """One horizontal stacked bar; ``scale`` is the largest total, so bars compare across rows."""
    x = 0
    rects = []
    for seg in segments:
        if seg.count:
            rects.append(
                f'<rect class="{seg.css}" x="{x}" y="0" width="{seg.count}" height="1">'
                f"<title>{escape(seg.name)} {seg.count}</title></rect>"
            )
            x += seg.count
    return Markup(
        f'<svg class="bar" viewBox="0 0 {max(1, scale)} 1" preserveAspectRatio="none" role="img" '
        f'aria-label="{escape(label)}">{"".join(rects)}</svg>'
    )


def _lead_name(lead: str, lang: str) -> str:
    return one_line(lead).strip() or report_word(lang, "no_lead")


def _bar_chart(
    caption: str, legend: list[tuple[str, str]], rows: list[tuple[str, list[Segment]]], lang: str
) -> BarChart:
    scale = max((sum(s.count for s in segs) for _, segs in rows), default=1)
    joiner = report_word(lang, "list_joiner")
    out = []
    for name, segs in rows:
        parts = joiner.join(report_word(lang, "status_count", name=s.name, n=s.count) for s in segs if s.count)
        label = report_word(lang, "chart_bar_label", lead=name, parts=parts)
        out.append(BarRow(name, _bar_svg(segs, scale, label), sum(s.count for s in segs)))
    return BarChart(caption, legend, out)


def _weeks_svg(charts: Charts, lang: str) -> Markup:
    """Vertical bars of closings per week, the count above each bar and the week's Monday below."""
    weeks = charts.weeks
    top = max((w.closed for w in weeks), default=0) or 1
    step, bar, height, base = 30, 20, 120, 96
    parts = []
    for i, w in enumerate(weeks):
        x = 8 + i * step
        h = round(72 * w.closed / top) if w.closed else 0
        day = report_word(lang, "chart_week", month=w.start.month, day=w.start.day)
        title = escape(report_word(lang, "chart_closed_label", week=day, n=w.closed))
        if h:
            box = f'x="{x}" y="{base - h}" width="{bar}" height="{h}"'
            parts.append(f'<rect class="c-week" {box}><title>{title}</title></rect>')
        parts.append(f'<text class="n" x="{x + bar / 2}" y="{base - h - 4}" text-anchor="middle">{w.closed}</text>')
        parts.append(f'<text x="{x + bar / 2}" y="{base + 14}" text-anchor="middle">{escape(day)}</text>')
    parts.append(f'<line x1="4" y1="{base}" x2="{8 + len(weeks) * step}" y2="{base}" stroke="#999" stroke-width="1"/>')
    width = 12 + len(weeks) * step
    label = escape(report_word(lang, "chart_closed", n=len(weeks)))
    return Markup(
        f'<svg class="weeks" viewBox="0 0 {width} {height}" role="img" aria-label="{label}">{"".join(parts)}</svg>'
    )


def _light_name(lang: str, key: str) -> str:
    return report_word(lang, f"light_{key}")


def bar_charts(charts: Charts, lang: str) -> list[BarChart]:
    """Lights by lead unit, then statuses by lead unit."""
    light_rows = []
    status_rows = []
    for lead in charts.leads:
        name = _lead_name(lead.lead, lang)
        light_rows.append((name, [
            Segment(f"c-{k}", _light_name(lang, k), lead.by_light[None if k == "none" else k]) for k in LIGHT_KEYS
        ]))
        status_rows.append((name, [Segment(f"c-{v}", status_name(lang, v), lead.by_status[v]) for v in STATUS_VALUES]))
    return [
        _bar_chart(report_word(lang, "chart_lights"), [(f"c-{k}", _light_name(lang, k)) for k in LIGHT_KEYS],
                   light_rows, lang),
        _bar_chart(report_word(lang, "chart_statuses"), [(f"c-{v}", status_name(lang, v)) for v in STATUS_VALUES],
                   status_rows, lang),
    ]


def weekly_html(blocks: Sequence[Block], weekly: Weekly, charts: Charts, lang: str) -> str:
    """The page: title and period, the charts, then the report's parts."""
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = env.from_string(TEMPLATE)
    title = next((str(c) for k, c in blocks if k == "title"), "")
    subtitle = next((str(c) for k, c in blocks if k == "subtitle"), "")
    body = [(k, c) for k, c in blocks if k not in ("title", "subtitle")]
    context: dict[str, Any] = {
        "lang": report_word(lang, "html_lang"),
        "title": title,
        "subtitle": subtitle,
        "css": Markup(CSS),
        "charts_label": report_word(lang, "charts"),
        "bar_charts": bar_charts(charts, lang),
        "weeks_caption": report_word(lang, "chart_closed", n=len(charts.weeks)),
        "weeks_svg": _weeks_svg(charts, lang),
        "blocks": body,
        "generated": report_word(lang, "generated", date=format_date(lang, weekly.end)),
    }
    return template.render(**context)
