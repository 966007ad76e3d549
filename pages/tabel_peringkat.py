"""Peringkat: the league table of the 25 Asahan kecamatan for the chosen month."""

import pandas as pd
import streamlit as st

from metrics import charts, formatting, ui

st.title("Peringkat kecamatan")
periode = ui.selected_period()
if periode is None:
    st.info(
        "Belum ada data layanan kecamatan Asahan di basis data, jadi belum ada yang dapat diperingkat. "
        "Data referensi (kecamatan, indikator, model) sudah tersedia di halaman Metodologi.",
        icon=":material/info:",
    )
    st.stop()

table = ui.league_table(periode)
catalog = ui.catalog()
month = formatting.bulan(periode)
ranked = table[table["diperingkat"]]
unranked = table[~table["diperingkat"]]
source = "DATA CONTOH" if ui.has_demo() else "laporan kecamatan"

st.caption(
    f"{month} · Indeks Tiru 0–100: 100 = setara atau melampaui model Cimahi Tengah. "
    "Diperingkat bila cakupan data ≥ 70 %. Rentang = peringkat persentil 5–95 bila bobot pilar diubah ±50 %."
)

best = ranked.iloc[0] if len(ranked) else None
kpis = st.columns(4)
kpis[0].metric("Diperingkat", f"{len(ranked)} dari {len(table)}", border=True)
kpis[1].metric("Median Indeks Tiru", formatting.angka(ranked["skor"].median(), 1) if len(ranked) else "—", border=True)
kpis[2].metric("Peringkat 1", best["kecamatan"] if best is not None else "—", border=True)
kpis[3].metric("Belum diperingkat", str(len(unranked)), border=True)

if ranked.empty:
    st.warning(f"Tidak ada kecamatan dengan cakupan data ≥ 70 % pada {month}.", icon=":material/warning:")
else:
    shown = pd.DataFrame(
        {
            "Peringkat": ranked["peringkat"].astype(int),
            "Kecamatan": ranked["kecamatan"],
            "Indeks Tiru": [formatting.angka(v, 1) for v in ranked["skor"]],
            "Rentang peringkat": [f"{a:.0f}–{b:.0f}" for a, b in zip(ranked["peringkat_min"], ranked["peringkat_max"])],
            "Gerak": [formatting.gerak(v) for v in ranked["gerak"]],
            "Bulan lalu": [formatting.peringkat(v) for v in ranked["peringkat_sebelumnya"]],
            "Cakupan data": [formatting.persen(v) for v in ranked["cakupan"]],
            "Kode": ranked["kode_kecamatan"],
        }
    )
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            height=min(38 + 35 * len(shown), 920),
            column_config={
                "Peringkat": st.column_config.NumberColumn(width="small"),
                "Rentang peringkat": st.column_config.TextColumn(
                    help="Peringkat persentil 5–95 dari 1.000 undian bobot pilar (±50 %)."),
                "Gerak": st.column_config.TextColumn(help="Perubahan peringkat dibanding bulan sebelumnya."),
                "Cakupan data": st.column_config.TextColumn(help="Bagian bobot indikator yang datanya ada."),
            },
        )
    with right:
        st.plotly_chart(charts.composite_bars(table, periode, source), width="stretch",
                        config={"displayModeBar": False})

st.subheader("Belum diperingkat")
if unranked.empty:
    st.write(f"Semua kecamatan memiliki cakupan data ≥ 70 % pada {month}.")
else:
    names = catalog.indikator["nama"]
    st.dataframe(
        pd.DataFrame(
            {
                "Kecamatan": unranked["kecamatan"],
                "Cakupan data": [formatting.persen(v) for v in unranked["cakupan"]],
                "Indikator tanpa data": ["; ".join(names[c] for c in missing) for missing in unranked["belum_ada"]],
            }
        ),
        hide_index=True,
        width="stretch",
    )
