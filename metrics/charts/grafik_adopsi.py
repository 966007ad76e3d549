"""Adoption charts: pure builders from metrics.engine.adopsi frames to Plotly figures.

Same conventions as metrics.charts.common: titled with unit and period, texts from the catalogue
(metrics/core/teks/inovasi.toml) and numbers, months and separators in the active language, hover
text naming source and dates. Stages use one ordered, colour-blind-safe scale:
light grey for Belum, then a single-hue blue ramp from Direncanakan to Terlembaga (order
reads by lightness alone, so it also survives greyscale printing).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from metrics.charts.common import MODEL_COLOUR, layout, data_text, month_axis
from metrics.core import formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.engine.adopsi import TAHAP, label_tahap, nama_tahap

STAGE_COLOURS = {0: "#E3E6EA", 1: "#C6DBEF", 2: "#6BAED6", 3: "#2171B5", 4: "#08306B"}
TEXT_ON = {0: "#4A5560", 1: "#1F2A36", 2: "#1F2A36", 3: "#FFFFFF", 4: "#FFFFFF"}
LATE_MARK = "!"


def _stage_legend(fig: go.Figure, stages=tuple(TAHAP)) -> None:
    """Legend entries naming the stages, as coloured squares (the heatmap has no legend of its own)."""
    for tahap in stages:
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", name=label_tahap(tahap), showlegend=True,
            marker={"symbol": "square", "size": 14, "color": STAGE_COLOURS[tahap],
                    "line": {"color": "#9AA5B1", "width": 1}},
            hoverinfo="skip",
        ))


def _month_ticks(fig: go.Figure, first: pd.Timestamp, last: pd.Timestamp, step: int = 3) -> None:
    """Month ticks in the active language on calendar quarters (Plotly's own are English only)."""
    start, end = per.from_date(first), per.from_date(last)
    month_axis(fig, list(range(start - start % step, end + 1)), every=step)


def _legend_bottom(fig: go.Figure) -> None:
    """Stage legend in one row under the plot, in stage order."""
    fig.update_layout(showlegend=True, legend={"orientation": "h", "x": 0, "y": 0, "yref": "container",
                                               "yanchor": "bottom", "xanchor": "left", "font": {"size": 13},
                                               "traceorder": "normal", "title": {"text": t("inovasi.grafik.legenda")}})


def _wrap(name: str) -> str:
    """Two-word column labels on two lines, so 10 columns fit at 1280 px."""
    if " " not in name and "-" in name:
        head, tail = name.split("-", 1)
        return f"{head}-<br>{tail}"
    words = name.split(" ")
    return name if len(words) < 2 or len(name) <= 10 else words[0] + "<br>" + " ".join(words[1:])


def stage_matrix(matrix: pd.DataFrame, kecamatan_names: pd.Series, inovasi_names: dict[str, str],
                 history: dict[tuple[str, str], list[str]], late_cells: set[tuple[str, str]], periode: int,
                 source: str) -> go.Figure:
    """Kecamatan (rows, in the order of `matrix`) × innovation (columns) coloured by stage.

    matrix: adopsi.stage_matrix(); history: (kode, inovasi) -> lines of that cell's events up
    to the month; late_cells: cells late on a target; they carry a '!' after their stage.
    """
    month = formatting.bulan(periode)
    rows = list(dict.fromkeys(matrix["kode_kecamatan"]))
    cols = list(dict.fromkeys(matrix["inovasi"]))
    keys = list(zip(matrix["kode_kecamatan"], matrix["inovasi"], strict=True))
    stage_of = dict(zip(keys, matrix["tahap"].astype(int), strict=True))
    since_of = dict(zip(keys, matrix["sejak"], strict=True))
    y = [kecamatan_names.get(k, k) for k in rows]
    x = [_wrap(inovasi_names.get(c, c)) for c in cols]
    # The texts of every cell, looked up once (250 cells at kabupaten scale).
    stage_line = {tahap: t("inovasi.grafik.matriks.tahap", bulan=month, tahap=label_tahap(tahap)) for tahap in TAHAP}
    late_line, history_head = t("inovasi.grafik.matriks.terlambat"), t("inovasi.grafik.matriks.riwayat")
    no_events, source_line = t("inovasi.grafik.matriks.tanpa_peristiwa"), t("istilah.sumber_isi", sumber=source)
    z, hover, text_x, text_y, text, text_colour = [], [], [], [], [], []
    for k, yname in zip(rows, y, strict=True):
        z_row, hover_row = [], []
        for c, xname in zip(cols, x, strict=True):
            tahap = int(stage_of[(k, c)])
            sejak = since_of[(k, c)]
            is_late = (k, c) in late_cells
            z_row.append(tahap)
            lines = history.get((k, c), [])
            hover_row.append(
                f"<b>{yname}</b> · {inovasi_names.get(c, c)}<br>"
                + stage_line[tahap]
                + (t("inovasi.grafik.matriks.sejak", tanggal=formatting.tanggal(sejak, short=True))
                   if pd.notna(sejak) else "")
                + (late_line if is_late else "")
                + (history_head + "<br>".join(lines) if lines else no_events)
                + "<br>" + source_line
            )
            text_x.append(xname)
            text_y.append(yname)
            text.append(f"{tahap}{LATE_MARK if is_late else ''}")
            text_colour.append(TEXT_ON[tahap])
        z.append(z_row)
        hover.append(hover_row)
    scale = []
    for tahap in TAHAP:  # discrete steps: each stage one flat colour
        scale += [[tahap / 5, STAGE_COLOURS[tahap]], [(tahap + 1) / 5, STAGE_COLOURS[tahap]]]
    fig = go.Figure(go.Heatmap(
        z=z, x=x, y=y, zmin=-0.5, zmax=4.5, colorscale=scale, showscale=False, xgap=2, ygap=2,
        hovertext=hover, hoverinfo="text",
    ))
    fig.add_trace(go.Scatter(x=text_x, y=text_y, mode="text", text=text, hoverinfo="skip", showlegend=False,
                             textfont={"color": text_colour, "size": 13}))
    _stage_legend(fig)
    fig.update_yaxes(autorange="reversed", title_text=None, automargin=True, showgrid=False, tickfont={"size": 12})
    fig.update_xaxes(side="top", title_text=None, showgrid=False, tickangle=0, tickfont={"size": 11})
    title = t("inovasi.grafik.matriks.judul", bulan=month, tanda=LATE_MARK, sumber=source)
    fig = layout(fig, title, height=max(420, 24 * len(rows) + 230))
    _legend_bottom(fig)
    # All frames in one assignment: add_shape one by one re-validates every shape (quadratic).
    fig.update_layout(shapes=[
        {"type": "rect", "x0": c_pos - 0.46, "x1": c_pos + 0.46, "y0": k_pos - 0.42, "y1": k_pos + 0.42,
         "line": {"color": MODEL_COLOUR, "width": 2.5}, "layer": "above"}
        for k_pos, k in enumerate(rows) for c_pos, c in enumerate(cols) if (k, c) in late_cells
    ])
    fig.update_layout(margin={"l": 10, "r": 10, "t": 135, "b": 50})
    return fig


def stage_bars(matrix: pd.DataFrame, inovasi_names: dict[str, str], late_counts: dict[str, int], periode: int,
               source: str) -> go.Figure:
    """Per innovation, how many kecamatan are at each stage; most adopted at the top.

    Sorted by kecamatan at stage ≥ 3, then ≥ 2; late counts are written at the bar end.
    """
    month = formatting.bulan(periode)
    counts = matrix.groupby(["inovasi", "tahap"]).size().unstack(fill_value=0).reindex(columns=list(TAHAP),
                                                                                         fill_value=0)
    counts = counts.reindex(list(dict.fromkeys(matrix["inovasi"])), fill_value=0)
    total = counts.sum(axis=1)
    order = sorted(counts.index, key=lambda c: (counts.loc[c, [3, 4]].sum(), counts.loc[c, [2, 3, 4]].sum()))
    names = [inovasi_names.get(c, c) for c in order]
    fig = go.Figure()
    for tahap in (4, 3, 2, 1, 0):
        values = [int(counts.loc[c, tahap]) for c in order]
        fig.add_trace(go.Bar(
            y=names, x=values, orientation="h", name=label_tahap(tahap), marker_color=STAGE_COLOURS[tahap],
            marker_line={"color": "#FFFFFF", "width": 1},
            text=[str(v) if v else "" for v in values], textposition="inside", insidetextanchor="middle",
            textfont={"color": TEXT_ON[tahap]},
            hovertext=[t("inovasi.grafik.sebaran.hover", inovasi=n, tahap=nama_tahap(tahap), n=formatting.angka(v, 0),
                         total=formatting.angka(total[c], 0), bulan=month, sumber=source)
                       for n, v, c in zip(names, values, order, strict=True)],
            hoverinfo="text",
        ))
    labels = [t("inovasi.grafik.sebaran.terlambat", n=formatting.angka(late_counts[c], 0)) if late_counts.get(c, 0)
              else "" for c in order]
    fig.add_trace(go.Scatter(
        y=names, x=[int(total[c]) + 0.3 for c in order], mode="text", text=labels, textposition="middle right",
        textfont={"color": MODEL_COLOUR, "size": 13}, hoverinfo="skip", showlegend=False, cliponaxis=False,
    ))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text=t("istilah.jumlah_kecamatan"), range=[0, max(int(total.max()), 1) + 8],
                     gridcolor="#E5E8EB")
    fig.update_yaxes(title_text=None, automargin=True)
    title = t("inovasi.grafik.sebaran.judul", bulan=month, sumber=source)
    fig = layout(fig, title, height=max(380, 34 * len(order) + 170))
    _legend_bottom(fig)
    fig.update_layout(margin={"l": 10, "r": 20, "t": 80, "b": 95})
    return fig


