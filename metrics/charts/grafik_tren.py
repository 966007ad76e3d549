"""Trend chart builders: pure functions from metrics.engine.tren frames to Plotly figures.

The x axis is the month index (so months keep their true spacing and gaps stay gaps) with
tick labels set explicitly in the active language (formatting.bulan); Plotly's own date axis
would always print English months. Every text comes from metrics/core/teks/tren.toml.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from metrics.charts.common import LEGEND_BELOW, MODEL_COLOUR, MUTED, PALETTE, SYMBOLS, layout, data_text, wrap
from metrics.core import bahasa, formatting
from metrics.engine import tren

# Kecamatan lines: the palette without vermillion (the model); each line has its own marker symbol too,
# and after the colours the dash pattern changes, so up to fourteen lines stay distinguishable.
LINE_COLOURS = [c for c in PALETTE if c != MODEL_COLOUR]
LINE_DASHES = ["solid", "dash"]
MEDIAN_COLOUR = "#6B7682"
TARGET_COLOUR = "#1F2A36"
GRID = "#E5E8EB"


def short_source(text, limit: int = 70) -> str:
    """The part of a model source before ':' (the rest is an instruction), at most `limit` chars."""
    text = "" if text is None or pd.isna(text) else str(text).split(":")[0].strip()
    return data_text(text if len(text) <= limit else text[: limit - 1].rstrip() + "…")


def month_ticks(first: int, last: int, max_ticks: int = 12) -> tuple[list[int], list[str]]:
    """Tick positions and labels in the active language ('Jan 2025'), every 1/2/3/6/12 months,
    aligned to the calendar (quarters start in Jan, Apr, Jul, Okt)."""
    for step in (1, 2, 3, 6, 12, 24):
        ticks = [m for m in range(first, last + 1) if m % step == 0]
        if len(ticks) <= max_ticks:
            break
    if not ticks:
        ticks = [first]
    return ticks, [formatting.bulan(m, short=True) for m in ticks]


def _meta(meta: pd.Series) -> dict:
    return {
        "kode": meta.name,
        "nama": bahasa.nama(meta),
        "satuan": meta["satuan"],  # the catalogue's (Indonesian) unit, for formatting.nilai
        "satuan_teks": formatting.satuan(str(meta["satuan"])),  # shown
        "arah": meta["arah"],
        "model": float(meta["model"]),
        "model_sumber": meta.get("model_sumber"),
        "arah_teks": tren.arah_teks(meta["arah"]),
    }


def _point_hover(nama_kec: str, m: dict, periode: int, nilai, demo, sumber) -> str:
    return bahasa.t("tren.grafik.hover_titik", kecamatan=nama_kec, indikator=m["nama"],
                    nilai=formatting.nilai(nilai, m["satuan"]), periode=formatting.bulan(periode),
                    sumber=tren.source_label(demo, sumber))


def _model_hover(m: dict) -> str:
    return bahasa.t("tren.grafik.hover_model", nilai=formatting.nilai(m["model"], m["satuan"]),
                    sumber=data_text(m["model_sumber"]) if m["model_sumber"] else formatting.MISSING)


OUTLIER_SYMBOL = "star-diamond-open"  # a confirmed outlier: distinct from every line's round markers
EDGE_SYMBOL = {"atas": "triangle-up", "bawah": "triangle-down"}  # one beyond the axis, drawn at its edge
AXIS_PAD = 0.08  # room beyond the ordinary values, as a share of their range


def ordinary_range(frame: pd.DataFrame, *others) -> tuple[float, float] | None:
    """The y range the ordinary values need: every value of `frame` that is not a confirmed outlier
    and the reference lines (`others`: the median, the model, targets), from 0 as rangemode "tozero"
    would, padded by AXIS_PAD. None when there is no ordinary value."""
    values = pd.concat([frame.loc[~frame["dikonfirmasi"], "nilai"].astype(float),
                        *(pd.Series(list(o), dtype=float) for o in others)]).dropna()
    if values.empty:
        return None
    lo, hi = min(0.0, float(values.min())), float(values.max())
    pad = AXIS_PAD * ((hi - lo) or abs(hi) or 1.0)
    return (lo - pad if lo < 0 else 0.0, hi + pad)


def _edge(nilai: float, y_range: tuple[float, float] | None) -> str | None:
    """'atas' or 'bawah' when a value lies beyond that edge of the y axis range, else None."""
    if y_range is None:
        return None
    return "atas" if nilai > y_range[1] else "bawah" if nilai < y_range[0] else None


def _confirmed_outliers(fig: go.Figure, frame: pd.DataFrame, m: dict, names: pd.Series,
                        y_range: tuple[float, float] | None = None, **where) -> int:
    """One trace marking the values an operator confirmed although they lay outside the kecamatan's
    usual band (metrics/engine/kewajaran.py), with the note in the hover; nothing when there are none.

    A value beyond `y_range` (ordinary_range) is drawn at the axis's edge as a triangle pointing its way,
    labelled with its real value; the line keeps the value itself. Returns how many lie beyond."""
    if "dikonfirmasi" not in frame:
        return 0
    marked = frame[frame["dikonfirmasi"] & frame["nilai"].notna()]
    if marked.empty:
        return 0
    edges = [_edge(v, y_range) for v in marked["nilai"]]
    middle = (frame["periode"].min() + frame["periode"].max()) / 2
    outside = bahasa.t("tren.grafik.di_luar_sumbu_hover")
    fig.add_trace(go.Scatter(
        x=marked["periode"], y=[y_range[e == "atas"] if e else v for v, e in zip(marked["nilai"], edges, strict=True)],
        mode="markers+text", name=bahasa.t("tren.grafik.dikonfirmasi_nama"), cliponaxis=False,
        marker={"symbol": [EDGE_SYMBOL.get(e, OUTLIER_SYMBOL) for e in edges], "size": 16, "color": TARGET_COLOUR,
                "line": {"width": 2}},
        text=[bahasa.t("tren.grafik.di_luar_sumbu", nilai=formatting.nilai(v, m["satuan"])) if e else ""
              for v, e in zip(marked["nilai"], edges, strict=True)],
        textposition=[("top " if e == "bawah" else "bottom ") + ("left" if x > middle else "right")
                      for x, e in zip(marked["periode"], edges, strict=True)],  # the label stays inside the plot
        hovertext=[_point_hover(names.get(k, k), m, p, v, d, s) + "<br>"
                   + bahasa.t("tren.grafik.dikonfirmasi_contoh" if d is True else "tren.grafik.dikonfirmasi")
                   + (f"<br>{outside}" if e else "")
                   for k, p, v, d, s, e in zip(marked["kode_kecamatan"], marked["periode"], marked["nilai"],
                                               marked["demo"], marked["sumber"], edges, strict=True)],
        hoverinfo="text", showlegend=not where), **where)
    return sum(e is not None for e in edges)


def _fit_axis(fig: go.Figure, y_range: tuple[float, float] | None, outside: int, title: str) -> str:
    """When `outside` confirmed outliers lie beyond `y_range`: the y axes fit the ordinary values and the
    title gets a line saying so. Returns the title to show (unchanged, and the axes left to Plotly,
    when nothing lies beyond)."""
    if not outside:
        return title
    fig.update_yaxes(range=list(y_range))
    return f"{title}<br><sup>{bahasa.t('tren.grafik.catatan_di_luar_sumbu', n=outside)}</sup>"


def trend_chart(frame: pd.DataFrame, med: pd.DataFrame, meta: pd.Series, names: pd.Series,
                target: pd.DataFrame | None, months: list[int]) -> go.Figure:
    """Chosen kecamatan over time, the Asahan median, the model line and the target.

    frame: tren.series() of the chosen kecamatan (NaN rows = gaps); med: tren.median() of
    the 25; meta: the indicator's catalogue row (name = code); names: kode -> nama;
    target: tren.targets(); months: the x positions (tren.months_shown()).
    """
    m = _meta(meta)
    fig = go.Figure()
    first, last = (months[0], months[-1]) if months else (0, 0)
    for i, (kode, group) in enumerate(frame.groupby("kode_kecamatan", sort=False)):
        nama = names.get(kode, kode)
        fig.add_trace(go.Scatter(
            x=group["periode"], y=group["nilai"], name=nama, mode="lines+markers", connectgaps=False,
            line={"color": LINE_COLOURS[i % len(LINE_COLOURS)], "width": 2.5,
                  "dash": LINE_DASHES[(i // len(LINE_COLOURS)) % len(LINE_DASHES)]},
            marker={"size": 7, "symbol": SYMBOLS[i % len(SYMBOLS)]},
            hovertext=[_point_hover(nama, m, p, v, d, s) for p, v, d, s in
                       zip(group["periode"], group["nilai"], group["demo"], group["sumber"], strict=True)],
            hoverinfo="text",
        ))
    y_range = ordinary_range(frame, med["median"] if len(med) else [], [m["model"]],
                             target["nilai"] if target is not None else [])
    outside = _confirmed_outliers(fig, frame, m, names, y_range)
    if len(med):
        fig.add_trace(go.Scatter(
            x=med["periode"], y=med["median"], name=bahasa.t("tren.grafik.median_25"), mode="lines+markers",
            connectgaps=False, line={"color": MEDIAN_COLOUR, "width": 4, "dash": "dot"},
            marker={"size": 5, "color": MEDIAN_COLOUR},
            hovertext=[bahasa.t("tren.grafik.hover_median", nilai=formatting.nilai(v, m["satuan"]), n=n,
                                periode=formatting.bulan(p))
                       for p, v, n in zip(med["periode"], med["median"], med["n"], strict=True)],
            hoverinfo="text",
        ))
    fig.add_trace(go.Scatter(
        x=[first, last], y=[m["model"], m["model"]], mode="lines", name=wrap(bahasa.t(
            "tren.grafik.model_sumber", nilai=formatting.nilai(m["model"], m["satuan"]),
            sumber=short_source(m["model_sumber"]))),
        line={"color": MODEL_COLOUR, "width": 2, "dash": "dash"},
        hovertext=[_model_hover(m)] * 2, hoverinfo="text",
    ))
    if target is not None:
        for row in target.itertuples():
            kode = row.kode_kecamatan
            whom = bahasa.t("tren.grafik.semua_kecamatan") if kode is None else names.get(kode, kode)
            source = tren.demo_source() if row.demo else bahasa.t("tren.grafik.sumber_target")
            label = bahasa.t("tren.grafik.target", bulan=formatting.bulan(row.periode),
                             nilai=formatting.nilai(row.nilai, m["satuan"]))
            fig.add_trace(go.Scatter(
                x=[first, last], y=[row.nilai, row.nilai], mode="lines", name=wrap(f"{label} ({whom})"),
                line={"color": TARGET_COLOUR, "width": 1.5, "dash": "dashdot"},
                hovertext=[bahasa.t("tren.grafik.hover_target", target=label, untuk=whom, sumber=source)] * 2,
                hoverinfo="text",
            ))
    ticks, labels = month_ticks(first, last)
    fig.update_xaxes(title_text=bahasa.t("tren.grafik.bulan"), tickvals=ticks, ticktext=labels,
                     range=[first - 0.5, last + 0.5], gridcolor=GRID, zeroline=False)
    fig.update_yaxes(title_text=wrap(f"{tren.unit_label(m['satuan'])} ({m['arah_teks']})"), gridcolor=GRID,
                     rangemode="tozero", separatethousands=True)
    title = bahasa.t("tren.grafik.judul_tren", indikator=m["nama"], satuan=m["satuan_teks"],
                     dari=formatting.bulan(first), sampai=formatting.bulan(last), arah=m["arah_teks"])
    layout(fig, _fit_axis(fig, y_range, outside, title), height=520)
    fig.update_layout(showlegend=True, legend=LEGEND_BELOW,
                      margin={"l": 10, "r": 20, "t": 90 if outside else 70, "b": 40})
    return fig


def small_multiples(frame: pd.DataFrame, med: pd.DataFrame, meta: pd.Series, names: pd.Series,
                    months: list[int], highlight: list[str] = (), columns: int = 5) -> go.Figure:
    """One panel per kecamatan (alphabetical), shared axes, the median and the model in each.

    frame: tren.series() of all 25; the chosen kecamatan (`highlight`) get bold titles.
    One figure with one subplot grid: far cheaper than 25 figures.
    """
    m = _meta(meta)
    codes = sorted(frame["kode_kecamatan"].unique(), key=lambda k: names.get(k, k))
    rows = max(1, math.ceil(len(codes) / columns))
    titles = [f"<b>{names.get(k, k)}</b>" if k in highlight else names.get(k, k) for k in codes]
    fig = make_subplots(rows=rows, cols=columns, shared_xaxes=True, shared_yaxes=True, subplot_titles=titles,
                        vertical_spacing=0.045, horizontal_spacing=0.015)
    by_code = dict(tuple(frame.groupby("kode_kecamatan", sort=False)))
    first, last = (months[0], months[-1]) if months else (0, 0)
    y_range, outside = ordinary_range(frame, med["median"] if len(med) else [], [m["model"]]), 0
    for i, kode in enumerate(codes):
        row, col = i // columns + 1, i % columns + 1
        group = by_code[kode]
        nama = names.get(kode, kode)
        if len(med):
            fig.add_trace(go.Scatter(x=med["periode"], y=med["median"], mode="lines", connectgaps=False,
                                     line={"color": "#B8C0C8", "width": 1.5}, hoverinfo="skip",
                                     name=bahasa.t("istilah.median_asahan")), row=row, col=col)
        fig.add_trace(go.Scatter(
            x=[first, last], y=[m["model"], m["model"]], mode="lines", name=bahasa.t("istilah.model"),
            line={"color": MODEL_COLOUR, "width": 1.2, "dash": "dash"}, hoverinfo="skip"), row=row, col=col)
        fig.add_trace(go.Scatter(
            x=group["periode"], y=group["nilai"], mode="lines+markers", connectgaps=False, name=nama,
            line={"color": PALETTE[0], "width": 2}, marker={"size": 3.5},
            hovertext=[_point_hover(nama, m, p, v, d, s) for p, v, d, s in
                       zip(group["periode"], group["nilai"], group["demo"], group["sumber"], strict=True)],
            hoverinfo="text"), row=row, col=col)
        outside += _confirmed_outliers(fig, group, m, names, y_range, row=row, col=col)
        if group["nilai"].isna().all():
            axis = "" if i == 0 else str(i + 1)
            fig.add_annotation(
                text=bahasa.t("istilah.tidak_ada_data"),
                x=0.5,
                y=0.5,
                xref=f"x{axis} domain",
                yref=f"y{axis} domain",
                showarrow=False,
                font={"color": MUTED},
            )
    ticks, labels = month_ticks(first, last, max_ticks=3)
    # No explicit range here: a range on matched (shared) axes leaves every panel empty.
    fig.update_xaxes(tickvals=ticks, ticktext=labels, gridcolor=GRID, tickfont={"size": 10}, zeroline=False)
    # make_subplots shares y within a row only; every panel gets the same scale.
    fig.update_yaxes(gridcolor=GRID, tickfont={"size": 10}, rangemode="tozero", separatethousands=True)
    for axis in fig.layout:
        if axis.startswith("yaxis") and axis != "yaxis":
            fig.layout[axis].matches = "y"
    for r in range(1, rows + 1):
        fig.update_yaxes(title_text=m["satuan_teks"], title_font={"size": 11}, row=r, col=1)
    fig.update_annotations(font_size=12, selector={"yref": "paper"})
    title = bahasa.t("tren.grafik.judul_kecil", indikator=m["nama"], n=len(codes), satuan=m["satuan_teks"],
                     dari=formatting.bulan(first), sampai=formatting.bulan(last),
                     model=formatting.nilai(m["model"], m["satuan"]), arah=m["arah_teks"])
    layout(fig, _fit_axis(fig, y_range, outside, title), height=190 * rows + 110)
    fig.update_layout(margin={"l": 10, "r": 20, "t": 110 if outside else 90, "b": 30})
    return fig


def projection_chart(values: pd.DataFrame, projection: tren.Projection, meta: pd.Series, nama_kec: str) -> go.Figure:
    """One kecamatan's values, the fitted line of its last 12 months extended to the month it
    would reach the model (or a year ahead), and the model line.

    values: tren.series() rows of that kecamatan.
    """
    m = _meta(meta)
    p = projection
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=values["periode"], y=values["nilai"], mode="lines+markers", connectgaps=False, name=nama_kec,
        line={"color": PALETTE[0], "width": 2.5}, marker={"size": 6},
        hovertext=[_point_hover(nama_kec, m, q, v, d, s) for q, v, d, s in
                   zip(values["periode"], values["nilai"], values["demo"], values["sumber"], strict=True)],
        hoverinfo="text"))
    first = int(values["periode"].min()) if len(values) else p.periode
    end, xs = p.periode, []
    if p.slope is not None:
        end = p.reach if p.reach is not None else p.periode + tren.WINDOW_MONTHS
        xs = [p.first, end]
    y_range = ordinary_range(values, [m["model"]], [p.fitted(x) for x in xs])
    names = pd.Series(nama_kec, index=values["kode_kecamatan"].unique())
    outside = _confirmed_outliers(fig, values, m, names, y_range)
    if xs:
        fig.add_trace(go.Scatter(
            x=xs, y=[p.fitted(x) for x in xs], mode="lines",
            name=bahasa.t("tren.grafik.garis_tren", bulan=tren.WINDOW_MONTHS),
            line={"color": PALETTE[2], "width": 2, "dash": "dot"},
            hovertext=[bahasa.t("tren.grafik.hover_garis", nilai=formatting.nilai(p.fitted(x), m["satuan"]),
                                periode=formatting.bulan(x)) for x in xs],
            hoverinfo="text"))
    fig.add_trace(go.Scatter(
        x=[first, end], y=[m["model"], m["model"]], mode="lines",
        name=bahasa.t("tren.grafik.model_nilai", nilai=formatting.nilai(m["model"], m["satuan"])),
        line={"color": MODEL_COLOUR, "width": 2, "dash": "dash"}, hovertext=[_model_hover(m)] * 2, hoverinfo="text"))
    if p.reach is not None:
        fig.add_vline(x=p.reach, line_color=MODEL_COLOUR, line_width=1, line_dash="dot")
        fig.add_annotation(x=p.reach, y=1, yref="paper", text=f"± {formatting.bulan(p.reach)}", showarrow=False,
                           xanchor="right", yanchor="bottom", font={"color": MODEL_COLOUR})
    ticks, labels = month_ticks(first, end, max_ticks=8)
    fig.update_xaxes(title_text=bahasa.t("tren.grafik.bulan"), tickvals=ticks, ticktext=labels,
                     range=[first - 0.5, end + 0.5], gridcolor=GRID, zeroline=False)
    fig.update_yaxes(title_text=wrap(f"{m['satuan_teks']} ({m['arah_teks']})"), gridcolor=GRID, rangemode="tozero",
                     separatethousands=True)
    basis = (bahasa.t("tren.grafik.dasar_garis", n=p.months_used, jendela=tren.WINDOW_MONTHS,
                      sampai=formatting.bulan(p.periode))
             if p.slope is not None else bahasa.t("tren.grafik.tanpa_garis", ringkasan=p.summary))
    title = bahasa.t("tren.grafik.judul_proyeksi", kecamatan=nama_kec, indikator=m["nama"], satuan=m["satuan_teks"],
                     dasar=basis, arah=m["arah_teks"])
    layout(fig, _fit_axis(fig, y_range, outside, title), height=420)
    fig.update_layout(showlegend=True, legend=LEGEND_BELOW)
    if outside:
        fig.update_layout(margin_t=90)
    return fig
