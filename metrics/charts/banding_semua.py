"""Perbandingan charts of every kecamatan at once: the score heatmap (all kecamatan × every
scored indicator) and the scatter of two indicators' raw values. The charts of the chosen
kecamatan (grouped bars, pillar radar) and the shared helpers are in metrics/charts/banding.py,
whose docstring says what the inputs are. Missing stays missing, with a visible mark.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from metrics.charts.banding import (
    GRID,
    demo_label,
    ordered_indicators,
    pillar_tick,
    reports_label,
    source_line,
    axis_label,
    axis_title,
    kecamatan_colours,
    label_pendek,
    model_label,
    nilai_teks,
    no_data,
    score_matrix,
)
from metrics.charts.common import MODEL_COLOUR, MUTED, layout, data_text, wrap
from metrics.core import bahasa, formatting

VOLUME = "volume_layanan"
MISSING_FILL = "#E5E8EB"
DARK_TEXT_FROM = 55  # Viridis is light enough for dark text from this score up


# --------------------------------------------------------------------------- data shaping


def scatter_frame(values: pd.DataFrame, kecamatan: pd.Series, x: str, y: str, volume: str = VOLUME) -> pd.DataFrame:
    """One row per kecamatan (index kode, in the order of `kecamatan`: kode -> nama).

    Columns: nama, x, y, volume (NaN = no data), their periods (month index) and the source
    of the values shown (DATA CONTOH when any of them is demo).
    """
    out = pd.DataFrame({"nama": kecamatan})
    out.index.name = "kode_kecamatan"
    for role, code in (("x", x), ("y", y), ("volume", volume)):
        rows = values[values["indikator"] == code].set_index("kode_kecamatan")
        out[role] = rows["nilai"].reindex(out.index).astype(float)
        out[f"{role}_periode"] = rows["periode_nilai"].reindex(out.index)
        demo = rows["demo"] if "demo" in rows else pd.Series(False, index=rows.index)
        out[f"{role}demo_label"] = demo.reindex(out.index).astype("boolean")
        sumber = rows["sumber"] if "sumber" in rows else pd.Series(None, index=rows.index, dtype=object)
        out[f"{role}_sumber"] = sumber.reindex(out.index)
    return out



# --------------------------------------------------------------------------- heatmap


def row_labels(table: pd.DataFrame, highlight: list[str] = ()) -> list[str]:
    """'1. Kota Kisaran Barat'; unranked '— Aek Ledong'; chosen kecamatan in bold."""
    labels = []
    for row in table.itertuples():
        rank = f"{int(row.peringkat)}." if row.diperingkat and pd.notna(row.peringkat) else "—"
        label = f"{rank} {row.kecamatan}"
        labels.append(f"<b>{label}</b>" if row.kode_kecamatan in highlight else label)
    return labels


def score_heatmap(card: pd.DataFrame, table: pd.DataFrame, catalog, periode: int,
                  highlight: list[str] = ()) -> go.Figure:
    """All kecamatan of `table` (league-table order: by rank, unranked last) × every scored
    indicator (grouped by pillar); cell = score 0–100, missing cells grey with '–'."""
    t = bahasa.t
    month = formatting.bulan(periode)
    meta = ordered_indicators(catalog)
    full_names = bahasa.names(meta)
    codes = list(meta.index)
    kecamatan = list(table["kode_kecamatan"])
    matrix = score_matrix(card, kecamatan, codes)
    y = row_labels(table, highlight)
    x = [[pillar_tick(catalog, p) for p in meta["pilar"]], [axis_label(c, 7) for c in codes]]
    # One pass over the scorecard into a dict: 300 MultiIndex lookups cost ~50 ms a rerun.
    found = {(r.kode_kecamatan, r.indikator): r for r in card.itertuples(index=False)}
    metas = {ind: meta.loc[ind] for ind in codes}
    months: dict[int, str] = {}
    names = table.set_index("kode_kecamatan")["kecamatan"]
    hover, text = [], []
    for code in kecamatan:
        hover_row, text_row = [], []
        for ind in codes:
            full = full_names[ind]
            row = found.get((code, ind))
            if row is None:
                hover_row.append(t("banding.hover.kosong", kecamatan=names[code], indikator=full, bulan=month))
                text_row.append("–")
                continue
            periode_nilai = int(row.periode_nilai)
            if periode_nilai not in months:
                months[periode_nilai] = formatting.bulan(periode_nilai)
            hover_row.append(t(
                "banding.hover.sel_melampaui" if bool(row.melampaui) else "banding.hover.sel",
                kecamatan=names[code], indikator=full, skor=formatting.angka(row.skor, 1),
                nilai=nilai_teks(row.nilai, metas[ind]), periode=months[periode_nilai],
                sumber=source_line(row.demo, getattr(row, "sumber", None)),
            ))
            text_row.append(formatting.angka(row.skor, 0))
        hover.append(hover_row)
        text.append(text_row)
    z = matrix.to_numpy(dtype=float)
    missing = np.isnan(z)
    fig = go.Figure()
    fig.add_trace(go.Heatmap(
        x=x, y=y, z=np.where(missing, 1.0, np.nan), colorscale=[[0, MISSING_FILL], [1, MISSING_FILL]],
        showscale=False, text=np.where(missing, "–", ""), texttemplate="%{text}", textfont={"color": "#5A6570"},
        hovertext=hover, hoverinfo="text", xgap=2, ygap=2, name=no_data(),
    ))
    fig.add_trace(go.Heatmap(
        x=x, y=y, z=z, zmin=0, zmax=100, colorscale="Viridis", xgap=2, ygap=2,
        hovertext=hover, hoverinfo="text", name=t("istilah.skor"),
        colorbar={"title": {"text": t("banding.peta_skor.skala"), "side": "top", "font": {"size": 12}},
                  "tickvals": [0, 25, 50, 75, 100], "thickness": 14, "len": 0.9},
    ))
    # Cell numbers as a text layer: dark on the light end of Viridis, white on the dark end.
    cells = [(i, j) for i in range(len(kecamatan)) for j in range(len(codes)) if not missing[i, j]]
    fig.add_trace(go.Scatter(
        x=[[x[0][j] for _, j in cells], [x[1][j] for _, j in cells]], y=[y[i] for i, _ in cells],
        mode="text", text=[text[i][j] for i, j in cells], hoverinfo="skip", showlegend=False,
        name=t("banding.peta_skor.angka"),
        textfont={"size": 12, "color": ["#1F2A36" if z[i, j] >= DARK_TEXT_FROM else "white" for i, j in cells]},
    ))
    fig.update_yaxes(autorange="reversed", title_text=None, tickfont={"size": 12}, automargin=True)
    fig.update_xaxes(side="top", title_text=None, tickfont={"size": 10}, tickangle=0, automargin=True)
    title = t("banding.peta_skor.judul", bulan=month)
    layout(fig, title, height=max(360, 27 * len(kecamatan) + 190))
    fig.update_layout(margin={"l": 10, "r": 10, "t": 150, "b": 10}, plot_bgcolor="white",
                      title={"yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 14}})
    return fig


# --------------------------------------------------------------------------- scatter


MAX_SIZE, FIXED_SIZE, MIN_SIZE = 42.0, 12.0, 6.0  # marker sizes (px); FIXED_SIZE when volume is unknown
_MEDIAN_LINE = {"line_dash": "dot", "line_color": "#9AA5B1", "line_width": 1}
_MEDIAN_FONT = {"size": 10, "color": "#6B7785"}


def indicator_scatter(frame: pd.DataFrame, x: str, y: str, catalog, periode: int, highlight: list[str] = (),
                      model: str | None = None) -> go.Figure:
    """Raw values of two indicators per kecamatan (frame = scatter_frame()), the model point,
    marker area ∝ service volume (constant when volume is missing), chosen kecamatan coloured."""
    model = model or model_label()
    mx, my = catalog.indikator.loc[x], catalog.indikator.loc[y]
    vol_meta = _volume_meta(catalog.indikator)
    shown = frame[frame["x"].notna() & frame["y"].notna()]
    sizes = _sizer(shown)
    hover = _hover(mx, my, vol_meta)
    fig = go.Figure()
    _add_points(fig, shown, highlight, sizes, hover)
    _add_model_point(fig, mx, my, shown, model)
    _add_medians(fig, shown)
    fig.update_xaxes(title_text=_scatter_axis_title(mx), gridcolor=GRID, zeroline=False)
    fig.update_yaxes(title_text=_scatter_axis_title(my), gridcolor=GRID, zeroline=False)
    notes = _scatter_notes(frame, shown, vol_meta)
    title = (bahasa.t("banding.sebar.judul", x=label_pendek(x), y=label_pendek(y), bulan=formatting.bulan(periode),
                      catatan=notes[0])
             + "".join(f"<br><sup>{note}</sup>" for note in notes[1:]))
    layout(fig, title, height=520)
    fig.update_layout(showlegend=True, legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0,
                                               "x": 0, "font": {"size": 12}},
                      margin={"l": 10, "r": 20, "t": 80 + 16 * (len(notes) - 1), "b": 110}, height=560)
    return fig


def _volume_meta(ind: pd.DataFrame) -> pd.Series:
    """The service-volume indicator's catalogue row (its name alone when the catalogue lacks it)."""
    return ind.loc[VOLUME] if VOLUME in ind.index else pd.Series({"nama": bahasa.t("istilah.volume_layanan"),
                                                                   "satuan": ""})


