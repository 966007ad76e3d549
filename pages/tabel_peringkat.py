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

previous = ui.league_table(periode - 1) if periode - 1 in ui.periods() else None
median = ranked["skor"].median() if len(ranked) else None
median_before = previous.loc[previous["diperingkat"], "skor"].median() if previous is not None else None
change = None if median is None or median_before is None or pd.isna(median_before) else median - median_before
kpis = st.columns(4)
kpis[0].metric("Diperingkat", f"{len(ranked)} dari {len(table)}", border=True)
kpis[1].metric(
    "Median Indeks Tiru",
    formatting.angka(median, 1),
    # Streamlit reads the arrow's direction from a leading "-".
    delta=None if change is None else f"{'+' if change >= 0 else '-'}{formatting.angka(abs(change), 1)} dari bulan lalu",
    border=True,
)
kpis[2].metric(
    "Naik / turun peringkat",
    f"{int((ranked['gerak'] > 0).sum())} / {int((ranked['gerak'] < 0).sum())}",
    border=True,
    help="Jumlah kecamatan yang peringkatnya naik / turun dibanding bulan lalu.",
)
kpis[3].metric("Belum diperingkat", str(len(unranked)), border=True, help="Cakupan data di bawah 70 %.")

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
