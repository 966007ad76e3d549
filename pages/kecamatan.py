"""Profil kecamatan (?kecamatan=<kode>): the camat's page — rank, gaps, next steps.

Its composite parts are in metrics/app/profil.py, its tables' contents in metrics/engine/benchmark.py.
"""

import streamlit as st

from metrics.app import bagikan, profil, tampilan, ui
from metrics.charts import common as charts
from metrics.core import bahasa, formatting
from metrics.core.bahasa import t

ui.title(t("umum.nav.profil"))
asahan = tampilan.asahan()
kode = ui.url_selectbox(
    t("istilah.kecamatan"), list(asahan.index), "kecamatan",
    format_func=lambda k: t("profil.pilih.pilihan", nama=asahan.loc[k, "nama"], kode=k),
    help=t("profil.pilih.bantuan"),
)
facts = asahan.loc[kode]
headline = profil.facts_line(facts, kode)

periode = ui.require_period(t("profil.akibat_kosong"))

month = formatting.bulan(periode)
table = tampilan.league_by_code(periode)
row = table.loc[kode]
profile = tampilan.profile_scorecard(periode, kode)
source = charts.source_label(ui.has_demo())

if not profile["ada"].any():
    st.warning(t("profil.tanpa_data_berlaku", nama=facts["nama"], bulan=month), icon=":material/warning:")
    st.stop()

profil.rapor_button(facts["nama"], kode, periode)
n_ranked = int(table["diperingkat"].sum())
bagikan.summary(tampilan.profile_summary(periode, kode))

# ---- rank, certainty, movement (on a phone: the headline under the name instead of the tiles)
status = ui.month_status(periode)
profil.headline(headline, row, n_ranked, month, status)
profil.kpis(row, profile, n_ranked, month)

# ---- next steps
inovasi = ui.table("inovasi")
inovasi_names = bahasa.names(inovasi, "nama")
stages = tampilan.stages(periode, kode)
profil.next_steps(tampilan.next_steps(periode, kode), stages, inovasi_names, tampilan.total_weight(), month)

# ---- scorecard
st.markdown(t("profil.kartu.judul", bulan=month))
profil.scorecard(profile, tampilan.profile_table(periode, kode), periode)

# ---- pillars and rank history
left, right = st.columns(2, gap="medium", border=True)
with left:
    bagikan.chart(tampilan.pillar_figure(periode, kode, facts["nama"], source), "profil-pilar")
with right:
    bagikan.chart(tampilan.rank_figure(periode, kode, facts["nama"], len(asahan), source), "profil-peringkat")

# ---- similar kecamatan and innovations
left, right = st.columns(2, gap="medium", border=True)
with left:
    st.markdown(t("profil.mirip.judul"))
    st.caption(t("profil.mirip.keterangan"))
    similar = tampilan.most_similar(kode)
    for r in similar.itertuples():
        other = table.loc[r.kode]
        standing = (t("profil.mirip.diperingkat", peringkat=int(other["peringkat"]),
                      skor=formatting.angka(other["skor"], 1))
                    if other["diperingkat"] else t("istilah.belum_diperingkat"))
        ui.page_link("pages/kecamatan.py", label=t("profil.mirip.tautan", nama=r.nama, keadaan=standing),
                     query_params={"kecamatan": r.kode})
    group = ",".join([kode, *similar["kode"]])  # this kecamatan and its 5 most similar, side by side
    links = st.columns(2)
    ui.page_link("pages/banding.py", container=links[0], label=t("profil.mirip.bandingkan"),
                 icon=":material/compare_arrows:", query_params={"banding": group})
    ui.page_link("pages/tren_indikator.py", container=links[1], label=t("profil.mirip.tren"),
                 icon=":material/show_chart:", query_params={"kecamatan": group})
with right:
    st.markdown(t("profil.tahap.judul", bulan=month))
    bagikan.table(tampilan.stage_table(periode, kode), "profil-tahap", t("profil.tahap.judul", bulan=month),
                  hide_index=True, width="stretch")