def _sizer(shown: pd.DataFrame):
    """Marker sizes of some rows of `shown`: area ∝ volume against the biggest shown, FIXED_SIZE where unknown."""
    known = shown["volume"].notna()
    biggest = float(shown.loc[known, "volume"].max()) if known.any() else math.nan

    def sizes(rows: pd.DataFrame) -> list[float]:
        if math.isnan(biggest) or biggest <= 0:
            return [FIXED_SIZE] * len(rows)
        return [FIXED_SIZE if pd.isna(v) else max(MIN_SIZE, MAX_SIZE * math.sqrt(max(v, 0) / biggest))
                for v in rows["volume"]]

    return sizes


def _point_source(row) -> str:
    """Where a point's values come from: DATA CONTOH when any of them is demo data."""
    if any(bool(row[f"{r}demo_label"]) for r in ("x", "y", "volume") if pd.notna(row[f"{r}demo_label"])):
        return demo_label()
    texts = {row[f"{r}_sumber"] for r in ("x", "y") if isinstance(row[f"{r}_sumber"], str)}
    return data_text("; ".join(sorted(texts))) or reports_label()


def _hover(mx: pd.Series, my: pd.Series, vol_meta: pd.Series):
    """Hover texts of some rows: name, both values and the volume with their months, the source."""
    t = bahasa.t
    vol_name = bahasa.nama(vol_meta)
    axes = (("x", mx, bahasa.nama(mx)), ("y", my, bahasa.nama(my)))

    def hover(rows: pd.DataFrame) -> list[str]:
        out = []
        for _, row in rows.iterrows():
            parts = [f"<b>{row['nama']}</b>"]
            for role, meta, name in axes:
                parts.append(f"{name}: {nilai_teks(row[role], meta)} "
                             f"({formatting.bulan(int(row[f'{role}_periode']))})")
            if pd.isna(row["volume"]):
                parts.append(t("banding.sebar.volume_kosong", volume=vol_name))
            else:
                parts.append(f"{vol_name}: {nilai_teks(row['volume'], vol_meta)} "
                             f"({formatting.bulan(int(row['volume_periode']))})")
            parts.append(t("istilah.sumber_isi", sumber=_point_source(row)))
            out.append("<br>".join(parts))
        return out

    return hover


