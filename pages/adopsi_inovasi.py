"""Inovasi: where adoption of each innovation stands, what is late, whether it moves the numbers.

Texts come from metrics/core/teks/inovasi.toml; the cached views and the recording forms are in
metrics/app/inovasi.py, the tables are shaped by metrics/engine/adopsi_tabel.py.
"""

import pandas as pd
import streamlit as st

from metrics.app import bagikan, ui
from metrics.app import inovasi as halaman
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.engine import adopsi, dampak
from metrics.engine import adopsi_tabel as tabel

ui.title(t("inovasi.halaman.judul"))
periode = halaman.adoption_period()  # adoption's own calendar: up to today even without observations
if periode is None:
    periode = ui.require_period(t("inovasi.halaman.tanpa_data"))  # explains and stops

b = halaman.base()
events, inovasi, kec_names, short, source = b.events, b.inovasi, b.kec_names, b.short, b.source
month = halaman.month_label(periode)
dari, first_shown = halaman.months_shown(events, periode)
day = halaman.cutoff(periode)  # the day the month counts up to: in the cached views' key
view = halaman.month_view(periode, day)
matrix, status, terlambat, everyone = view["matrix"], view["status"], view["terlambat"], view["everyone"]
berjalan = adopsi.nama_tahap(adopsi.BERJALAN)

st.caption(t("inovasi.halaman.keterangan", bulan=month,
             tahap=" · ".join(adopsi.label_tahap(n) for n in adopsi.TAHAP)))

# ----------------------------------------------------------------- KPIs
adopted = int((matrix["tahap"] >= adopsi.BERJALAN).sum())
this_month = events[pd.to_datetime(events["tanggal"]).map(per.from_date) == periode] if len(events) else events
kpis = st.columns(3)
kpis[0].metric(t("inovasi.halaman.kpi.berjalan"),
               f"{formatting.angka(adopted, 0)} / {formatting.angka(len(matrix), 0)}", border=True,
               help=t("inovasi.halaman.kpi.berjalan_bantuan", kecamatan=len(b.kec_codes), inovasi=len(b.inv_codes)))
kpis[1].metric(t("inovasi.halaman.kpi.terlambat"),
               f"{formatting.angka(terlambat['kode_kecamatan'].nunique(), 0)} / "
               f"{formatting.angka(len(b.kec_codes), 0)}", border=True,
               help=t("inovasi.halaman.kpi.terlambat_bantuan"))
kpis[2].metric(t("inovasi.halaman.kpi.peristiwa", bulan=formatting.bulan(periode, short=True)),
               formatting.angka(len(this_month), 0), border=True, help=t("inovasi.halaman.kpi.peristiwa_bantuan"))
st.markdown(tabel.lagging(view["late_by_inovasi"], short, month))

# ----------------------------------------------------------------- matrix and stage bars
matrix_chart, bars_chart = halaman.overview_charts(periode, day)
with st.container(border=True):
    bagikan.chart(matrix_chart, "inovasi-matriks", key="matriks")
left, right = st.columns([3, 2], gap="medium", border=True)
with left:
    bagikan.chart(bars_chart, "inovasi-sebaran", key="sebaran")
with right:
    st.markdown(t("inovasi.halaman.target.judul", bulan=month))
    if view["targets"].empty:
        st.write(t("inovasi.halaman.target.kosong"))
    else:
        bagikan.table(tabel.target_table(view["targets"], short), "inovasi-target", t("inovasi.halaman.judul"),
                      hide_index=True, width="stretch", key="tabel_target")

# ----------------------------------------------------------------- per innovation
st.header(t("inovasi.halaman.per_inovasi.judul"))
chosen = ui.url_selectbox(t("istilah.inovasi"), b.inv_codes, "inovasi", format_func=b.inv_names.get)
catalog = ui.catalog()
ind_names = bahasa.names(catalog.indikator, "nama")
curve, side = st.columns(2, gap="medium", border=True)
with curve:
    bagikan.chart(halaman.curve_chart(periode, dari, first_shown, chosen), "inovasi-kurva", key="kurva")
