"""Map builders: kecamatan as bubbles at their centres, or as filled boundaries when a GeoJSON
file is configured — both drawn without map tiles or any download, so the map works offline.

Why plain x/y axes (longitude, latitude at equal scale) and not Plotly's geo traces: every
geo subplot whose trace has a `locationmode` (a Choropleth with `geojson=` always has one,
'geojson-id') makes plotly.js fetch a world topojson from cdn.plot.ly, and offline that fetch
fails and nothing is drawn (checked in headless Chromium without network). Polygons drawn as
filled scatter traces need nothing from outside. The y axis is scaled by 1/cos(latitude), so
a kilometre is as long east–west as north–south (equirectangular, exact enough for a kabupaten).

Also here, because the builders need it: reading the boundary file named by TIRU_GEOJSON
(a GeoJSON FeatureCollection whose features carry properties.kode) and shaping the engine's
frames (league table, scorecard) into one row per kecamatan to colour.

Every text follows the active language (metrics/core/bahasa.py, catalogue metrics/core/teks/peta.toml).
"""

from __future__ import annotations

import html
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.colors as pc
import plotly.graph_objects as go

from metrics.charts.common import LEGEND_BELOW, layout
from metrics.core import bahasa, formatting
from metrics.engine import tren

GEOJSON_ENV = "TIRU_GEOJSON"  # path of a kecamatan boundary GeoJSON keyed by properties.kode
COMPOSITE = "indeks"  # the Peta's measure code for the Indeks Tiru
COLOURSCALE = "Viridis"  # colour-blind-safe, no grey in it (grey means "no data")
MISSING_FILL = "#E3E7EB"
MISSING_LINE = "#8A96A3"
SIZE_MIN, SIZE_MAX, SIZE_CONSTANT = 12, 36, 20
MAP_HEIGHT = 800
EMPTY_HEIGHT = 300  # no centre known: the title and the sentence saying so, no empty canvas
# Label placement assumes about this many pixels per degree: the 25 Asahan centres span 0,5° of
# latitude, drawn in the ~650 px a MAP_HEIGHT figure leaves for the plot (also ~ the width
# available at 1280 px). Only used to keep names apart; a wrong guess overlaps, nothing worse.
PX_PER_DEGREE = 720.0
AXIS_PAD = 0.09  # degrees around the centres, room for the names at the edges


class BoundaryError(ValueError):
    """The configured boundary file cannot be used; the message says why, in the active language."""


# --------------------------------------------------------------------------- boundaries


def geojson_path() -> str | None:
    """The configured boundary file (TIRU_GEOJSON), or None when not set."""
    value = os.environ.get(GEOJSON_ENV, "").strip()
    return value or None


def load_boundaries(path: str | Path) -> dict[str, dict]:
    """kode -> GeoJSON geometry (Polygon/MultiPolygon) of every feature with properties.kode.

    Raises BoundaryError when the file is missing, unreadable, not a FeatureCollection, or
    has no polygon feature with a kode.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BoundaryError(bahasa.t("peta.batas.tidak_ada", berkas=path)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise BoundaryError(bahasa.t("peta.batas.tak_terbaca", berkas=path)) from exc
    except ValueError as exc:
        raise BoundaryError(bahasa.t("peta.batas.bukan_json", berkas=path)) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryError(bahasa.t("peta.batas.bukan_koleksi", berkas=path))
    shapes = {}
    for feature in data.get("features") or []:
        if not isinstance(feature, dict):
            continue
        kode = (feature.get("properties") or {}).get("kode")
        geometry = feature.get("geometry") or {}
        if kode and geometry.get("type") in ("Polygon", "MultiPolygon") and geometry.get("coordinates"):
            shapes[str(kode)] = geometry
    if not shapes:
        raise BoundaryError(bahasa.t("peta.batas.tanpa_kode", berkas=path))
    return shapes


def _rings(geometry: dict) -> tuple[list, list]:
    """Exterior rings of a (Multi)Polygon as x/y lists separated by None (holes not drawn)."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    xs, ys = [], []
    for polygon in polygons:
        ring = polygon[0]
        xs += [float(p[0]) for p in ring] + [None]
        ys += [float(p[1]) for p in ring] + [None]
    return xs[:-1], ys[:-1]


