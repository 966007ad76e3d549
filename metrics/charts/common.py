"""Chart builders: pure functions from engine frames to Plotly figures.

Every figure is titled with its unit and period, uses the active language's texts
(metrics/core/teks/grafik.toml) and separators (1.234,5 or 1,234.5), a colour-blind-safe palette
whose every colour stands 3 : 1 or more against white (WCAG 1.4.11), and hover text that names source
and period. Series are never told apart by colour alone: lines also differ by marker symbol
(SYMBOLS), bars by pattern (PATTERNS) or by their labelled axis.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.data import wilayah as daerah
from metrics.presentation import tampil

# Okabe–Ito with its three colours under 3 : 1 on white (orange 2,25, sky blue 2,31, yellow 1,32) darkened
# or replaced (ochre, wine, olive): every mark stands out from the page; the hues stay apart.
PALETTE = ["#0072B2", "#B97F00", "#009E73", "#CC79A7", "#882255", "#D55E00", "#7A7A1F", "#000000"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "cross", "triangle-down"]
PATTERNS = ["", "/", "\\", "x", ".", "+", "-", "|"]
MODEL_COLOUR = "#D55E00"
# Legends below the whole figure, under the axis labels (Plotly makes room for them): one in the plot's
# margin covered the x axis's years, and one at the right squeezed the plot on a phone (#22).
LEGEND_BELOW = {"orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yref": "container", "yanchor": "bottom"}
MUTED = "#8A96A3"


def data_text(value) -> str:
    """Text that came from data (a source, an evidence note) as Plotly shows it: escaped, because
    Plotly reads hover texts, legends and titles as HTML."""
    return html.escape(str(value))


def wrap(text: str, width: int = 36) -> str:
    """A legend entry or axis title in lines of at most `width` characters (Plotly's '<br>'): Plotly never
    wraps them, and a long one ran past a phone's screen (#22)."""
    lines: list[str] = []
    for word in str(text).split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def source_label(demo: bool) -> str:
    """The source named in hover texts: the demo data, or the kecamatan's own reports."""
    return t("istilah.data_contoh") if demo else t("istilah.laporan_kecamatan")


def zone_name(zona) -> str:
    """An Ombudsman zone colour ('merah', 'kuning', 'hijau') in the active language."""
    if not isinstance(zona, str):
        return formatting.MISSING
    key = f"grafik.zona.{zona.strip().lower()}"
    return t(key) if key in bahasa.katalog() else zona


def layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 18}},
        separators=formatting.separators(),  # 1.234,5 in Indonesian, 1,234.5 in English
        colorway=PALETTE,
        height=height,
        margin={"l": 10, "r": 20, "t": 60, "b": 40},
        plot_bgcolor="white",
        paper_bgcolor="white",
        font={"family": "sans-serif", "size": 13, "color": "#1F2A36"},
        hoverlabel={"bgcolor": "white"},
        showlegend=False,
    )
    return fig


def composite_bars(table: pd.DataFrame, periode: int, source: str) -> go.Figure:
    """Horizontal bars of the Indeks Tiru of the ranked kecamatan, best at the top.

    `table` is benchmark.league_table(); unranked kecamatan are left out (they are listed
    separately with what they miss). The model is the line at 100.
    """
    ranked = table[table["diperingkat"]].sort_values(["peringkat", "kecamatan"], ascending=[False, False])
    month = formatting.bulan(periode)
    hover = [
        t("grafik.komposit.hover", kecamatan=r.kecamatan, skor=formatting.angka(r.skor, 1),
          peringkat=formatting.peringkat(r.peringkat), dari=f"{r.peringkat_min:.0f}", sampai=f"{r.peringkat_max:.0f}",
          cakupan=formatting.persen(r.cakupan), bulan=month, sumber=source)
        for r in ranked.itertuples()
    ]
    fig = go.Figure(
        go.Bar(
            x=ranked["skor"],
            y=ranked["kecamatan"],
            orientation="h",
            marker_color=PALETTE[0],
            text=[tampil.indeks_teks(v) for v in ranked["skor"]],
            textposition="outside",
            cliponaxis=False,
            hovertext=hover,
            hoverinfo="text",
        )
    )
    fig.add_vline(x=100, line_dash="dash", line_color=MODEL_COLOUR)
    fig.add_annotation(x=100, y=1, yref="paper", text=t("istilah.model_100"), showarrow=False, xanchor="right",
                       yanchor="bottom", font={"color": MODEL_COLOUR})
    fig.update_xaxes(title_text=wrap(t("grafik.komposit.sumbu_x"), 30), range=[0, 108],
                     gridcolor="#E5E8EB")
    fig.update_yaxes(title_text=None, automargin=True)
    title = t("grafik.komposit.judul", bulan=month)
    return layout(fig, title, height=max(320, 26 * len(ranked) + 120))