with side:
    late_here = tabel.late_table(terlambat, chosen, kec_names)
    st.markdown(t("inovasi.halaman.per_inovasi.terlambat_judul", bulan=month))
    if late_here.empty:
        st.write(t("inovasi.halaman.per_inovasi.tidak_terlambat") if (status["inovasi"] == chosen).any()
                 else t("inovasi.halaman.per_inovasi.tanpa_target"))
    else:
        bagikan.table(late_here, "inovasi-terlambat", short[chosen], hide_index=True, width="stretch",
                      key="tabel_terlambat")
    st.markdown(t("inovasi.halaman.per_inovasi.berikutnya_judul", berjalan=berjalan, bulan=month,
                  indikator=", ".join(ind_names.get(i, i) for i in inovasi.loc[chosen, "indikator"])))
    nxt = tabel.next_table(everyone, chosen, kec_names)
    if nxt.empty:
        st.write(t("inovasi.halaman.per_inovasi.tanpa_kandidat", berjalan=berjalan))
    else:
        bagikan.table(nxt, "inovasi-berikutnya", short[chosen], hide_index=True, width="stretch",
                      key="tabel_berikutnya", column_config={
                          t("inovasi.halaman.per_inovasi.kolom_kesenjangan"): st.column_config.TextColumn(
                              help=t("inovasi.halaman.per_inovasi.kesenjangan_bantuan"))})

# ----------------------------------------------------------------- impact
with st.container(border=True):
    st.markdown(t("inovasi.halaman.dampak.judul", inovasi=b.inv_names[chosen], n=dampak.WINDOW, berjalan=berjalan,
                  bulan=month))
    effects = ui.impact(dari, periode)
    column = tabel.impact_columns()
    bagikan.table(
        tabel.impact_table(effects[effects["inovasi"] == chosen], catalog.indikator["satuan"], ind_names, short),
        "inovasi-dampak", short[chosen],
        hide_index=True, width="stretch", key="tabel_dampak",
        column_config={
            column["pengadopsi"]: st.column_config.TextColumn(
                help=t("inovasi.halaman.dampak.pengadopsi_bantuan", berjalan=berjalan)),
            column["pembanding"]: st.column_config.TextColumn(help=t("inovasi.halaman.dampak.pembanding_bantuan")),
            column["selisih"]: st.column_config.TextColumn(help=t("inovasi.halaman.dampak.selisih_bantuan")),
            column["n"]: st.column_config.TextColumn(help=t("inovasi.halaman.dampak.n_bantuan")),
        },
    )
    st.caption(t("inovasi.halaman.dampak.catatan", berjalan=berjalan, minimum=dampak.MIN_GROUP,
                 kesimpulan=dampak.MIN_KESIMPULAN, sumber=source))

# ----------------------------------------------------------------- per kecamatan
st.header(t("inovasi.halaman.per_kecamatan.judul"))
kode = ui.url_selectbox(t("istilah.kecamatan"), b.by_name, "kecamatan", format_func=lambda c: kec_names.get(c, c))
timeline_col, next_col = st.columns([3, 2], gap="medium", border=True)
with timeline_col:
    bagikan.chart(halaman.timeline_chart(periode, first_shown, kode), "inovasi-linimasa", key="linimasa")
with next_col:
    st.markdown(t("inovasi.halaman.per_kecamatan.sudah_judul", kecamatan=kec_names[kode], berjalan=berjalan,
                  terlembaga=adopsi.nama_tahap(4), bulan=month))
    st.write(tabel.adopted_line(matrix, kode, b.inv_codes, short))
    if warning := tabel.late_warning(terlambat, kode, short):
        st.warning(warning, icon=":material/schedule:")
    here = tabel.kecamatan_next_table(everyone, kode, short)
    st.markdown(t("inovasi.halaman.per_kecamatan.berikutnya_judul", berjalan=berjalan))
    if here.empty:
        st.write(t("inovasi.halaman.per_kecamatan.tidak_ada", berjalan=berjalan))
    else:
        bagikan.table(here, "inovasi-kecamatan", kec_names[kode], hide_index=True, width="stretch",
                      key="tabel_kecamatan_berikutnya")

# ----------------------------------------------------------------- history and recording
st.header(t("inovasi.halaman.riwayat.judul", kecamatan=kec_names[kode], inovasi=short[chosen]))
cell = adopsi.cell_events(ui.events(with_undone=True), kode, chosen)
if cell.empty:
    st.write(t("inovasi.halaman.riwayat.kosong"))
else:
    bagikan.table(tabel.history_table(cell, b.batches), "inovasi-riwayat", f"{kec_names[kode]} {short[chosen]}",
                  hide_index=True, width="stretch", key="tabel_riwayat",
                 column_config={t("inovasi.halaman.riwayat.kolom_tanggal"): st.column_config.TextColumn(
                     help=t("inovasi.halaman.riwayat.urutan_bantuan"))})

ui.show_notice()

with st.container(border=True):
    halaman.recording_forms(b, kode, chosen, cell)
