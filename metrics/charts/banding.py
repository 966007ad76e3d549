"""Perbandingan charts: pure builders from engine frames to Plotly figures.

Inputs are what the engine gives the page: `card` = benchmark.scorecard() (one row per
kecamatan × scored indicator with an as-of value), `table` = benchmark.league_table(),
`catalog` = benchmark.Catalog, `values` = scoring.as_of() rows of every indicator (scored and
context). Scores are 0–100 distance to the model, so higher is better for every indicator
(polarity is already in the score). Missing stays missing: no bar, no cell colour, no point,
but a visible "tidak ada data" ("no data") mark.

Every text follows the active language (metrics/core/bahasa.py, catalogue metrics/core/teks/banding.toml);
indicator and pillar names come from the catalogue tables (nama / nama_en).

Here: the shared helpers and data shaping, the grouped bars and the pillar radar of the chosen
kecamatan; the heatmap and the scatter of every kecamatan are in metrics/charts/banding_semua.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from metrics.charts.common import LEGEND_BELOW, MODEL_COLOUR, MUTED, PALETTE, PATTERNS, SYMBOLS, layout, data_text
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.engine import scoring

MIN_KECAMATAN, MAX_KECAMATAN = 2, 8
# The palette without vermillion (the model's colour), then a purple: eight distinct kecamatan, each
# ≥ 3 : 1 on white; bars also carry a pattern and lines a marker symbol per kecamatan (never colour alone).
KECAMATAN_COLOURS = [c for c in PALETTE if c != MODEL_COLOUR] + ["#6A3D9A"]
GRID = "#E5E8EB"


# --------------------------------------------------------------------------- small helpers


def model_label() -> str:
    """'Model (Cimahi Tengah)': the model in legends and tables."""
    return bahasa.t("banding.model")


def median_label() -> str:
    """'Median Asahan' ('Asahan median')."""
    return bahasa.t("istilah.median_asahan")


def no_data() -> str:
    """'tidak ada data' ('no data'): what every chart shows where a value is missing."""
    return bahasa.t("istilah.tidak_ada_data")


def kecamatan_colours(kecamatan: list[str]) -> dict[str, str]:
    """The same colour for a chosen kecamatan in every chart, by its place in the choice."""
    return {code: KECAMATAN_COLOURS[i % len(KECAMATAN_COLOURS)] for i, code in enumerate(kecamatan)}


def label_pendek(kode: str) -> str:
    """Short label of an indicator: 'waktu_tunggu' -> 'Waktu tunggu' ('Waiting time'), 'ikm' -> 'IKM'.

    From the catalogue (banding.pendek.<kode>) where there is one, else made from the code."""
    key = f"banding.pendek.{kode}"
    if key in bahasa.katalog():
        return bahasa.t(key)
    words = [w.upper() if len(w) <= 3 else w for w in str(kode).split("_")]
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def axis_label(kode: str, longest: int = 9) -> str:
    """Axis label that needs no rotation: one word a line, words longer than `longest` cut
    ('pengaduan_tuntas', 7 -> 'Pengad.<br>tuntas'). Full names are in the hover text."""
    words = label_pendek(kode).split(" ")
    return "<br>".join(w if len(w) <= longest else w[: longest - 1] + "." for w in words)


def demo_label() -> str:
    return bahasa.t("istilah.data_contoh")


def reports_label() -> str:
    return bahasa.t("istilah.laporan_kecamatan")


def source_line(demo, sumber=None) -> str:
    """'DATA CONTOH' ('DEMO DATA') for demo values, else the value's own source."""
    if pd.notna(demo) and bool(demo):
        return demo_label()
    return data_text(sumber) if isinstance(sumber, str) and sumber.strip() else reports_label()


def _decimals(meta: pd.Series) -> int:
    upper = meta.get("batas_max")
    try:
        return 2 if upper is not None and float(upper) <= 10 else 1
    except (TypeError, ValueError):
        return 1


