"""Peringkat: the league table of the 25 Asahan kecamatan for the chosen month."""

import numpy as np
import pandas as pd
import streamlit as st

from metrics import benchmark, charts, formatting, similarity, ui

# Light tints of a blue→orange scale (colour-blind safe): best quartile / mutu A first.
CATEGORY_COLOURS = {1: "#9ECAE1", 2: "#DEEBF7", 3: "#FDE0C5", 4: "#F9B27A"}
MUTU_QUARTILE = {"A": 1, "B": 2, "C": 3, "D": 4}

st.title("Peringkat kecamatan")
periode = ui.require_period("belum ada yang dapat diperingkat")

cat = ui.catalog()
table = ui.league_table(periode)
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

# ---- controls: sort measure and similar group, both kept in the URL
options = benchmark.measures(cat)
asahan = ui.table("kecamatan").query("wilayah == 'Asahan'")
names = asahan.set_index("kode")["nama"]
controls = st.columns([2, 2, 3])
measure = ui.url_selectbox("Urutkan menurut", list(options), "urut", format_func=options.get,
                           container=controls[0], help="Indeks Tiru, satu pilar, atau satu indikator.")
group_of = ui.url_selectbox(
    "Kelompok mirip dengan", [""] + list(names.index), "mirip", container=controls[1],
    format_func=lambda k: "semua kecamatan" if not k else f"{names[k]} dan 5 yang paling mirip",
    help="Bandingkan sesama kecamatan yang mirip (jumlah desa/kelurahan, porsi kelurahan, letak).",
)

shown = benchmark.measure_table(table, ui.scorecard(periode), measure)
if measure == benchmark.COMPOSITE:
    shown = shown[shown["diperingkat"]]
if group_of:
    members = [group_of] + list(similarity.most_similar(asahan, group_of)["kode"])
    shown = shown[shown["kode_kecamatan"].isin(members)]


def colour_class(row) -> int | None:
    """1–4 for the colour of the measure column: IKM mutu, else quartile of the shown scores."""
    if measure == "ikm" and isinstance(row.get("ukuran_kategori"), str) and row["ukuran_kategori"].startswith("Mutu"):
        return MUTU_QUARTILE[row["ukuran_kategori"].split()[1]]
    return row["_kuartil"]


scores = shown["ukuran_skor"]
shown = shown.assign(_kuartil=np.ceil(scores.rank(ascending=False, method="min", pct=True) * 4).clip(1, 4))
measure_label = options[measure]
frame = pd.DataFrame({
    "Peringkat": [formatting.peringkat(v) if d else "belum" for v, d in zip(shown["peringkat"], shown["diperingkat"])],
    "Kecamatan": shown["kecamatan"],
    "Indeks Tiru": [formatting.angka(v, 1) for v in shown["skor"]],
    "Rentang peringkat": [f"{a:.0f}–{b:.0f}" if pd.notna(a) else "—"
                          for a, b in zip(shown["peringkat_min"], shown["peringkat_max"])],
    "Gerak": [formatting.gerak(v) if d else "—" for v, d in zip(shown["gerak"], shown["diperingkat"])],
    "Cakupan data": [formatting.persen(v) for v in shown["cakupan"]],
})
measure_column = "Skor pilar" if measure.startswith(benchmark.PILLAR_PREFIX) else "Skor indikator"
if measure != benchmark.COMPOSITE:
    frame[measure_column] = [formatting.angka(v, 1) for v in shown["ukuran_skor"]]
if "ukuran_nilai" in shown:
    unit = cat.indikator.loc[measure, "satuan"]
    frame["Nilai"] = [formatting.nilai(v, unit) for v in shown["ukuran_nilai"]]
    frame["Kategori"] = shown["ukuran_kategori"].to_numpy()
frame["Profil"] = [f"profil?kecamatan={k}" for k in shown["kode_kecamatan"]]
coloured = "Kategori" if "Kategori" in frame else ("Indeks Tiru" if measure == benchmark.COMPOSITE
                                                   else measure_column)
classes = [colour_class(r) for _, r in shown.iterrows()]
styled = frame.style.apply(
    lambda column: [f"background-color: {CATEGORY_COLOURS[int(c)]}" if pd.notna(c) else "" for c in classes],
    subset=[coloured],
)

if measure != benchmark.COMPOSITE:
    st.markdown(f"**Diurutkan menurut {measure_label}** (skor 0–100, terbaik di atas; semua kecamatan yang berdata, "
                "termasuk yang belum diperingkat).")
picked = st.dataframe(
    styled,
    hide_index=True,
    width="stretch",
    height=min(38 + 35 * len(frame), 920),
    on_select="rerun",
    selection_mode="single-row",
    key="baris_peringkat",
    column_config={
        "Rentang peringkat": st.column_config.TextColumn(
            help="Peringkat persentil 5–95 dari 1.000 undian bobot pilar (±50 %)."),
        "Gerak": st.column_config.TextColumn(help="Perubahan peringkat dibanding bulan sebelumnya."),
        "Cakupan data": st.column_config.TextColumn(help="Bagian bobot indikator yang datanya ada."),
        "Profil": st.column_config.LinkColumn(display_text="buka profil", help="Buka profil kecamatan ini."),
    },
)
legend = ("mutu IKM resmi (PermenPAN-RB 14/2017): biru tua = A, biru muda = B, jingga muda = C, jingga = D"
          if measure == "ikm" else
          "kuartil relatif di antara kecamatan yang ditampilkan: biru tua = 25 % terbaik, jingga = 25 % terendah"
          " (arah indikator sudah diperhitungkan)")
st.caption(f"Warna kolom {coloured}: {legend}. Pilih satu baris untuk membuka profil kecamatan itu.")
if picked.selection.rows:
    chosen = shown.iloc[picked.selection.rows[0]]["kode_kecamatan"]
    st.switch_page("pages/kecamatan.py", query_params={"kecamatan": chosen})
with st.container(border=True):
    st.plotly_chart(charts.composite_bars(table, periode, source), width="stretch", config={"displayModeBar": False})

st.subheader("Belum diperingkat")
if unranked.empty:
    st.write(f"Semua kecamatan memiliki cakupan data ≥ 70 % pada {month}.")
else:
    indicator_names = cat.indikator["nama"]
    st.dataframe(
        pd.DataFrame(
            {
                "Kecamatan": unranked["kecamatan"],
                "Cakupan data": [formatting.persen(v) for v in unranked["cakupan"]],
                "Indikator tanpa data": ["; ".join(indicator_names[c] for c in missing)
                                         for missing in unranked["belum_ada"]],
            }
        ),
        hide_index=True,
        width="stretch",
    )