def adoption_curve(counts: pd.DataFrame, inovasi_name: str, targets: pd.DataFrame, periode: int,
                   source: str, n_kecamatan: int) -> go.Figure:
    """Stacked areas: kecamatan per stage at the end of each month, for one innovation.

    counts: adopsi.adoption_counts() rows of that innovation (periode, tahap, jumlah).
    targets: the innovation's targets for all kecamatan (tahap, tanggal) drawn as vertical lines.
    """
    wide = counts.pivot_table(index="periode", columns="tahap", values="jumlah", aggfunc="sum").reindex(
        columns=list(TAHAP), fill_value=0).fillna(0)
    dates = [per.month_end(m) for m in wide.index]
    labels = [formatting.bulan(m) for m in wide.index]
    fig = go.Figure()
    for tahap in (4, 3, 2, 1, 0):
        values = wide[tahap].astype(int).tolist()
        fig.add_trace(go.Scatter(
            x=dates, y=values, name=label_tahap(tahap), mode="lines", stackgroup="tahap",
            line={"width": 0.5, "color": STAGE_COLOURS[tahap]}, fillcolor=STAGE_COLOURS[tahap],
            hovertext=[t("inovasi.grafik.kurva.hover", tahap=nama_tahap(tahap), n=formatting.angka(v, 0), bulan=lab,
                         sumber=source) for v, lab in zip(values, labels, strict=True)],
            hoverinfo="text",
        ))
    for target in targets.itertuples():
        day = pd.Timestamp(target.tanggal)
        fig.add_shape(type="line", x0=day, x1=day, y0=0, y1=1, yref="paper",
                      line={"color": MODEL_COLOUR, "dash": "dash", "width": 2})
        fig.add_annotation(x=day, y=1, yref="paper", showarrow=False, xanchor="right", yanchor="bottom",
                           text=t("inovasi.grafik.kurva.target", tahap=nama_tahap(target.tahap),
                                  tanggal=formatting.tanggal(day, short=True)), font={"color": MODEL_COLOUR})
    fig.update_yaxes(title_text=t("istilah.jumlah_kecamatan"), range=[0, n_kecamatan], gridcolor="#E5E8EB")
    fig.update_xaxes(title_text=None, gridcolor="#F0F2F4")
    if dates:
        _month_ticks(fig, pd.Timestamp(dates[0]), pd.Timestamp(dates[-1]), step=6 if len(dates) > 24 else 3)
    title = t("inovasi.grafik.kurva.judul", inovasi=inovasi_name, bulan=formatting.bulan(periode, short=True),
              sumber=source)
    fig = layout(fig, title, height=420)
    _legend_bottom(fig)
    fig.update_layout(margin={"l": 10, "r": 20, "t": 80, "b": 70}, hovermode="x unified")
    return fig