def nilai_teks(value, meta: pd.Series) -> str:
    """A raw value with its unit in the active language: '25,3 menit', '87,0 %', '3,40 (indeks 0–5)'
    (English: '25.3 minutes', '87.0%', '3.40 (index 0–5)')."""
    if value is None or pd.isna(value):
        return no_data()
    decimals = 0 if float(value).is_integer() and _decimals(meta) < 2 else _decimals(meta)
    number = formatting.angka(value, decimals)
    unit = str(meta.get("satuan") or "")
    if not unit:
        return number
    if unit == "%" and bahasa.aktif() != "id":
        return f"{number}%"
    shown = formatting.satuan(unit)
    return f"{number} ({shown})" if "–" in unit else f"{number}{formatting.NBSP}{shown}"


def axis_title(meta: pd.Series) -> str:
    unit = meta.get("satuan")
    name = bahasa.nama(meta)
    return f"{name} ({formatting.satuan(str(unit))})" if unit else str(name)


def _ordered_pillars(catalog) -> pd.DataFrame:
    pilar = catalog.pilar
    return pilar.sort_values("urutan") if "urutan" in pilar else pilar


def ordered_indicators(catalog, indikator: list[str] | None = None) -> pd.DataFrame:
    """Scored indicators in catalogue order (grouped by pillar), optionally only `indikator`."""
    scored = catalog.scored
    if "urutan" in scored:
        scored = scored.sort_values("urutan")
    pillars = list(_ordered_pillars(catalog).index)
    scored = scored.assign(_p=scored["pilar"].map({p: i for i, p in enumerate(pillars)}))
    scored = scored.sort_values("_p", kind="stable").drop(columns="_p")
    return scored if indikator is None else scored[scored.index.isin(indikator)]


def _pillar_name(catalog, code) -> str:
    pilar = catalog.pilar
    return str(bahasa.nama(pilar.loc[code])) if "nama" in pilar and code in pilar.index else str(code)


def pillar_tick(catalog, code) -> str:
    """The pillar row of a grouped axis: bold, one blank line below the indicator labels (Plotly puts
    the row right under the first lines and a 3-line label otherwise runs into it)."""
    return f"<br><b>{_pillar_name(catalog, code)}</b>"


def _missing_trace_style() -> dict:
    return {
        "marker": {"color": "rgba(0,0,0,0)", "line": {"color": "#C5CCD3", "width": 1},
                   "pattern": {"shape": "/", "fgcolor": "#C5CCD3", "bgcolor": "rgba(0,0,0,0)", "size": 8}},
        "legendrank": 2000,
    }


# --------------------------------------------------------------------------- data shaping


def default_choice(table: pd.DataFrame) -> list[str]:
    """Top 2 and bottom 2 by Indeks Tiru: the spread of the kabupaten at a glance.

    Ranked kecamatan first (league-table order); when fewer than 4 are ranked, every
    kecamatan with a composite counts; with less than 2, the first kecamatan by code.
    """
    ranked = table[table["diperingkat"]].sort_values(["peringkat", "kode_kecamatan"])
    pool = list(ranked["kode_kecamatan"])
    if len(pool) < 4:
        scored = table[table["skor"].notna()].sort_values(["skor", "kode_kecamatan"], ascending=[False, True])
        pool = list(scored["kode_kecamatan"])
    if len(pool) < MIN_KECAMATAN:
        return sorted(table["kode_kecamatan"])[:MIN_KECAMATAN]
    picked = pool[:2] + [code for code in pool[-2:] if code not in pool[:2]]
    return picked


def median_scores(card: pd.DataFrame, indikator: list[str]) -> pd.Series:
    """Median score per indicator over the kecamatan in `card` that have a value."""
    return card[card["indikator"].isin(indikator)].groupby("indikator")["skor"].median().reindex(indikator)


def pillar_table(card: pd.DataFrame, catalog) -> pd.DataFrame:
    """scoring.pillar_scores with every pillar as a column, in catalogue order."""
    pillars = list(_ordered_pillars(catalog).index)
    if card.empty:
        return pd.DataFrame(columns=pillars, dtype=float)
    return scoring.pillar_scores(card).reindex(columns=pillars)


def score_matrix(card: pd.DataFrame, kecamatan: list[str], indikator: list[str]) -> pd.DataFrame:
    """Scores as kecamatan (rows, in the given order) × indicator (columns); NaN = no data."""
    if card.empty:
        return pd.DataFrame(np.nan, index=kecamatan, columns=indikator)
    matrix = card.pivot(index="kode_kecamatan", columns="indikator", values="skor")
    return matrix.reindex(index=kecamatan, columns=indikator)


