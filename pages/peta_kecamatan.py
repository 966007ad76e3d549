"""Peta: the 25 Asahan kecamatan at their centres (or within their boundaries when a GeoJSON
file is configured by TIRU_GEOJSON), coloured by the Indeks Tiru or one indicator."""

import pandas as pd
import streamlit as st

from metrics.app import bagikan, ui
from metrics.charts import peta as charts_peta
from metrics.core import bahasa, formatting
from metrics.core.bahasa import t
from metrics.engine import benchmark, tren


def boundaries() -> dict | None:
    """Polygons of the Asahan kecamatan from TIRU_GEOJSON; None (with a warning) when unusable."""
    path = charts_peta.geojson_path()
    if path is None:
        return None
    try:
        shapes = ui.boundaries(path)
    except charts_peta.BoundaryError as exc:
        st.warning(t("peta.halaman.batas_gagal", pesan=exc), icon=":material/warning:")
        return None
    if not set(shapes) & set(asahan["kode"]):
        st.warning(t("peta.halaman.batas_tanpa_asahan"), icon=":material/warning:")
        return None
    return shapes


ui.title(t("peta.halaman.judul"))
kecamatan = ui.table("kecamatan")
asahan = kecamatan[kecamatan["wilayah"] == benchmark.region()].reset_index(drop=True)
periode = ui.selected_period()
shapes = boundaries()


def draw(frame: pd.DataFrame, measure: charts_peta.Measure, when) -> None:
    with st.container(border=True):
        figure = (charts_peta.choropleth_map(frame, shapes, measure, when) if shapes
                  else charts_peta.bubble_map(frame, measure, when))
        bagikan.chart(figure, "peta")
        centres = asahan[["lat", "lon"]].notna().all(axis=1).any()
        st.caption(" ".join([t("peta.halaman.catatan_peta")] + ([t("peta.halaman.catatan_titik")] if centres else [])
                            + ([t("peta.halaman.catatan_batas")] if shapes else [])))


if periode is None:
    st.info(t("peta.halaman.kosong", n=len(asahan)), icon=":material/info:")
    empty = pd.DataFrame({"kode_kecamatan": [], "skor": [], "diperingkat": [], "cakupan": []})
    frame, measure = charts_peta.composite_frame(empty, pd.DataFrame(), asahan, 0)
    draw(frame, charts_peta.Measure(t("peta.halaman.posisi"), t("peta.belum_ada_nilai")), None)
    st.stop()

catalog = ui.catalog()
indikator = catalog.indikator
options = [charts_peta.COMPOSITE, *catalog.scored.index]
left, right = st.columns(2, gap="medium")
code = ui.url_selectbox(
    t("peta.halaman.warna"), options, "indikator", default=charts_peta.COMPOSITE, container=left,
    format_func=lambda c: t("peta.halaman.indeks_gabungan") if c == charts_peta.COMPOSITE
    else bahasa.nama(indikator.loc[c]),
    help=t("peta.halaman.warna_bantuan"),
)
ukuran = "skor"
if code != charts_peta.COMPOSITE:
    ukuran = ui.url_selectbox(
        t("peta.halaman.ukuran"), ["skor", "nilai"], "ukuran", container=right,
        format_func=lambda u: t(f"peta.halaman.ukuran_{u}"),
        help=t("peta.halaman.ukuran_bantuan"),
    )

card = ui.scorecard(periode)
month_obs = ui.observasi(periode, periode)
volume = month_obs[month_obs["indikator"] == "volume_layanan"].set_index("kode_kecamatan")["nilai"]
if code == charts_peta.COMPOSITE:
    frame, measure = charts_peta.composite_frame(ui.league_table(periode), card, asahan, periode, volume)
else:
    frame, measure = charts_peta.indicator_frame(card, indikator.loc[code], asahan, ukuran, volume)

month = formatting.bulan(periode)
missing = frame.loc[frame["nilai"].isna(), "nama"]
st.caption(t("peta.halaman.keterangan", bulan=month, ukuran=measure.label, satuan=measure.unit_text,
             n=len(frame) - len(missing), dari=len(frame)))
if len(missing) == len(frame):
    st.info(t("peta.halaman.semua_kosong", ukuran=measure.label, bulan=month), icon=":material/info:")
elif len(missing):
    st.warning(t("peta.halaman.sebagian_kosong", ukuran=measure.label, bulan=month, kecamatan=", ".join(missing)),
               icon=":material/warning:")

draw(frame, measure, periode)

better_first = measure.higher_better
shown = frame.sort_values(["nilai", "nama"], ascending=[not better_first, True], na_position="last")
note, volume = t("peta.halaman.kolom.keterangan"), t("istilah.volume_layanan")
listing = pd.DataFrame({
    t("istilah.kecamatan"): shown["nama"],
    measure.label: shown["teks"],
    note: shown["catatan"],
    t("peta.halaman.kolom.periode"): [formatting.MISSING if pd.isna(p) else formatting.bulan(int(p))
                                      for p in shown["periode_nilai"]],
    volume: [formatting.MISSING if pd.isna(v) else formatting.angka(v, 0) for v in shown["volume"]],
    t("istilah.sumber"): charts_peta.table_text(shown["sumber"]),
    t("istilah.kode"): shown["kode_kecamatan"],
})
bagikan.table(
    listing if (listing[note] != "").any() else listing.drop(columns=note), "peta", t("peta.halaman.judul"),
    hide_index=True, width="stretch",
    column_config={volume: st.column_config.TextColumn(help=t("peta.halaman.volume_bantuan"))},
)
if code != charts_peta.COMPOSITE and ukuran == "nilai":
    st.caption(t("peta.halaman.arah", indikator=bahasa.nama(indikator.loc[code]),
                 arah=tren.arah_teks(indikator.at[code, "arah"])))