# --------------------------------------------------------------------------- measures


@dataclass(frozen=True)
class Measure:
    """What the colour means: label (already in the active language), unit (the catalogue's
    Indonesian unit, shown via formatting.satuan), direction, and whether it is a 0–100 score."""

    label: str
    unit: str
    higher_better: bool = True
    score: bool = True

    @property
    def unit_text(self) -> str:
        return formatting.satuan(self.unit)

    @property
    def colourbar_title(self) -> str:
        key = "peta.skala_tinggi" if self.higher_better else "peta.skala_rendah"
        return bahasa.t(key, satuan=self.unit_text)


MAP_COLUMNS = ["kode_kecamatan", "nama", "lat", "lon", "nilai", "teks", "periode_nilai", "sumber", "volume", "catatan"]


def _base(kecamatan: pd.DataFrame, volume: pd.Series | None) -> pd.DataFrame:
    base = kecamatan[["kode", "nama", "lat", "lon"]].rename(columns={"kode": "kode_kecamatan"}).copy()
    base["volume"] = base["kode_kecamatan"].map(volume if volume is not None else {}).astype(float)
    return base


def composite_frame(table: pd.DataFrame, card: pd.DataFrame, kecamatan: pd.DataFrame, periode: int,
                    volume: pd.Series | None = None) -> tuple[pd.DataFrame, Measure]:
    """One row per kecamatan coloured by its Indeks Tiru (benchmark.league_table).

    Kecamatan below the coverage threshold keep their (partial) index, noted in `catatan`;
    those with nothing to score are NaN (drawn as 'tidak ada data').
    """
    out = _base(kecamatan, volume)
    rows = table.set_index("kode_kecamatan")
    out["nilai"] = out["kode_kecamatan"].map(rows["skor"]).astype(float)
    ranked = out["kode_kecamatan"].map(rows["diperingkat"]).eq(True)
    coverage = out["kode_kecamatan"].map(rows["cakupan"])
    out["teks"] = [formatting.angka(v, 1) for v in out["nilai"]]
    out["catatan"] = [
        "" if ok or pd.isna(v) else bahasa.t("peta.belum_diperingkat", cakupan=formatting.persen(c))
        for ok, v, c in zip(ranked, out["nilai"], coverage, strict=True)
    ]
    out["periode_nilai"] = np.where(out["nilai"].notna(), periode, np.nan)
    demo = card.groupby("kode_kecamatan")["demo"].any() if len(card) else pd.Series(dtype=bool)
    out["sumber"] = [
        formatting.MISSING if pd.isna(v) else (tren.demo_source() if demo.get(k, False)
                                               else bahasa.t("istilah.laporan_kecamatan"))
        for k, v in zip(out["kode_kecamatan"], out["nilai"], strict=True)
    ]
    return out[MAP_COLUMNS], Measure(bahasa.t("istilah.indeks_tiru"), "skor 0–100")