def score_table(card: pd.DataFrame, kecamatan: list[str], indikator: list[str], catalog,
                names: pd.Series) -> pd.DataFrame:
    """The numbers behind the grouped bars, formatted: one row per indicator (catalogue
    order), one column per chosen kecamatan and the Asahan median; '—' = no data."""
    meta = ordered_indicators(catalog, indikator)
    codes = list(meta.index)
    matrix = score_matrix(card, kecamatan, codes)
    out = pd.DataFrame({bahasa.t("istilah.indikator"): list(bahasa.names(meta))})
    for code in kecamatan:
        out[str(names.get(code, code))] = [formatting.angka(v, 1) for v in matrix.loc[code]]
    out[median_label()] = [formatting.angka(v, 1) for v in median_scores(card, codes)]
    return out


def pillar_score_table(card: pd.DataFrame, kecamatan: list[str], catalog, names: pd.Series,
                       model: str | None = None) -> pd.DataFrame:
    """The numbers behind the radar, formatted: one row per chosen kecamatan, then the Asahan
    median and the model (100); one column per pillar; '—' = no data."""
    pillars = list(_ordered_pillars(catalog).index)
    scores = pillar_table(card, catalog)
    rows = [scores.loc[code] if code in scores.index else pd.Series(np.nan, index=pillars) for code in kecamatan]
    rows += [scores.median(), pd.Series(100.0, index=pillars)]
    out = pd.DataFrame({bahasa.t("istilah.kecamatan"): [str(names.get(c, c)) for c in kecamatan]
                        + [median_label(), model or model_label()]})
    for p in pillars:
        out[_pillar_name(catalog, p)] = [formatting.angka(row.get(p), 1) for row in rows]
    return out


def model_note(catalog, escape=data_text) -> str:
    """Where the model's values come from (catalog.indikator model_sumber, model_tanggal); the
    sources, typed by an admin, go through `escape` (HTML for a figure, Markdown for a caption)."""
    parts = []
    for sumber, tanggal in catalog.scored[["model_sumber", "model_tanggal"]].drop_duplicates().itertuples(index=False):
        text = escape(sumber) if isinstance(sumber, str) and sumber.strip() else bahasa.t("banding.sumber.model")
        if pd.notna(tanggal):
            text += " " + bahasa.t("banding.per_tanggal",
                                   bulan=formatting.bulan(per.from_date(pd.Timestamp(tanggal).date())))
        parts.append(text)
    return bahasa.t("banding.catatan_model", sumber="; ".join(parts))


# --------------------------------------------------------------------------- grouped bars


