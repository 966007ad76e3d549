"""Peta: the 25 Asahan kecamatan at their centres (or within their boundaries when a GeoJSON
file is configured by TIRU_GEOJSON), coloured by the Indeks Tiru or one indicator."""

import pandas as pd
import streamlit as st

from metrics import charts_peta, formatting, tren, ui


def boundaries() -> dict | None:
    """Polygons of the Asahan kecamatan from TIRU_GEOJSON; None (with a warning) when unusable."""
    path = charts_peta.geojson_path()
    if path is None:
        return None
    try:
        shapes = ui.boundaries(path)
    except charts_peta.BoundaryError as exc:
        st.warning(f"Batas wilayah (TIRU_GEOJSON) tidak dapat dipakai: {exc}. Peta ditampilkan sebagai gelembung.",
                   icon=":material/warning:")
        return None
    if not set(shapes) & set(asahan["kode"]):
        st.warning("Batas wilayah (TIRU_GEOJSON) tidak memuat satu pun kode kecamatan Asahan. "
                   "Peta ditampilkan sebagai gelembung.", icon=":material/warning:")
        return None
    return shapes


st.title("Peta kecamatan")
kecamatan = ui.table("kecamatan")
asahan = kecamatan[kecamatan["wilayah"] == "Asahan"].reset_index(drop=True)
periode = ui.selected_period()
shapes = boundaries()


def draw(frame: pd.DataFrame, measure: charts_peta.Measure, when) -> None:
    with st.container(border=True):
        figure = (charts_peta.choropleth_map(frame, shapes, measure, when) if shapes
                  else charts_peta.bubble_map(frame, measure, when))
        st.plotly_chart(figure, width="stretch", config={"displayModeBar": False})
        st.caption(
            "Digambar tanpa ubin peta, sehingga tetap tampil tanpa internet. Titik tengah kecamatan adalah perkiraan "
            "(github.com/cahyadsn/wilayah_boundaries, MIT)."
            + (" Batas wilayah dari berkas TIRU_GEOJSON." if shapes else "")
        )


if periode is None:
    st.info(
        "Belum ada data layanan kecamatan Asahan di basis data, jadi peta belum dapat diwarnai. "
        "Di bawah ini posisi ke-25 kecamatan.",
        icon=":material/info:",
    )
    empty = pd.DataFrame({"kode_kecamatan": [], "skor": [], "diperingkat": [], "cakupan": []})
    frame, measure = charts_peta.composite_frame(empty, pd.DataFrame(), asahan, 0)
    draw(frame, charts_peta.Measure("Posisi", "belum ada nilai"), None)
    st.stop()

catalog = ui.catalog()
indikator = catalog.indikator
options = [charts_peta.COMPOSITE, *catalog.scored.index]
left, right = st.columns(2, gap="medium")
code = ui.url_selectbox(
    "Warna menurut", options, "indikator", default=charts_peta.COMPOSITE, container=left,
    format_func=lambda c: "Indeks Tiru (gabungan)" if c == charts_peta.COMPOSITE else indikator.at[c, "nama"],
    help="Indeks Tiru atau satu indikator. Tersimpan di alamat halaman (?indikator=…).",
)
ukuran = "skor"
if code != charts_peta.COMPOSITE:
    ukuran = ui.url_selectbox(
        "Ukuran", ["skor", "nilai"], "ukuran", container=right,
        format_func={"skor": "Skor 0–100 (jarak ke model)", "nilai": "Nilai asli dalam satuannya"}.get,
        help="Skor: 100 = setara atau melampaui model. Nilai asli: dalam satuan indikator.",
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
st.caption(f"{month} · {measure.label} ({measure.unit}) · {len(frame) - len(missing)} dari {len(frame)} kecamatan "
           "memiliki nilai")
if len(missing) == len(frame):
    st.info(f"Tidak ada kecamatan dengan nilai {measure.label} pada {month}. Pilih bulan atau ukuran lain.",
            icon=":material/info:")
elif len(missing):
    st.warning(f"Tidak ada data {measure.label} pada {month} untuk: {', '.join(missing)}.", icon=":material/warning:")

draw(frame, measure, periode)

better_first = measure.higher_better
shown = frame.sort_values(["nilai", "nama"], ascending=[not better_first, True], na_position="last")
listing = pd.DataFrame({
    "Kecamatan": shown["nama"],
    measure.label: shown["teks"],
    "Keterangan": shown["catatan"],
    "Periode nilai": [formatting.MISSING if pd.isna(p) else formatting.bulan(int(p)) for p in shown["periode_nilai"]],
    "Volume layanan": [formatting.MISSING if pd.isna(v) else formatting.angka(v, 0) for v in shown["volume"]],
    "Sumber": shown["sumber"],
    "Kode": shown["kode_kecamatan"],
})
st.dataframe(
    listing if (listing["Keterangan"] != "").any() else listing.drop(columns="Keterangan"),
    hide_index=True, width="stretch",
    column_config={"Volume layanan": st.column_config.TextColumn(help="Permohonan per bulan pada bulan terpilih.")},
)
if code != charts_peta.COMPOSITE and ukuran == "nilai":
    st.caption(f"{indikator.at[code, 'nama']}: {tren.DIRECTION[indikator.at[code, 'arah']]}; warna kuning selalu "
               "berarti lebih baik.")