def indicator_frame(card: pd.DataFrame, meta: pd.Series, kecamatan: pd.DataFrame, ukuran: str = "skor",
                    volume: pd.Series | None = None) -> tuple[pd.DataFrame, Measure]:
    """One row per kecamatan coloured by one indicator's as-of score (ukuran='skor') or raw
    value (ukuran='nilai'), from benchmark.scorecard; meta is the catalogue row (name = code)."""
    out = _base(kecamatan, volume)
    rows = card[card["indikator"] == meta.name].set_index("kode_kecamatan")
    column = "skor" if ukuran == "skor" else "nilai"
    out["nilai"] = out["kode_kecamatan"].map(rows[column]).astype(float)
    raw = out["kode_kecamatan"].map(rows["nilai"])
    score = out["kode_kecamatan"].map(rows["skor"])
    beyond = out["kode_kecamatan"].map(rows["melampaui"]).eq(True)
    out["teks"] = [
        formatting.MISSING if pd.isna(r) else
        bahasa.t("peta.teks_melampaui" if b else "peta.teks_skor", nilai=formatting.nilai(r, meta["satuan"]),
                 skor=formatting.angka(s, 1))
        for r, s, b in zip(raw, score, beyond, strict=True)
    ]
    out["catatan"] = ""
    out["periode_nilai"] = out["kode_kecamatan"].map(rows["periode_nilai"]).astype(float)
    out["sumber"] = [
        formatting.MISSING if pd.isna(r) else tren.source_label(rows.at[k, "demo"], rows.at[k, "sumber"])
        for k, r in zip(out["kode_kecamatan"], raw, strict=True)
    ]
    if ukuran == "skor":
        return out[MAP_COLUMNS], Measure(bahasa.t("peta.skor_indikator", indikator=bahasa.nama(meta)), "skor 0–100")
    return out[MAP_COLUMNS], Measure(bahasa.nama(meta), str(meta["satuan"]), meta["arah"] != "lower", score=False)


def table_text(values: pd.Series) -> list[str]:
    """The frame's texts as a table shows them: hover texts are HTML-escaped for Plotly (a source typed
    into a file), a table is not HTML — 'A & B', not 'A &amp; B' (#19)."""
    return [html.unescape(v) if isinstance(v, str) else v for v in values]


# --------------------------------------------------------------------------- drawing


def colourscale(measure: Measure) -> list:
    """Viridis, reversed for raw values where lower is better: yellow is always 'better'."""
    scale = pc.get_colorscale(COLOURSCALE)
    if not measure.higher_better:
        scale = [[1 - pos, colour] for pos, colour in reversed(scale)]
    return scale


def colour_range(frame: pd.DataFrame, measure: Measure) -> tuple[float, float]:
    if measure.score:
        return 0.0, 100.0
    values = frame["nilai"].dropna()
    if values.empty:
        return 0.0, 1.0
    low, high = float(values.min()), float(values.max())
    return (low, high) if high > low else (low - 1, high + 1)


def colour_of(value: float, measure: Measure, cmin: float, cmax: float) -> str:
    """The colour the colour bar gives `value` (as plotly would draw a marker)."""
    position = min(max((value - cmin) / (cmax - cmin), 0.0), 1.0)
    return pc.sample_colorscale(colourscale(measure), [position])[0]


def bubble_sizes(volume: pd.Series) -> list[float]:
    """Area proportional to volume_layanan; the constant size where volume is missing."""
    top = volume.max()
    if volume.isna().all() or not top or top <= 0:
        return [SIZE_CONSTANT] * len(volume)
    return [SIZE_CONSTANT if pd.isna(v) else SIZE_MIN + (SIZE_MAX - SIZE_MIN) * math.sqrt(max(v, 0) / top)
            for v in volume]


def _hover(row, measure: Measure, periode: int | None) -> str:
    t = bahasa.t
    if pd.isna(row.nilai):
        lines = [f"<b>{row.nama}</b>", f"{measure.label}: {t('istilah.tidak_ada_data')}"]
    else:
        lines = [f"<b>{row.nama}</b>", f"{measure.label}: {row.teks}"]
        if row.catatan:
            lines.append(row.catatan)
    if not pd.isna(row.periode_nilai):
        lines.append(t("peta.hover.periode_nilai", bulan=formatting.bulan(int(row.periode_nilai))))
    elif periode is not None:
        lines.append(t("peta.hover.periode", bulan=formatting.bulan(periode)))
    volume = (t("peta.hover.tidak_dilaporkan") if pd.isna(row.volume)
              else f"{formatting.angka(row.volume, 0)}{formatting.NBSP}{formatting.satuan('permohonan per bulan')}")
    lines.append(t("peta.hover.volume", volume=volume))
    if not pd.isna(row.nilai):
        lines.append(t("istilah.sumber_isi", sumber=row.sumber))
    return "<br>".join(lines)