def timeline(segments: pd.DataFrame, kecamatan_name: str, inovasi_names: dict[str, str], periode: int,
             source: str) -> go.Figure:
    """One kecamatan's stages over time, one row per innovation (adopsi.stage_segments())."""
    month = formatting.bulan(periode)
    order = list(dict.fromkeys(segments["inovasi"]))
    source_line = t("istilah.sumber_isi", sumber=source)
    fig = go.Figure()
    for tahap in TAHAP:
        part = segments[segments["tahap"] == tahap]
        ms = [(h - d).total_seconds() * 1000 for d, h in zip(part["dari"], part["hingga"], strict=True)]
        fig.add_trace(go.Bar(
            y=[inovasi_names.get(c, c) for c in part["inovasi"]], x=ms, base=[d.isoformat() for d in part["dari"]],
            orientation="h", name=label_tahap(tahap), marker_color=STAGE_COLOURS[tahap],
            marker_line={"color": "#FFFFFF", "width": 1},
            hovertext=[
                f"<b>{inovasi_names.get(c, c)}</b><br>{nama_tahap(tahap)}: {formatting.tanggal(d, short=True)} – "
                f"{formatting.tanggal(h - pd.Timedelta(days=1), short=True)}"
                + (t("inovasi.grafik.linimasa.bukti", bukti=data_text(b)) if b else "") + "<br>" + source_line
                for c, d, h, b in zip(part["inovasi"], part["dari"], part["hingga"], part["bukti"], strict=True)
            ],
            hoverinfo="text",
        ))
    names = [inovasi_names.get(c, c) for c in order]
    fig.update_yaxes(categoryorder="array", categoryarray=names[::-1], title_text=None, automargin=True)
    fig.update_xaxes(type="date", title_text=None, gridcolor="#E5E8EB")
    if len(segments):
        first, last = segments["dari"].min(), segments["hingga"].max()
        _month_ticks(fig, first, last, step=6 if (last - first).days > 730 else 3)
    fig.update_layout(barmode="overlay", bargap=0.25)
    title = t("inovasi.grafik.linimasa.judul", kecamatan=kecamatan_name, bulan=month, sumber=source)
    fig = layout(fig, title, height=max(360, 34 * len(order) + 170))
    _legend_bottom(fig)
    fig.update_layout(margin={"l": 10, "r": 20, "t": 80, "b": 70})
    return fig