def score_bars(card: pd.DataFrame, kecamatan: list[str], indikator: list[str], catalog, names: pd.Series,
               periode: int, model: str | None = None) -> go.Figure:
    """Scores per indicator: one bar per chosen kecamatan plus the Asahan median; model line at 100.

    One bar group per indicator (grouped by pillar on the axis). A kecamatan without a value
    for an indicator gets no bar but a hatched 'tidak ada data' column, never a zero bar.
    """
    t = bahasa.t
    model = model or model_label()
    median_name = median_label()
    month = formatting.bulan(periode)
    meta = ordered_indicators(catalog, indikator)
    codes = list(meta.index)
    full_names = bahasa.names(meta)
    x = [[pillar_tick(catalog, p) for p in meta["pilar"]], [axis_label(c, 9) for c in codes]]
    metas = {ind: meta.loc[ind] for ind in codes}  # one lookup per indicator, not per bar
    models = {ind: nilai_teks(metas[ind]["model"], metas[ind]) for ind in codes}
    colours = kecamatan_colours(kecamatan)
    fig = go.Figure()
    missing_shown = False

    def add_missing(name: str, group: str, where: list[bool], hover: list[str]) -> None:
        nonlocal missing_shown
        if not any(where):
            return
        fig.add_trace(go.Bar(
            x=x, y=[100 if m else None for m in where], name=t("banding.arsir"), offsetgroup=group,
            legendgroup="tidak_ada_data", showlegend=not missing_shown, hovertext=hover, hoverinfo="text",
            text=["–" if m else "" for m in where], textposition="inside", insidetextanchor="start",
            textfont={"color": "#5A6570"}, **_missing_trace_style(),
        ))
        missing_shown = True

    for code in kecamatan:
        rows = card[card["kode_kecamatan"] == code].set_index("indikator").reindex(codes)
        name = str(names.get(code, code))
        hover = []
        for ind, row in zip(codes, rows.itertuples(), strict=True):
            full = full_names[ind]
            if pd.isna(row.skor):
                hover.append(t("banding.hover.kosong", kecamatan=name, indikator=full, bulan=month))
                continue
            hover.append(t(
                "banding.hover.batang_melampaui" if bool(row.melampaui) else "banding.hover.batang",
                kecamatan=name, indikator=full, nilai=nilai_teks(row.nilai, metas[ind]),
                skor=formatting.angka(row.skor, 1), model=models[ind],
                periode=formatting.bulan(int(row.periode_nilai)),
                sumber=source_line(row.demo, getattr(row, "sumber", None)),
            ))
        y = [None if pd.isna(v) else float(v) for v in rows["skor"]]
        place = kecamatan.index(code) % len(PATTERNS)
        fig.add_trace(go.Bar(x=x, y=y, name=name, offsetgroup=code, marker_color=colours[code],
                             marker_pattern_shape=PATTERNS[place], marker_pattern_fgcolor="white",
                             marker_pattern_fillmode="overlay",
                             hovertext=hover, hoverinfo="text"))
        add_missing(name, code, [v is None for v in y], hover)

    median = median_scores(card, codes)
    counts = card[card["indikator"].isin(codes)].groupby("indikator")["skor"].count().reindex(codes).fillna(0)
    demo = card[card["indikator"].isin(codes)].groupby("indikator")["demo"].any().reindex(codes).fillna(False)
    hover = [
        t("banding.hover.median", median=median_name, indikator=full_names[c], skor=formatting.angka(median[c], 1),
          n=int(counts[c]), bulan=month, sumber=demo_label() if demo[c] else reports_label())
        if pd.notna(median[c]) else
        t("banding.hover.median_kosong", median=median_name, indikator=full_names[c], bulan=month,
          sumber=demo_label() if demo[c] else reports_label())
        for c in codes
    ]
    median_y = [None if pd.isna(v) else float(v) for v in median]
    fig.add_trace(go.Bar(x=x, y=median_y, name=median_name, offsetgroup="median",
                         marker={"color": MUTED}, legendrank=1999,
                         hovertext=hover, hoverinfo="text"))
    add_missing(median_name, "median", [v is None for v in median_y], hover)

    fig.add_hline(y=100, line_dash="dash", line_color=MODEL_COLOUR, line_width=2)
    fig.add_annotation(x=1, xref="paper", y=100, text=f"{model} = 100", showarrow=False, xanchor="right",
                       yanchor="bottom", font={"color": MODEL_COLOUR})
    fig.update_layout(barmode="group", bargap=0.18, bargroupgap=0.04)
    fig.update_yaxes(title_text=t("banding.batang.sumbu_y"), range=[0, 112], tickvals=[0, 25, 50, 75, 100],
                     gridcolor=GRID, zeroline=True, zerolinecolor="#B8C0C8")
    fig.update_xaxes(title_text=t("banding.batang.sumbu_x"), tickfont={"size": 11}, tickangle=0)
    title = t("banding.batang.judul", bulan=month)
    layout(fig, title, height=500)
    fig.update_layout(showlegend=True, legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0,
                                               "font": {"size": 12}},
                      margin={"l": 10, "r": 20, "t": 110, "b": 40})
    return fig


# --------------------------------------------------------------------------- pillar radar