def label_positions(lon, lat, names, sizes=None, px_per_degree: float = PX_PER_DEGREE,
                    char_px: float = 7.0) -> list[str]:
    """Text positions that keep kecamatan names from overlapping each other or the bubbles.

    Greedy, north to south: each name takes the first of above / below / right / left whose
    box (estimated at `px_per_degree` and `char_px` per letter) is free, else the least bad.
    """
    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    sizes = np.full(len(lon), SIZE_CONSTANT, float) if sizes is None else np.asarray(sizes, float)
    scale_x = px_per_degree * math.cos(math.radians(float(np.nanmean(lat)) if len(lat) else 0.0))
    x, y = lon * scale_x, -lat * px_per_degree  # pixels, y downwards
    circles = [(x[i] - sizes[i] / 2, y[i] - sizes[i] / 2, x[i] + sizes[i] / 2, y[i] + sizes[i] / 2)
               for i in range(len(x))]
    placed, positions = [], [""] * len(x)
    options = ("top center", "bottom center", "middle right", "middle left")

    def box(i, where):
        w, h, r = char_px * len(str(names[i])), 15.0, sizes[i] / 2 + 2
        if where == "top center":
            return (x[i] - w / 2, y[i] - r - h, x[i] + w / 2, y[i] - r)
        if where == "bottom center":
            return (x[i] - w / 2, y[i] + r, x[i] + w / 2, y[i] + r + h)
        if where == "middle right":
            return (x[i] + r, y[i] - h / 2, x[i] + r + w, y[i] + h / 2)
        return (x[i] - r - w, y[i] - h / 2, x[i] - r, y[i] + h / 2)

    def overlap(a, b):
        return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))

    pad = AXIS_PAD * px_per_degree  # the axes' padding (see _axes): a name beyond it is cut off
    frame = (np.nanmin(x) - pad, np.nanmin(y) - pad, np.nanmax(x) + pad, np.nanmax(y) + pad) if len(x) else None

    def outside(b):
        area = (b[2] - b[0]) * (b[3] - b[1])
        return 4 * (area - overlap(b, frame)) if frame else 0.0

    for i in sorted(range(len(x)), key=lambda k: y[k]):
        costs = []
        for where in options:
            candidate = box(i, where)
            cost = outside(candidate) + sum(overlap(candidate, other) for other in placed)
            cost += sum(overlap(candidate, c) for j, c in enumerate(circles) if j != i)
            costs.append(cost)
            if cost == 0:
                break
        best = options[int(np.argmin(costs))]
        positions[i] = best
        placed.append(box(i, best))
    return positions


def _axes(fig: go.Figure, frame: pd.DataFrame, pad: float = None) -> None:
    pad = AXIS_PAD if pad is None else pad
    lat = frame["lat"].astype(float)
    ratio = 1 / math.cos(math.radians(float(lat.mean()))) if len(lat) else 1.0
    fig.update_xaxes(title_text=bahasa.t("peta.bujur"), range=[frame["lon"].min() - pad, frame["lon"].max() + pad],
                     showgrid=True, gridcolor="#EEF0F2", zeroline=False, tickformat=".1f", constrain="domain")
    fig.update_yaxes(title_text=bahasa.t("peta.lintang"), range=[lat.min() - pad, lat.max() + pad], scaleanchor="x",
                     scaleratio=ratio, showgrid=True, gridcolor="#EEF0F2", zeroline=False, tickformat=".1f",
                     constrain="domain")


def _title(measure: Measure, periode: int | None, notes: list[str]) -> str:
    if periode is None:
        return bahasa.t("peta.judul_tanpa_periode", ukuran=measure.label,
                        catatan=" · ".join([bahasa.t("peta.belum_ada_nilai"), *notes[1:]]))
    when = formatting.bulan(periode)
    better = bahasa.t("peta.kuning_tinggi" if measure.higher_better else "peta.kuning_rendah")
    return bahasa.t("peta.judul", ukuran=measure.label, satuan=measure.unit_text,
                    catatan=" · ".join([when, better, *notes]))