def month_axis(fig: go.Figure, months: list[int], every: int | None = None, row=None, col=None) -> None:
    """Month ticks in the active language ("Des 2024" / "Dec 2024") on a date x axis; plotly's
    own are always English."""
    if not months:
        return
    every = every or max(1, len(months) // 8)
    ticks = [m for m in months if (m - months[0]) % every == 0]
    fig.update_xaxes(
        tickvals=[per.to_date(m) for m in ticks],
        ticktext=[formatting.bulan(m, short=True) for m in ticks],
        row=row,
        col=col,
    )


def kabupaten_trend(series: pd.DataFrame, source: str) -> go.Figure:
    """Median Indeks Tiru of the ranked Asahan kecamatan per month, with the middle half and
    the full range as bands, against the model at 100. `series` is benchmark.kabupaten_series."""
    x = [per.to_date(m) for m in series["periode"]]
    labels = [formatting.bulan(m) for m in series["periode"]]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=series["max"], mode="lines", line={"width": 0}, hoverinfo="skip",
                             connectgaps=False, showlegend=False))
    fig.add_trace(go.Scatter(x=x, y=series["min"], mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor="rgba(0,114,178,0.10)", name=t("grafik.tren.rentang"), hoverinfo="skip",
                             connectgaps=False))
    fig.add_trace(go.Scatter(x=x, y=series["q3"], mode="lines", line={"width": 0}, hoverinfo="skip",
                             connectgaps=False, showlegend=False))
    fig.add_trace(go.Scatter(x=x, y=series["q1"], mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor="rgba(0,114,178,0.25)", name=t("grafik.tren.separuh_tengah"),
                             hoverinfo="skip", connectgaps=False))
    hover = [
        t("grafik.tren.hover", bulan=label, median=formatting.angka(m, 1), q1=formatting.angka(a, 1),
          q3=formatting.angka(b, 1), min=formatting.angka(lo, 1), maks=formatting.angka(hi, 1),
          n=formatting.peringkat(n), sumber=source)
        for label, m, a, b, lo, hi, n in zip(labels, series["median"], series["q1"], series["q3"], series["min"],
                                             series["max"], series["n"], strict=True)
    ]
    fig.add_trace(go.Scatter(x=x, y=series["median"], mode="lines+markers", name=t("grafik.tren.median"),
                             line={"color": PALETTE[0], "width": 3}, hovertext=hover, hoverinfo="text",
                             connectgaps=False))
    fig.add_hline(y=100, line_dash="dash", line_color=MODEL_COLOUR, annotation_text=t("grafik.tren.model"),
                  annotation_position="top left", annotation_font_color=MODEL_COLOUR)
    if daerah.aktif().bawaan:  # the December 2024 study visit is Asahan's history with Cimahi Tengah only
        visit_month = per.parse("2024-12")
        visit = per.to_date(visit_month)
        fig.add_vline(x=visit, line_dash="dot", line_color=MUTED)
        fig.add_annotation(x=visit, y=100, yref="y", showarrow=False,
                           text=t("grafik.tren.studi_tiru", bulan=formatting.bulan(visit_month, short=True)),
                           xanchor="left", yanchor="top", font={"color": MUTED, "size": 12})
    month_axis(fig, list(series["periode"]), every=max(1, -(-len(series) // 6)))  # ≤ 6 upright labels
    fig.update_yaxes(title_text=t("istilah.indeks_tiru_skala"), range=[0, 105], gridcolor="#E5E8EB")
    fig.update_xaxes(title_text=None, showgrid=False)
    first, last = (formatting.bulan(series["periode"].iloc[i]) for i in (0, -1)) if len(series) else ("", "")
    fig = layout(fig, t("grafik.tren.judul", dari=first, sampai=last), height=420)
    fig.update_layout(showlegend=True, legend=LEGEND_BELOW)
    return fig


BAND_COLOURS = ["#0072B2", "#3388C4", "#B97F00", "#D55E00", "#767676"]  # each ≥ 3 : 1 on white; bands named on the axis


def band_bars(counts: pd.DataFrame, periode: int) -> go.Figure:
    """Number of kecamatan per Indeks Tiru band (benchmark.band_counts), best band on top."""
    fig = go.Figure(
        go.Bar(
            x=counts["jumlah"][::-1],
            y=counts["pita"][::-1],
            orientation="h",
            marker_color=BAND_COLOURS[: len(counts)][::-1],
            text=[str(v) for v in counts["jumlah"][::-1]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=t("grafik.pita.hover"),
        )
    )
    fig.update_xaxes(title_text=wrap(t("istilah.jumlah_kecamatan"), 12), dtick=5, gridcolor="#E5E8EB")  # a narrow chart
    fig.update_yaxes(automargin=True, title_text=t("istilah.indeks_tiru"))
    return layout(fig, t("grafik.pita.judul", bulan=formatting.bulan(periode)), height=420)


def ombudsman_chart(series: pd.DataFrame) -> go.Figure:
    """Ombudsman RI compliance scores (0–100) of Kabupaten Asahan and Kota Cimahi by year.

    Years with only a zone reported are shown as a labelled marker at the foot of the chart,
    never as a made-up score."""
    fig = go.Figure()
    for i, (wilayah, rows) in enumerate(series.groupby("wilayah", sort=True)):
        colour = PALETTE[i]
        scored = rows[rows["nilai"].notna()]
        fig.add_trace(go.Bar(
            x=scored["tahun"].astype(str), y=scored["nilai"], name=wilayah, marker_color=colour,
            marker_pattern_shape=PATTERNS[i], marker_pattern_fgcolor="white", marker_pattern_fillmode="overlay",
            text=[formatting.angka(v, 2) for v in scored["nilai"]], textposition="outside", cliponaxis=False,
            hovertext=[t("grafik.ombudsman.hover", wilayah=wilayah, tahun=year, nilai=formatting.angka(v, 2),
                         zona=zone_name(z), sumber=src,
                         opini=t("grafik.ombudsman.opini", kategori=k) if isinstance(k, str) and k else "")
                       for year, v, z, k, src in zip(scored["tahun"], scored["nilai"], scored["zona"],
                                                  scored["kategori"], scored["sumber"], strict=True)],
            hoverinfo="text",
        ))
        zone_only = rows[rows["nilai"].isna()]
        if len(zone_only):
            fig.add_trace(
                go.Scatter(
                    x=zone_only["tahun"].astype(str),
                    y=[4] * len(zone_only),
                    mode="markers+text",
                    marker={"symbol": SYMBOLS[i + 1], "size": 12, "color": colour},
                    name=t("grafik.ombudsman.hanya_zona", wilayah=wilayah),
                    text=[t("grafik.ombudsman.zona", zona=zone_name(z)) for z in zone_only["zona"]],
                    textposition="top center",
                    hovertext=[
                        t("grafik.ombudsman.hover_zona", wilayah=wilayah, tahun=year, zona=zone_name(z), sumber=src)
                        for year, z, src in zip(zone_only["tahun"], zone_only["zona"], zone_only["sumber"], strict=True)
                    ],
                    hoverinfo="text",
                )
            )
    years = sorted(series["tahun"].astype(str).unique())
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=years,
                     title_text=t("grafik.ombudsman.sumbu_x"))
    fig.update_yaxes(title_text=t("grafik.ombudsman.sumbu_y"), range=[0, 108], gridcolor="#E5E8EB")
    fig.add_hline(y=81, line_dash="dot", line_color="#009E73", annotation_text=t("grafik.ombudsman.zona_hijau"),
                  annotation_position="bottom left", annotation_font_color="#009E73")
    first, last = years[0], years[-1]
    fig = layout(fig, t("grafik.ombudsman.judul", dari=first, sampai=last), height=380)
    fig.update_layout(showlegend=True, barmode="group", legend=LEGEND_BELOW)
    return fig


def pillar_comparison(pillars: pd.DataFrame, kecamatan: str, periode: int, source: str) -> go.Figure:
    """Pillar scores of one kecamatan beside the kabupaten median, the model at 100.

    `pillars`: index = pillar names, columns `kecamatan` and `median` (0–100, NaN = no data)."""
    month = formatting.bulan(periode)
    fig = go.Figure()
    for i, (column, label, colour) in enumerate((("kecamatan", kecamatan, PALETTE[0]),
                                                 ("median", t("istilah.median_asahan"), MUTED))):
        values = pillars[column]
        fig.add_trace(go.Bar(
            x=list(pillars.index), y=values, name=label, marker_color=colour,
            marker_pattern_shape=PATTERNS[i], marker_pattern_fgcolor="white", marker_pattern_fillmode="overlay",
            text=[formatting.angka(v, 0) if pd.notna(v) else t("istilah.tidak_ada_data") for v in values],
            textposition="outside", cliponaxis=False,
            hovertext=[t("grafik.pilar.hover", label=label, pilar=p, skor=formatting.angka(v, 1), bulan=month,
                         sumber=source) for p, v in zip(pillars.index, values, strict=True)],
            hoverinfo="text",
        ))
    fig.add_hline(y=100, line_dash="dash", line_color=MODEL_COLOUR, annotation_text=t("istilah.model_100"),
                  annotation_position="top left", annotation_font_color=MODEL_COLOUR)
    fig.update_yaxes(title_text=t("istilah.skor_pilar_skala"), range=[0, 112], gridcolor="#E5E8EB")
    fig = layout(fig, t("grafik.pilar.judul", bulan=month, kecamatan=kecamatan), height=360)
    fig.update_layout(showlegend=True, barmode="group", legend=LEGEND_BELOW)
    return fig


def rank_ticks(total: int) -> list[int]:
    """Ticks of a rank axis down to the last of `total`: 1, 5, 10 … 25 for Asahan's 25; by tens for a larger
    kabupaten (Garut's 42: 1, 10 … 40), the last rank itself when the last tick falls well short of it."""
    if total <= 6:
        return list(range(1, total + 1))
    step = 5 if total <= 30 else 10
    ticks = [1, *range(step, total + 1, step)]
    return ticks + [total] if total - ticks[-1] >= step / 2 else ticks


def rank_history(history: pd.DataFrame, kecamatan: str, total: int, source: str) -> go.Figure:
    """Rank of one kecamatan per month (1 at the top); unranked months are gaps.

    `history`: rows of benchmark.composite_history for that kecamatan, ordered by periode."""
    x = [per.to_date(m) for m in history["periode"]]
    rank = history["peringkat"].where(history["diperingkat"])
    hover = [
        f"<b>{formatting.bulan(m)}</b><br>"
        + (t("grafik.riwayat.diperingkat", peringkat=formatting.peringkat(r), total=total, skor=formatting.angka(s, 1))
           if pd.notna(r) else t("grafik.riwayat.belum", cakupan=formatting.persen(c)))
        + t("grafik.riwayat.sumber", sumber=source)
        for m, r, s, c in zip(history["periode"], rank, history["skor"], history["cakupan"], strict=True)
    ]
    fig = go.Figure(go.Scatter(x=x, y=rank, mode="lines+markers", line={"color": PALETTE[0], "width": 3},
                               connectgaps=False, hovertext=hover, hoverinfo="text"))
    month_axis(fig, list(history["periode"]))
    fig.update_yaxes(title_text=t("grafik.riwayat.sumbu_y"), range=[total + 0.5, 0.5], tickvals=rank_ticks(total),
                     gridcolor="#E5E8EB")
    first, last = (formatting.bulan(history["periode"].iloc[i]) for i in (0, -1)) if len(history) else ("", "")
    return layout(fig, t("grafik.riwayat.judul", kecamatan=kecamatan, dari=first, sampai=last, total=total),
                   height=360)


FOOTER_NAME = "tiru-kaki"
FOOTER_ROOM = 64  # px under the plot that tick labels and an axis title take (their automargin)


def with_footer(fig: go.Figure, text: str) -> go.Figure:
    """A small grey footer under the plot (period, status, source, DATA CONTOH): part of the figure, so
    that the PNG of Plotly's camera carries it. `text`'s last ' · ' part (the source) goes on a second
    line so that it fits a phone's width; right-aligned under the plot. Replaces an earlier footer."""
    kept = [a for a in (fig.layout.annotations or ()) if a.name != FOOTER_NAME]
    if FOOTER_NAME not in {a.name for a in (fig.layout.annotations or ())}:
        room = max(fig.layout.margin.b if fig.layout.margin.b is not None else 80, FOOTER_ROOM)
        fig.update_layout(margin={"b": room + 30})
    room = fig.layout.margin.b - 30
    head, _, last = text.rpartition(" · ")
    footer = go.layout.Annotation(text=f"{head}<br>{last}" if head else text, name=FOOTER_NAME, xref="paper",
                                  yref="paper", x=1, y=0, xanchor="right", yanchor="top", yshift=-(room + 2),
                                  showarrow=False, align="right", font={"size": 9.5, "color": "#5A6570"})
    fig.layout.annotations = [*kept, footer]
    return fig
