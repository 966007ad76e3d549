"""Perbandingan: 2–8 kecamatan side by side with the Asahan median and the model."""

import streamlit as st

from metrics.app import bagikan, ui
from metrics.charts import banding as cb
from metrics.charts import banding_semua as cbs
from metrics.core import formatting
from metrics.core.bahasa import t

ui.title(t("banding.halaman.judul"))
periode = ui.require_period(t("banding.halaman.akibat_kosong"))

catalog = ui.catalog()
table = ui.league_table(periode)
card = ui.scorecard(periode)
month = formatting.bulan(periode)
names = table.set_index("kode_kecamatan")["kecamatan"]
scored = list(catalog.scored.index)

if card.empty:
    st.info(t("banding.halaman.bulan_kosong", bulan=month), icon=":material/info:")
    st.stop()

st.caption(t("banding.halaman.keterangan", bulan=month))

chosen = ui.url_multiselect(
    t("banding.halaman.pilih_kecamatan", min=cb.MIN_KECAMATAN, max=cb.MAX_KECAMATAN),
    sorted(names.index, key=lambda code: names[code]),
    "banding",
    default=cb.default_choice(table),
    max_selections=cb.MAX_KECAMATAN,
    format_func=lambda code: names.get(code, code),
    help=t("banding.halaman.pilih_kecamatan_bantuan"),
)
enough = len(chosen) >= cb.MIN_KECAMATAN
if not enough:
    st.warning(t("banding.halaman.terlalu_sedikit", min=cb.MIN_KECAMATAN, max=cb.MAX_KECAMATAN),
               icon=":material/touch_app:")
without = [code for code in chosen if code not in set(card["kode_kecamatan"])]
if without:
    st.warning(t("banding.halaman.tanpa_nilai", kecamatan=", ".join(names[c] for c in without), bulan=month),
               icon=":material/report:")

if enough:
    with st.container(border=True):
        with st.expander(t("banding.halaman.pilih_indikator"), expanded="indikator" in st.query_params,
                         icon=":material/tune:"):
            indikator = ui.url_multiselect(
                t("banding.halaman.indikator"), scored, "indikator", default=scored, format_func=cb.label_pendek,
                help=t("banding.halaman.indikator_bantuan", n=len(scored)),
            )
        if not indikator:
            st.info(t("banding.halaman.indikator_kosong"), icon=":material/touch_app:")
        else:
            bagikan.chart(ui.figure(cb.score_bars, card, chosen, indikator, catalog, names, periode), "banding-skor")
            st.caption(cb.model_note(catalog, escape=ui.plain))
            with st.expander(t("banding.halaman.angka")):
                bagikan.table(cb.score_table(card, chosen, indikator, catalog, names), "banding-skor",
                              t("banding.halaman.judul"), hide_index=True, width="stretch")

if enough:
    with st.container(border=True):
        bagikan.chart(ui.figure(cb.pillar_radar, card, chosen, catalog, names, periode), "banding-pilar")
        bagikan.table(cb.pillar_score_table(card, chosen, catalog, names), "banding-pilar", t("banding.halaman.judul"),
                      hide_index=True, width="stretch")
        st.caption(t("banding.halaman.catatan_pilar"))

with st.container(border=True):
    bagikan.chart(ui.figure(cbs.score_heatmap, card, table, catalog, periode, chosen), "banding-peta-panas")

with st.container(border=True):
    options = list(catalog.indikator.index)
    pick_x, pick_y, _ = st.columns([1, 1, 2])
    sumbu_x = ui.url_selectbox(t("banding.halaman.sumbu_x"), options, "sumbu_x", default="waktu_tunggu",
                               format_func=cb.label_pendek, container=pick_x)
    sumbu_y = ui.url_selectbox(t("banding.halaman.sumbu_y"), options, "sumbu_y", default="ikm",
                               format_func=cb.label_pendek, container=pick_y)
    frame = cbs.scatter_frame(ui.values(periode), names, sumbu_x, sumbu_y)
    bagikan.chart(
        ui.figure(cbs.indicator_scatter, frame, sumbu_x, sumbu_y, catalog, periode, chosen), "banding-sebaran"
    )
    absent = frame[frame["x"].isna() | frame["y"].isna()]
    if len(absent):
        st.caption(t("banding.halaman.tidak_tampil", kecamatan=", ".join(absent["nama"])))