def _bubbles(fig: go.Figure, part: pd.DataFrame, sizes: pd.Series, positions: list[str], measure: Measure,
             cmin: float, cmax: float, periode: int | None, showscale: bool) -> None:
    """Add the coloured bubbles (marker.color = nilai) and the grey crossed ones (no data)."""
    has = part["nilai"].notna()
    for present in (True, False):
        rows = part[has == present]
        if rows.empty:
            continue
        marker = {"size": sizes[rows.index].tolist(), "line": {"color": "white", "width": 1.5}, "opacity": 0.92}
        if present:
            marker.update(color=rows["nilai"].tolist(), colorscale=colourscale(measure), cmin=cmin, cmax=cmax,
                          showscale=showscale, colorbar=_colourbar(measure, cmin, cmax))
        else:
            marker.update(color=MISSING_FILL, symbol="circle-x", line={"color": MISSING_LINE, "width": 1.5})
        fig.add_trace(go.Scatter(
            x=rows["lon"], y=rows["lat"], mode="markers+text", text=rows["nama"],
            textposition=[positions[i] for i in rows.index], textfont={"size": 12, "color": "#1F2A36"},
            marker=marker, name=measure.label if present else no_data_name(), showlegend=not present,
            customdata=rows["nilai"].tolist(),  # the values, for the chart's text alternative (charts/uraian.py)
            hovertext=[_hover(r, measure, periode) for r in rows.itertuples()], hoverinfo="text",
            cliponaxis=False,
        ))


def no_data_name() -> str:
    """Legend name of the grey crossed bubbles: 'Tidak ada data' ('No data')."""
    return bahasa.t("peta.tidak_ada_data_legenda")


def _colourbar(measure: Measure, cmin: float, cmax: float) -> dict:
    # Horizontal under the map: the map keeps the full width (it is width-bound at 1280 px).
    return {"title": {"text": measure.colourbar_title.replace("<br>", " · "), "side": "top", "font": {"size": 12}},
            "orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.1, "yanchor": "top", "thickness": 12,
            "len": 0.6,
            "tickformat": ",.0f" if measure.score or cmax - cmin > 20 else ",.1f"}


def _missing_note(frame: pd.DataFrame) -> list[str]:
    return [bahasa.t("peta.catatan_kosong")] if frame["nilai"].isna().any() else []


def has_centre(frame: pd.DataFrame) -> pd.Series:
    """Kecamatan whose centre (lat, lon) is known; data/reference/kecamatan.csv has them for few kabupaten."""
    return frame["lat"].notna() & frame["lon"].notna()


def _unplaced_note(frame: pd.DataFrame) -> list[str]:
    missing = int((~has_centre(frame)).sum())
    return [bahasa.t("peta.catatan_tanpa_pusat", n=missing)] if missing else []


def bubble_map(frame: pd.DataFrame, measure: Measure, periode: int | None, height: int = MAP_HEIGHT) -> go.Figure:
    """Kecamatan as bubbles at their centres, coloured by `nilai`; grey crossed = no data.

    frame: composite_frame() or indicator_frame(). The coloured trace's marker.color is
    exactly frame['nilai'] of the kecamatan that have a value.
    """
    frame = frame.reset_index(drop=True)
    sizes = pd.Series(bubble_sizes(frame["volume"]))
    placed = frame[has_centre(frame)]  # a kecamatan without a known centre is not drawn anywhere (never at 0, 0)
    positions = dict(zip(placed.index, label_positions(placed["lon"], placed["lat"], list(placed["nama"]),
                                                       sizes[placed.index]), strict=True))
    cmin, cmax = colour_range(frame, measure)
    fig = go.Figure()
    _bubbles(fig, placed, sizes, positions, measure, cmin, cmax, periode, showscale=True)
    notes = _missing_note(placed) + _unplaced_note(frame)
    if placed.empty:
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        fig.add_annotation(text=bahasa.t("peta.tanpa_pusat_semua"), showarrow=False, x=0.5, y=0.5, xref="paper",
                           yref="paper", font={"size": 14})
    else:
        _axes(fig, placed)
    if placed["volume"].notna().any():
        notes.append(bahasa.t("peta.catatan_ukuran"))
    layout(fig, _title(measure, periode, notes), height if len(placed) else EMPTY_HEIGHT)
    fig.update_layout(showlegend=bool(placed["nilai"].isna().any()),
                      legend=LEGEND_BELOW,
                      margin={"l": 10, "r": 10, "t": 80, "b": 90})
    return fig


