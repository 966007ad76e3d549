"""Text alternatives of the charts (#22, WCAG 1.1.1): a one-line summary (the chart's aria-label) and
the chart's data as a table ("Lihat data"), both read from the figure itself: the numbers the chart
draws, so the words can never disagree with the picture, and every chart of every page has them.

What is read: bars (categories and values, either orientation), lines and points (months or x values
and y), heat maps (row × column cells), radar lines (axes and values), and map labels (names and the
value in `customdata`). Left out: what carries no data of its own (traces without hover, filled
boundary shapes, the transparent 'no data' placeholders), which the title or another trace says.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from metrics.core import formatting
from metrics.core import periode as per
from metrics.core.bahasa import t

MAX_SERIES = 4  # series named in the one-line summary; the table holds them all
_TAG = re.compile(r"<[^>]+>")


@dataclass
class Seri:
    """One series as drawn: its name, point labels and values (None = no value)."""

    name: str
    labels: list[str]
    values: list[float | None]
    shown: list[str]  # each value as the chart writes it (its bar label), else formatted here
    over_time: bool = False  # labels are months in order: summarised first → last


def _seri(name: str, labels: list[str], values: list, text=None, over_time: bool = False,
          numbers: bool = True) -> Seri:
    """A Seri; `text`, when one per point, is what the chart writes at each point (used as shown);
    `numbers=False` when the y values only place the text (zone markers), not measure anything."""
    values = [_number(v) for v in values] if numbers else [None] * len(labels)
    written = list(text) if text is not None and not isinstance(text, str) and len(text) == len(labels) else None
    shown = [plain(w) if w is not None and plain(w) else formatting.MISSING if v is None else _format(v)
             for w, v in zip(written or [None] * len(labels), values, strict=True)]
    return Seri(name, labels, values, shown, over_time)


def _format(value: float) -> str:
    return formatting.angka(value, 0 if float(value).is_integer() else 1)


def plain(text) -> str:
    """Plotly text as plain words: '<br>' and '·' separate, tags and entities go."""
    text = re.sub(r"(?i)<br\s*/?>", " · ", str(text or ""))
    text = _TAG.sub("", text).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    return re.sub(r"\s+", " ", text).strip(" ·")


def title(fig: go.Figure) -> str:
    return plain(fig.layout.title.text)


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(number) else number


def _value_axis(fig: go.Figure, trace) -> str:
    """The title of the axis that carries an unnamed trace's values."""
    name = (trace.xaxis or "x") if getattr(trace, "orientation", None) == "h" else (trace.yaxis or "y")
    axis = _axis(fig, name)
    return plain(axis.title.text) if axis is not None and axis.title is not None else ""


def _axis(fig: go.Figure, name: str):
    """The layout axis a trace refers to ('x2' -> layout.xaxis2)."""
    return fig.layout[f"{name[0]}axis{name[1:]}"] if name else None


def _month(value, axis=None) -> int | None:
    """The month index a point's x stands for: a date, or a month index on an axis labelled with months (Tren)."""
    if isinstance(value, (pd.Timestamp, dt.date, np.datetime64)) or (
            isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}( .*)?", value)):
        return per.from_date(pd.Timestamp(value).date())
    number = None if isinstance(value, str) else _number(value)
    if number is not None and axis is not None and axis.ticktext and number.is_integer() and number >= 1900 * 12:
        return int(number)
    return None


def _label(value, axis=None) -> str:
    """A point's label: a month for dates and month indices, else the value as written."""
    month = _month(value, axis)
    if month is not None:
        return formatting.bulan(month)
    if isinstance(value, (list, tuple)):
        return " · ".join(plain(v) for v in value)
    number = None if isinstance(value, str) else _number(value)
    return _format(number) if number is not None else plain(value)


def _categories(values) -> list:
    """Bar categories; a two-level axis (pillar, indicator) comes as two parallel lists."""
    values = list(values if values is not None else [])
    if len(values) == 2 and all(isinstance(v, (list, tuple, np.ndarray)) for v in values):
        return [(a, b) for a, b in zip(*values, strict=True)]
    return values


def _transparent(trace) -> bool:
    colour = getattr(getattr(trace, "marker", None), "color", None)
    return isinstance(colour, str) and colour.replace(" ", "") == "rgba(0,0,0,0)"


def _one_colour(trace) -> bool:
    """A heat map painted in one colour marks where data is missing; it has no values of its own."""
    scale = trace.colorscale
    return bool(scale) and len({step[1] for step in scale}) == 1