def pillar_radar(card: pd.DataFrame, kecamatan: list[str], catalog, names: pd.Series, periode: int,
                 model: str | None = None) -> go.Figure:
    """Pillar scores (mean of the present indicator scores) of the chosen kecamatan, the
    Asahan median per pillar, and the model (100 on every axis). A pillar without any
    indicator value is a gap in the outline, never zero."""
    t = bahasa.t
    model = model or model_label()
    median_name, missing_text = median_label(), no_data()
    month = formatting.bulan(periode)
    pillars = list(_ordered_pillars(catalog).index)
    theta = [_pillar_name(catalog, p) for p in pillars]
    closed = theta + theta[:1]
    scores = pillar_table(card, catalog)
    n_total = catalog.scored.groupby("pilar").size().reindex(pillars).fillna(0).astype(int)
    present = (card.groupby(["kode_kecamatan", "pilar"])["skor"].count().unstack()
               .reindex(columns=pillars) if not card.empty else pd.DataFrame(columns=pillars))
    colours = kecamatan_colours(kecamatan)
    fig = go.Figure()
    fig.add_trace(go.Scatterpolar(
        r=[100] * len(closed), theta=closed, name=f"{model} = 100", mode="lines",
        line={"color": MODEL_COLOUR, "dash": "dash", "width": 2}, hoverinfo="text",
        hovertext=[t("banding.hover.radar_model", model=model, pilar=p) for p in closed],
    ))
    median = scores.median()  # over the Asahan kecamatan with a pillar score
    n_median = scores.count()
    fig.add_trace(go.Scatterpolar(
        r=_close([median.get(p) for p in pillars]), theta=closed, name=median_name, mode="lines+markers",
        line={"color": MUTED, "dash": "dot", "width": 2}, marker={"size": 6}, hoverinfo="text",
        hovertext=_close([
            t("banding.hover.radar_median", median=median_name, pilar=name, bulan=month,
              skor=t("banding.hover.radar_median_skor", skor=formatting.angka(median[p], 1), n=int(n_median[p]))
              if pd.notna(median.get(p)) else missing_text)
            for p, name in zip(pillars, theta, strict=True)
        ]),
    ))
    for code in kecamatan:
        name = str(names.get(code, code))
        row = scores.loc[code] if code in scores.index else pd.Series(np.nan, index=pillars)
        counts = present.loc[code] if code in present.index else pd.Series(0, index=pillars)
        demo = bool(card.loc[card["kode_kecamatan"] == code, "demo"].any()) if not card.empty else False
        hover = []
        for p, pillar in zip(pillars, theta, strict=True):
            value = row.get(p)
            if pd.isna(value):
                hover.append(t("banding.hover.radar_kosong", kecamatan=name, pilar=pillar, bulan=month))
            else:
                n = int(counts.get(p) if pd.notna(counts.get(p)) else 0)
                hover.append(
                    t(
                        "banding.hover.radar",
                        kecamatan=name,
                        pilar=pillar,
                        skor=formatting.angka(value, 1),
                        n=n,
                        dari=int(n_total[p]),
                        bulan=month,
                        sumber=demo_label() if demo else reports_label(),
                    )
                )
        fig.add_trace(go.Scatterpolar(
            r=_close([None if pd.isna(row.get(p)) else float(row.get(p)) for p in pillars]), theta=closed,
            name=name, mode="lines+markers", line={"color": colours[code], "width": 2.5},
            marker={"size": 8, "symbol": SYMBOLS[kecamatan.index(code) % len(SYMBOLS)]}, connectgaps=False,
            hoverinfo="text", hovertext=_close(hover),
        ))
    title = t("banding.radar.judul", bulan=month)
    layout(fig, title, height=480)
    fig.update_layout(
        showlegend=True,
        legend={**LEGEND_BELOW, "font": {"size": 13}},
        margin={"l": 70, "r": 20, "t": 100, "b": 30},
        polar={
            "gridshape": "linear",
            "radialaxis": {
                "range": [0, 100],
                "tickvals": [0, 25, 50, 75, 100],
                "angle": 90 - 180 / max(len(theta), 1),
                "tickfont": {"size": 10},
                "gridcolor": GRID,
                "title": {"text": ""},
            },
            "angularaxis": {"direction": "clockwise", "gridcolor": GRID, "linecolor": GRID, "tickfont": {"size": 13}},
            "bgcolor": "white",
        },
    )
    return fig


def _close(values: list) -> list:
    return list(values) + list(values[:1])