def _add_points(fig: go.Figure, shown: pd.DataFrame, highlight, sizes, hover) -> None:
    """Every kecamatan muted, then the chosen ones coloured, each with a labelled callout."""
    others = shown[~shown.index.isin(highlight)]
    fig.add_trace(go.Scatter(
        x=others["x"], y=others["y"], mode="markers", name=bahasa.t("banding.sebar.lainnya"),
        marker={"size": sizes(others), "color": MUTED, "opacity": 0.55, "line": {"color": "white", "width": 1}},
        hovertext=hover(others), hoverinfo="text", customdata=list(others.index),
    ))
    colours = kecamatan_colours(list(highlight))
    # Labels as callouts on alternate sides along x, so that close points stay legible.
    along_x = [c for c in shown.sort_values("x").index if c in highlight]
    side = {code: (-1 if i % 2 == 0 else 1) for i, code in enumerate(along_x)}
    for code in highlight:
        if code not in shown.index:
            continue
        rows = shown.loc[[code]]
        name = str(rows["nama"].iloc[0])
        fig.add_trace(go.Scatter(
            x=rows["x"], y=rows["y"], mode="markers", name=name,
            marker={"size": sizes(rows), "color": colours[code], "opacity": 0.85,
                    "line": {"color": "white", "width": 1}},
            hovertext=hover(rows), hoverinfo="text", customdata=[code],
        ))
        fig.add_annotation(
            x=float(rows["x"].iloc[0]), y=float(rows["y"].iloc[0]), text=name, showarrow=True, arrowhead=0,
            arrowcolor=colours[code], ax=18 * side[code], ay=40 * side[code], font={"size": 12, "color": "#1F2A36"},
            bgcolor="rgba(255,255,255,0.85)", bordercolor=colours[code], borderpad=2,
        )


