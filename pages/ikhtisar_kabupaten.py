"""Ringkasan: the Sekda's page — the kabupaten against the model, movers, who has not reported."""

import pandas as pd
import streamlit as st

from metrics import adopsi, benchmark, charts, formatting, ui
from metrics import periode as per

st.title("Ringkasan kabupaten")
periode = ui.selected_period()
if periode is None:
    st.info(
        "Belum ada data layanan kecamatan Asahan di basis data. Setelah data bulanan dimuat, halaman ini "
        "menunjukkan Indeks Tiru kabupaten terhadap model, kecamatan yang naik dan turun, serta yang belum melapor.",
        icon=":material/info:",
    )
    st.plotly_chart(charts.ombudsman_chart(ui.table("ombudsman")), width="stretch", config={"displayModeBar": False})
    st.stop()

month = formatting.bulan(periode)
source = "DATA CONTOH" if ui.has_demo() else "laporan kecamatan"
history = ui.composite_history()
series = benchmark.kabupaten_series(history[history["periode"] <= periode])
table = ui.league_table(periode)
status = ui.reporting_status(periode)
silent = status[status["dilaporkan"] == 0]
partial = status[(status["dilaporkan"] > 0) & (status["dilaporkan"] < status["diharapkan"])]

st.caption(f"{month} · Indeks Tiru 0–100 terhadap model Kecamatan Cimahi Tengah (= 100), 25 kecamatan Asahan.")

now = series[series["periode"] == periode]
before = series[series["periode"] == periode - 1]
median = now["median"].iloc[0] if len(now) else None
change = median - before["median"].iloc[0] if len(now) and len(before) and pd.notna(before["median"].iloc[0]) else None
kpis = st.columns(4)
kpis[0].metric(
    "Median Indeks Tiru",
    formatting.angka(median, 1),
    delta=None if change is None or pd.isna(change)
    else f"{'+' if change >= 0 else '-'}{formatting.angka(abs(change), 1)} dari bulan lalu",
    border=True,
    help="Median 25 kecamatan yang diperingkat; model = 100.",
)
kpis[1].metric("Jarak ke model", formatting.angka(None if median is None else 100 - median, 1), border=True,
               help="100 dikurangi median Indeks Tiru, dalam poin.")
kpis[2].metric("Diperingkat", f"{int(table['diperingkat'].sum())} dari {len(table)}", border=True,
               help="Kecamatan dengan cakupan data ≥ 70 %.")
kpis[3].metric("Belum melapor", str(len(silent)), border=True,
               help="Kecamatan yang tidak mengirim satu pun indikator bulanan untuk bulan ini.")

left, right = st.columns([5, 2], gap="medium")
with left, st.container(border=True):
    st.plotly_chart(charts.kabupaten_trend(series, source), width="stretch", config={"displayModeBar": False})
with right, st.container(border=True):
    st.plotly_chart(charts.band_bars(benchmark.band_counts(table), periode), width="stretch",
                    config={"displayModeBar": False})


def profile_link(kode: str, text: str) -> None:
    st.page_link("pages/kecamatan.py", label=text, query_params={"kecamatan": kode})


names = table.set_index("kode_kecamatan")["kecamatan"]
up, down = benchmark.movers(history, periode)
cols = st.columns(3, gap="large")
for column, movers, heading, nobody in ((cols[0], up, "Naik terbesar", "Tidak ada kecamatan yang naik."),
                                        (cols[1], down, "Turun terbesar", "Tidak ada kecamatan yang turun.")):
    with column, st.container(border=True):
        st.markdown(f"**{heading}** · perubahan Indeks Tiru dari {formatting.bulan(periode - 1)}")
        if movers.empty:
            st.write(nobody)
        for r in movers.itertuples():
            sign = "+" if r.perubahan > 0 else "−"
            profile_link(r.kode_kecamatan, f"{names[r.kode_kecamatan]}: {sign}{formatting.angka(abs(r.perubahan), 1)} "
                                           f"(peringkat {formatting.peringkat(r.peringkat_sebelumnya)} → "
                                           f"{formatting.peringkat(r.peringkat)})")
with cols[2], st.container(border=True):
    st.markdown(f"**Belum melapor** · {month}")
    if silent.empty and partial.empty:
        st.write("Semua kecamatan sudah mengirim laporan bulan ini.")
    for r in silent.itertuples():
        since = ("belum pernah melapor" if pd.isna(r.terakhir)
                 else f"laporan terakhir {formatting.bulan(int(r.terakhir))} ({int(r.bulan_tanpa_laporan)} bulan)")
        profile_link(r.kode, f"{r.nama}: {since}")
    for r in partial.itertuples():
        profile_link(r.kode, f"{r.nama}: baru {r.dilaporkan} dari {r.diharapkan} indikator bulanan")

# ---- innovation adoption against the Sekda's targets
inovasi = ui.table("inovasi")
status = adopsi.target_status(ui.events(), ui.table("target"), list(names.index), per.month_end(periode))
summary = adopsi.target_summary(status)
with st.container(border=True):
    st.markdown(f"**Adopsi inovasi terhadap target** · akhir {month}")
    if summary.empty:
        st.write("Belum ada target adopsi inovasi yang ditetapkan.")
    else:
        st.dataframe(
            pd.DataFrame({
                "Inovasi": [adopsi.short_name(c, inovasi.loc[c, "nama"]) for c in summary["inovasi"]],
                "Target": [f"tahap {t} {adopsi.TAHAP[t]} pada {formatting.tanggal(d)}"
                           for t, d in zip(summary["tahap"], summary["tanggal"])],
                "Tercapai": [f"{a} dari {b}" for a, b in zip(summary["tercapai"], summary["berlaku"])],
                "Terlambat": [f"{int(n)} kecamatan" if n else "—" for n in summary["terlambat"]],
            }),
            hide_index=True,
            width="stretch",
        )
        st.page_link("pages/adopsi_inovasi.py", label="Rincian per kecamatan di halaman Inovasi",
                     icon=":material/lightbulb:")

with st.container(border=True):
    st.plotly_chart(charts.ombudsman_chart(ui.table("ombudsman")), width="stretch", config={"displayModeBar": False})
    st.caption(
        "Satu-satunya seri pembanding nyata yang tersedia untuk kedua daerah: penilaian kepatuhan Ombudsman RI "
        "tingkat kabupaten/kota (bukan tingkat kecamatan). Sumber per tahun ada di bawah."
    )
    with st.expander("Sumber seri Ombudsman"):
        ombudsman = ui.table("ombudsman")
        st.dataframe(
            pd.DataFrame({
                "Wilayah": ombudsman["wilayah"],
                "Tahun": ombudsman["tahun"].astype(str),
                "Nilai": [formatting.angka(v, 2) for v in ombudsman["nilai"]],
                "Zona": ombudsman["zona"].fillna("—"),
                "Opini": ombudsman["kategori"].fillna("—"),
                "Sumber": ombudsman["sumber"],
            }),
            hide_index=True,
            width="stretch",
        )
