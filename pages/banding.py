"""Perbandingan: 2–8 kecamatan side by side with the Asahan median and the model."""

import streamlit as st

from metrics import formatting, ui
from metrics import charts_banding as cb

st.title("Perbandingan kecamatan")
periode = ui.require_period("belum ada yang dapat dibandingkan")

catalog = ui.catalog()
table = ui.league_table(periode)
card = ui.scorecard(periode)
month = formatting.bulan(periode)
names = table.set_index("kode_kecamatan")["kecamatan"]
scored = list(catalog.scored.index)

if card.empty:
    st.info(
        f"Tidak ada nilai indikator kecamatan Asahan yang berlaku pada {month}. Pilih bulan lain di panel samping.",
        icon=":material/info:",
    )
    st.stop()

st.caption(
    f"{month} · Skor 0–100 = jarak ke model: 100 = setara atau melampaui model Cimahi Tengah, 0 = di lantai "
    "indikator; makin tinggi makin baik untuk semua indikator. Median Asahan = median kecamatan yang memiliki data."
)

chosen = ui.url_multiselect(
    f"Kecamatan yang dibandingkan ({cb.MIN_KECAMATAN}–{cb.MAX_KECAMATAN})",
    sorted(names.index, key=lambda code: names[code]),
    "banding",
    default=cb.default_choice(table),
    max_selections=cb.MAX_KECAMATAN,
    format_func=lambda code: names.get(code, code),
    help="Bawaan: 2 kecamatan teratas dan 2 terbawah menurut Indeks Tiru bulan ini.",
)
enough = len(chosen) >= cb.MIN_KECAMATAN
if not enough:
    st.warning(
        f"Pilih paling sedikit {cb.MIN_KECAMATAN} kecamatan (paling banyak {cb.MAX_KECAMATAN}) untuk grafik "
        "batang dan radar. Peta skor dan diagram sebar di bawah tetap menampilkan semua kecamatan.",
        icon=":material/touch_app:",
    )
without = [code for code in chosen if code not in set(card["kode_kecamatan"])]
if without:
    st.warning(
        f"{', '.join(names[c] for c in without)}: tidak ada nilai indikator yang berlaku pada {month}. "
        "Di grafik ditandai “tidak ada data”.",
        icon=":material/report:",
    )

if enough:
    with st.container(border=True):
        with st.expander("Pilih indikator", expanded="indikator" in st.query_params, icon=":material/tune:"):
            indikator = ui.url_multiselect(
                "Indikator", scored, "indikator", default=scored, format_func=cb.label_pendek,
                help=f"Indikator yang ditampilkan sebagai kelompok batang. Bawaan: semua {len(scored)} indikator "
                "berskor.",
            )
        if not indikator:
            st.info("Pilih paling sedikit satu indikator.", icon=":material/touch_app:")
        else:
            st.plotly_chart(cb.score_bars(card, chosen, indikator, catalog, names, periode), width="stretch",
                            config={"displayModeBar": False})
            st.caption(cb.model_note(catalog))
            with st.expander("Angka di balik grafik"):
                st.dataframe(cb.score_table(card, chosen, indikator, catalog, names), hide_index=True,
                             width="stretch")

if enough:
    with st.container(border=True):
        st.plotly_chart(cb.pillar_radar(card, chosen, catalog, names, periode), width="stretch",
                        config={"displayModeBar": False})
        st.dataframe(cb.pillar_score_table(card, chosen, catalog, names), hide_index=True, width="stretch")
        st.caption(
            "Skor pilar = rata-rata skor indikator pilar itu yang datanya ada; pilar tanpa data tampil sebagai "
            "celah di radar dan “—” di tabel."
        )

with st.container(border=True):
    st.plotly_chart(cb.score_heatmap(card, table, catalog, periode, chosen), width="stretch",
                    config={"displayModeBar": False})

with st.container(border=True):
    options = list(catalog.indikator.index)
    pick_x, pick_y, _ = st.columns([1, 1, 2])
    sumbu_x = ui.url_selectbox("Sumbu X", options, "sumbu_x", default="waktu_tunggu",
                               format_func=cb.label_pendek, container=pick_x)
    sumbu_y = ui.url_selectbox("Sumbu Y", options, "sumbu_y", default="ikm",
                               format_func=cb.label_pendek, container=pick_y)
    frame = cb.scatter_frame(ui.values(periode), names, sumbu_x, sumbu_y)
    st.plotly_chart(cb.indicator_scatter(frame, sumbu_x, sumbu_y, catalog, periode, chosen), width="stretch",
                    config={"displayModeBar": False})
    absent = frame[frame["x"].isna() | frame["y"].isna()]
    if len(absent):
        st.caption(f"Tidak tampil karena tidak ada data untuk salah satu sumbu: {', '.join(absent['nama'])}.")