def _add_model_point(fig: go.Figure, mx: pd.Series, my: pd.Series, shown: pd.DataFrame, model: str) -> None:
    """The model's values of both indicators as a diamond, labelled on the side away from the crowd."""
    model_x, model_y = mx.get("model"), my.get("model")
    if pd.isna(model_x) or pd.isna(model_y):
        return
    left = shown.empty or float(model_x) <= float(shown["x"].median())
    sumber = data_text(mx["model_sumber"]) if mx.get("model_sumber") else bahasa.t("banding.sumber.model")
    fig.add_trace(go.Scatter(
        x=[float(model_x)], y=[float(model_y)], mode="markers+text", name=model, text=[model],
        textposition="middle right" if left else "middle left", textfont={"color": MODEL_COLOUR, "size": 12},
        marker={"symbol": "diamond", "size": 14, "color": MODEL_COLOUR, "line": {"color": "white", "width": 1}},
        hoverinfo="text",
        hovertext=[bahasa.t("banding.sebar.hover_model", model=model, x=bahasa.nama(mx), nilai_x=nilai_teks(model_x, mx),
                            y=bahasa.nama(my), nilai_y=nilai_teks(model_y, my), sumber=sumber)],
    ))


def _add_medians(fig: go.Figure, shown: pd.DataFrame) -> None:
    """Dotted lines at the median of each axis over the points shown, each labelled."""
    if shown.empty:
        return
    text = bahasa.t("banding.sebar.median")
    med_x, med_y = float(shown["x"].median()), float(shown["y"].median())
    fig.add_vline(x=med_x, **_MEDIAN_LINE)
    fig.add_annotation(x=med_x, y=1, yref="paper", text=text, showarrow=False, yanchor="top", xanchor="left",
                       font=_MEDIAN_FONT)
    fig.add_hline(y=med_y, **_MEDIAN_LINE)
    fig.add_annotation(x=1, xref="paper", y=med_y, text=text, showarrow=False, xanchor="right", yanchor="bottom",
                       font=_MEDIAN_FONT)


def _scatter_axis_title(meta: pd.Series) -> str:
    """An axis title, with "lower is better" under it for a scored indicator whose direction is lower."""
    note = (f"<br><span style='font-size:12px'>{bahasa.t('istilah.arah_baik.lower')}</span>"
            if meta.get("arah") == "lower" and pd.notna(meta.get("pilar")) else "")
    return wrap(axis_title(meta)) + note


def _scatter_notes(frame: pd.DataFrame, shown: pd.DataFrame, vol_meta: pd.Series) -> list[str]:
    """The title's notes: what marker size means (or that it is fixed), and kecamatan left out."""
    t = bahasa.t
    vol_name = bahasa.nama(vol_meta).lower()
    known = shown["volume"].notna()
    if not known.any():
        notes = [t("banding.sebar.ukuran_tetap", volume=vol_name)]
    else:
        unit = f" ({formatting.satuan(str(vol_meta['satuan']))})" if vol_meta.get("satuan") else ""
        notes = [t("banding.sebar.ukuran", volume=vol_name) + unit]
        if not known.all():
            notes.append(t("banding.sebar.sebagian_tetap", n=int((~known).sum())))
    left_out = len(frame) - len(shown)
    if left_out:
        notes.append(t("banding.sebar.tidak_tampil", n=left_out))
    return notes
