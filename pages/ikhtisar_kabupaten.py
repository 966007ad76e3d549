"""Ringkasan: the Sekda's page — the kabupaten against the model, movers, who has not reported."""

import pandas as pd
import streamlit as st

from metrics.app import bagikan, laporan, pelaporan, tampilan, ui
from metrics.app import inovasi as inovasi_view
from metrics.charts import common as charts
from metrics.core import formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.engine import adopsi, scoring
from metrics.presentation import tampil
from metrics.reports import deck_spec


def ombudsman() -> None:
    """The Ombudsman series; the configured regions it has no row for said missing, not drawn empty (#25)."""
    missing = tampilan.ombudsman_missing()
    if not ui.table("ombudsman").empty:
        bagikan.chart(tampilan.ombudsman_figure(), "ombudsman", footer=t("ringkasan.ombudsman.kaki"))
    if missing:
        st.info(t("ringkasan.ombudsman.tidak_ada", wilayah="; ".join(missing)), icon=":material/info:")
    else:
        st.caption(t("ringkasan.ombudsman.keterangan"))


ui.title(t("ringkasan.judul"))
periode = ui.selected_period()
if periode is None:
    st.info(t("ringkasan.kosong"), icon=":material/info:")
    ombudsman()
    st.stop()

month = formatting.bulan(periode)
source = charts.source_label(ui.has_demo())
series = tampilan.kabupaten_series(periode)
table = tampilan.league_by_code(periode)  # shared: read only
silent, partial = tampilan.reporting_gaps(periode)
bagikan.summary(tampilan.kabupaten_summary(periode))

st.caption(t("ringkasan.keterangan", bulan=month))
laporan.brief_button(periode)

now = series[series["periode"] == periode]
before = series[series["periode"] == periode - 1]
median = now["median"].iloc[0] if len(now) else None
change = tampil.perubahan(median, before["median"].iloc[0]) if len(now) and len(before) else None
kpis = ui.kpi_row("kpi-ringkasan")  # two to a row on a phone (gaya.PHONE)
kpis.metric(
    t("istilah.kpi.median_indeks"),
    tampil.indeks_teks(median),
    **ui.delta(tampil.median_gerak(change)),
    border=True,
    help=t("ringkasan.kpi.median_bantuan", n=int(now["n"].iloc[0]) if len(now) and pd.notna(now["n"].iloc[0]) else 0),
)
kpis.metric(t("istilah.kpi.jarak"), deck_spec.points_to_model(median), border=True,
            help=t("ringkasan.kpi.jarak_bantuan"))
kpis.metric(t("istilah.kpi.diperingkat"),
            t("istilah.kpi.dari", n=int(table["diperingkat"].sum()), total=len(table)), border=True,
            help=t("ringkasan.kpi.diperingkat_bantuan", ambang=formatting.persen(scoring.COVERAGE_THRESHOLD)))
kpis.metric(t("istilah.kpi.belum_lengkap"), str(len(silent) + len(partial)), border=True,
            help=t("ringkasan.kpi.belum_lengkap_bantuan", belum=len(silent), sebagian=len(partial)))
if same := tampil.catatan_sama(change, table["status_gerak"], table["perubahan"]):
    st.caption(same)  # the kabupaten's change with drop-outs mostly measures who reported (#19)

left, right = st.columns([5, 2], gap="medium", border=True)
with left:
    bagikan.chart(tampilan.kabupaten_figure(periode, source), "ringkasan-indeks")
with right:
    bagikan.chart(tampilan.band_figure(periode),
                  "ringkasan-sebaran")


def profile_link(kode: str, text: str, full: str | None = None) -> None:
    """A link to the profile; the full wording in its tooltip (a long label is cut at 1280 px)."""
    ui.page_link("pages/kecamatan.py", label=text, query_params={"kecamatan": kode}, help=full or text)


names = tampilan.asahan()["nama"]
up, down = tampilan.movers(periode)
cols = st.columns(3, gap="large", border=True)
for column, movers, heading, nobody in ((cols[0], up, t("ringkasan.gerak.naik"), t("ringkasan.gerak.tidak_naik")),
                                        (cols[1], down, t("ringkasan.gerak.turun"), t("ringkasan.gerak.tidak_turun"))):
    with column:
        st.markdown(t("ringkasan.gerak.judul", judul=heading, bulan=formatting.bulan(periode - 1)))
        if movers.empty:
            st.write(nobody)
        for r in movers.itertuples():
            parts = {"nama": names[r.kode_kecamatan], "sekarang": formatting.peringkat(r.peringkat),
                     "perubahan": tampil.bertanda(r.perubahan),
                     "gerak": formatting.gerak(r.gerak)}
            profile_link(
                r.kode_kecamatan, t("ringkasan.gerak.tautan", **parts), t("ringkasan.gerak.tautan_bantuan", **parts)
            )


def months_silent(n: int) -> str:
    return t("ringkasan.lapor.lama_satu") if n == 1 else t("ringkasan.lapor.lama", n=n)


with cols[2]:
    st.markdown(t("ringkasan.lapor.judul", bulan=month))
    if silent.empty and partial.empty:
        st.write(t("ringkasan.lapor.semua"))
    for r in silent.itertuples():
        since = (t("ringkasan.lapor.belum_pernah") if pd.isna(r.terakhir)
                 else t("ringkasan.lapor.terakhir", bulan=formatting.bulan(int(r.terakhir)),
                        lama=months_silent(int(r.bulan_tanpa_laporan))))
        profile_link(r.kode, t("ringkasan.lapor.tautan", nama=r.nama, keadaan=since))
    for r in partial.itertuples():
        profile_link(r.kode, t("ringkasan.lapor.sebagian", nama=r.nama, dilaporkan=r.dilaporkan,
                               diharapkan=r.diharapkan))

pelaporan.tracker_card()  # the open month: who sent what, the deadline, who is late, punctuality

# ---- innovation adoption against the Sekda's targets
adoption_month = inovasi_view.adoption_period()  # adoption's own calendar: events up to today count
summary = ui.target_summary(adoption_month)
with st.container(border=True):
    day = adopsi.cutoff(adoption_month, per.hari_ini())
    st.markdown(
        t("ringkasan.adopsi.judul", bulan=formatting.bulan(adoption_month))
        if day == per.month_end(adoption_month)
        else t("ringkasan.adopsi.judul_hari_ini", tanggal=formatting.tanggal(day))
    )
    if summary.empty:
        st.write(t("ringkasan.adopsi.tanpa_target"))
    else:
        bagikan.table(tampilan.target_frame(adoption_month), "ringkasan-target",
                      t("ringkasan.adopsi.judul", bulan=month).replace("*", ""), hide_index=True, width="stretch")
        ui.page_link("pages/adopsi_inovasi.py", label=t("ringkasan.adopsi.rincian"), icon=":material/lightbulb:")

with st.container(border=True):
    ombudsman()
    # Drawn only when opened: few open it, and every session would pay for the table and its Excel button.
    sources = st.expander(t("ringkasan.ombudsman.sumber"), key="sumber_ombudsman", on_change="rerun")
    if sources.open:
        with sources:
            bagikan.table(tampilan.ombudsman_frame(), "ombudsman", t("ringkasan.ombudsman.sumber"),
                          hide_index=True, width="stretch")
