"""Chart builders: pure functions from engine frames to Plotly figures.

Every figure is titled with its unit and period, uses Indonesian separators (1.234,5),
the Okabe–Ito colour-blind-safe palette, and hover text that names source and period.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from metrics import formatting

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
MODEL_COLOUR = "#D55E00"
MUTED = "#8A96A3"


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 18}},
        separators=",.",  # decimal comma, thousands dot
        colorway=OKABE_ITO,
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
        f"<b>{r.kecamatan}</b><br>Indeks Tiru: {formatting.angka(r.skor, 1)}<br>"
        f"Peringkat {formatting.peringkat(r.peringkat)} (rentang {r.peringkat_min:.0f}–{r.peringkat_max:.0f})<br>"
        f"Cakupan data: {formatting.persen(r.cakupan)}<br>Periode: {month}<br>Sumber: {source}"
        for r in ranked.itertuples()
    ]
    fig = go.Figure(
        go.Bar(
            x=ranked["skor"],
            y=ranked["kecamatan"],
            orientation="h",
            marker_color=OKABE_ITO[0],
            text=[formatting.angka(v, 1) for v in ranked["skor"]],
            textposition="outside",
            cliponaxis=False,
            hovertext=hover,
            hoverinfo="text",
        )
    )
    fig.add_vline(x=100, line_dash="dash", line_color=MODEL_COLOUR)
    fig.add_annotation(x=100, y=1, yref="paper", text="Model = 100", showarrow=False, xanchor="right",
                       yanchor="bottom", font={"color": MODEL_COLOUR})
    fig.update_xaxes(title_text="Indeks Tiru (0–100, model Cimahi Tengah = 100)", range=[0, 108],
                     gridcolor="#E5E8EB")
    fig.update_yaxes(title_text=None, automargin=True)
    title = f"Indeks Tiru per kecamatan<br><sup>{month} · skala 0–100, model = 100</sup>"
    return _layout(fig, title, height=max(320, 26 * len(ranked) + 120))