def choropleth_map(frame: pd.DataFrame, shapes: dict[str, dict], measure: Measure, periode: int | None,
                   height: int = MAP_HEIGHT) -> go.Figure:
    """Kecamatan as filled boundaries (from load_boundaries) coloured by `nilai`, names at the
    centres; no data = light grey hatched. Kecamatan without a boundary get a bubble.

    Each boundary trace's fillcolor is colour_of(nilai): the colour bar's colour for it.
    """
    frame = frame.reset_index(drop=True)
    cmin, cmax = colour_range(frame, measure)
    fig = go.Figure()
    xs_all, ys_all = [], []
    shaped = frame["kode_kecamatan"].isin(list(shapes))
    for row in frame[shaped].itertuples():
        xs, ys = _rings(shapes[row.kode_kecamatan])
        xs_all += [v for v in xs if v is not None]
        ys_all += [v for v in ys if v is not None]
        missing = pd.isna(row.nilai)
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines", fill="toself", name=row.nama, showlegend=False,
            fillcolor=MISSING_FILL if missing else colour_of(row.nilai, measure, cmin, cmax),
            fillpattern={"shape": "x", "fgcolor": MISSING_LINE, "size": 8, "solidity": 0.15} if missing else None,
            line={"color": "white", "width": 1.2}, hoveron="fills", text=_hover(row, measure, periode),
            hoverinfo="text",
        ))
    inside = frame[shaped]
    has = frame["nilai"].notna()
    # Names at the centres; the invisible markers carry hover text and the colour bar.
    fig.add_trace(go.Scatter(
        x=inside["lon"], y=inside["lat"], mode="markers+text", text=inside["nama"],
        textposition=label_positions(inside["lon"], inside["lat"], list(inside["nama"]), [4] * len(inside),
                                     char_px=6.4),
        textfont={"size": 11, "color": "#1F2A36"}, name=measure.label, showlegend=False,
        marker={"size": 10, "opacity": 0, "color": inside["nilai"].fillna(cmin).tolist(),
                "colorscale": colourscale(measure), "cmin": cmin, "cmax": cmax, "showscale": bool(has.any()),
                "colorbar": _colourbar(measure, cmin, cmax)},
        hovertext=[_hover(r, measure, periode) for r in inside.itertuples()], hoverinfo="text",
        customdata=inside["nilai"].tolist(),  # the values, missing ones too (charts/uraian.py)
    ))
    outside = frame[~shaped & has_centre(frame)]
    if len(outside):
        sizes = pd.Series(SIZE_CONSTANT, index=outside.index, dtype=float)
        positions = {i: "top center" for i in outside.index}
        _bubbles(fig, outside, sizes, positions, measure, cmin, cmax, periode, showscale=False)
    bounds = pd.DataFrame({"lon": xs_all + list(frame["lon"]), "lat": ys_all + list(frame["lat"])})
    _axes(fig, bounds, pad=0.02)
    unplaced = _unplaced_note(frame[~shaped])
    layout(fig, _title(measure, periode, [*_missing_note(frame), *unplaced, bahasa.t("peta.catatan_geojson")]), height)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 80, "b": 90})
    return fig