def series(fig: go.Figure) -> list[Seri]:
    """Every trace that carries data, as a Seri."""
    found = []
    for _i, trace in enumerate(fig.data):
        if trace.hoverinfo == "skip" or getattr(trace, "fill", None) == "toself" or _transparent(trace):
            continue
        name = plain(trace.name) or _value_axis(fig, trace) or t("grafik.uraian.nilai")
        if trace.type == "bar":
            horizontal = trace.orientation == "h"
            labels, values = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
            labels = [_label(v) for v in _categories(labels)]
            values = list(values if values is not None else [])
            if trace.base is not None and not isinstance(trace.base, (int, float)):  # spans of time (a timeline)
                spans = [
                    f"{formatting.tanggal(b, short=True)} – "
                    f"{formatting.tanggal(pd.Timestamp(b) + pd.Timedelta(milliseconds=ms - 86_400_000), short=True)}"
                    for b, ms in zip(trace.base, values, strict=True)
                ]
                found.append(_seri(name, labels, values, spans, numbers=False))
                continue
            found.append(_seri(name, labels, values, trace.text))
        elif trace.type == "scatter":
            custom = trace.customdata
            numeric_custom = custom is not None and len(custom) and all(
                _number(c) is not None or pd.isna(c) for c in np.ravel(custom))
            if trace.text is not None and not isinstance(trace.text, str) and numeric_custom:  # map labels
                found.append(_seri(name, [plain(v) for v in trace.text], list(np.ravel(custom))))
                continue
            if trace.x is None or trace.y is None or all(_number(v) is None for v in trace.y):
                continue  # a legend entry only
            axis = _axis(fig, trace.xaxis or "x")
            labels = [_label(v, axis) for v in trace.x]
            over_time = all(_month(v, axis) is not None for v in trace.x)
            lines = "lines" in (trace.mode or "lines")
            found.append(_seri(name, labels, list(trace.y), trace.text if not lines else None, over_time,
                               numbers=lines or trace.text is None))
        elif trace.type == "scatterpolar":
            found.append(_seri(name, [plain(v) for v in trace.theta], list(trace.r)))
        elif trace.type == "heatmap" and trace.z is not None and not _one_colour(trace):
            columns = [_label(v) for v in _categories(trace.x)]
            for row, values in zip(_categories(trace.y), trace.z, strict=True):
                found.append(_seri(_label(row), columns, list(values)))
    # A series drawn twice (a region's bars and its zone-only markers) stays one name per row.
    return [s for s in found if s.labels]


def table(fig: go.Figure) -> pd.DataFrame:
    """The chart's data: one row per point (series, label, value as shown); missing as missing."""
    rows = [(s.name, label, shown) for s in series(fig) for label, shown in zip(s.labels, s.shown, strict=True)]
    return pd.DataFrame(rows, columns=[t("grafik.uraian.seri"), t("grafik.uraian.titik"), t("grafik.uraian.nilai")])


def _one(s: Seri) -> str:
    """'Meranti: tertinggi Pilar A (72,3), terendah Pilar C (40,1)' or 'median: Jan 2025 41,0 → Sep 2026 52,1'."""
    points = [(label, v, w) for label, v, w in zip(s.labels, s.values, s.shown, strict=True) if v is not None]
    if not points:
        written = [f"{label} {w}" for label, w in zip(s.labels, s.shown, strict=True) if w != formatting.MISSING]
        return (f"{s.name}: " + ", ".join(written[:6]) + (" …" if len(written) > 6 else "") if written
                else t("grafik.uraian.kosong", seri=s.name))
    if s.over_time:
        (first, _, a), (last, _, b) = points[0], points[-1]
        return t("grafik.uraian.waktu", seri=s.name, dari=first, awal=a, sampai=last, akhir=b)
    if len(points) == 1:
        return t("grafik.uraian.satu", seri=s.name, titik=points[0][0], nilai=points[0][2])
    high = max(points, key=lambda p: p[1])
    low = min(points, key=lambda p: p[1])
    return t("grafik.uraian.kategori", seri=s.name, n=len(points), tinggi=high[0], nilai_tinggi=high[2],
             rendah=low[0], nilai_rendah=low[2])


def summary(fig: go.Figure) -> str:
    """One line: the title, then each series' first and last month, or its highest and lowest point."""
    found = series(fig)
    parts = [_one(s) for s in found[:MAX_SERIES]]
    if len(found) > MAX_SERIES:
        parts.append(t("grafik.uraian.lainnya", n=len(found) - MAX_SERIES))
    head = title(fig) or t("grafik.uraian.grafik")
    return f"{head}. " + ("; ".join(parts) if parts else t("grafik.uraian.tanpa_data")) + "."
