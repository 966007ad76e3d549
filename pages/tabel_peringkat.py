"""Peringkat: the league table of the 25 Asahan kecamatan for the chosen month."""

import numpy as np
import pandas as pd
import streamlit as st

from metrics.app import ui
from metrics.charts import common as charts
from metrics.core import bahasa, formatting
from metrics.core.bahasa import t
from metrics.engine import benchmark, ikm, scoring, similarity

# Light tints of a blue→orange scale (colour-blind safe): best quartile / mutu A first.
CATEGORY_COLOURS = {1: "#9ECAE1", 2: "#DEEBF7", 3: "#FDE0C5", 4: "#F9B27A"}
MUTU_QUARTILE = {"A": 1, "B": 2, "C": 3, "D": 4}

st.title(t("peringkat.judul"))
periode = ui.require_period(t("peringkat.akibat_kosong"))

cat = ui.catalog()
table = ui.league_table(periode)
month = formatting.bulan(periode)
ranked = table[table["diperingkat"]]
unranked = table[~table["diperingkat"]]
source = charts.source_label(ui.has_demo())
threshold = formatting.persen(scoring.COVERAGE_THRESHOLD)
spread = formatting.persen(scoring.CERTAINTY_SPREAD)

st.caption(t("peringkat.keterangan", bulan=month, ambang=threshold, sebaran=spread))

previous = ui.league_table(periode - 1) if periode - 1 in ui.periods() else None
median = ranked["skor"].median() if len(ranked) else None
median_before = previous.loc[previous["diperingkat"], "skor"].median() if previous is not None else None
change = None if median is None or median_before is None or pd.isna(median_before) else median - median_before
kpis = st.columns(4)
kpis[0].metric(t("istilah.kpi.diperingkat"), t("istilah.kpi.dari", n=len(ranked), total=len(table)), border=True)
kpis[1].metric(
    t("istilah.kpi.median_indeks"),
    formatting.angka(median, 1),
    # Streamlit reads the arrow's direction from a leading "-".
    delta=None if change is None
    else t("istilah.kpi.median_gerak", perubahan=f"{'+' if change >= 0 else '-'}{formatting.angka(abs(change), 1)}"),
    border=True,
)
kpis[2].metric(
    t("peringkat.kpi.naik_turun"),
    f"{int((ranked['gerak'] > 0).sum())} / {int((ranked['gerak'] < 0).sum())}",
    border=True,
    help=t("peringkat.kpi.naik_turun_bantuan"),
)
kpis[3].metric(t("peringkat.kpi.belum"), str(len(unranked)), border=True,
               help=t("peringkat.kpi.belum_bantuan", ambang=threshold))

# ---- controls: sort measure and similar group, both kept in the URL
options = benchmark.measures(cat)
asahan = ui.table("kecamatan").query("wilayah == 'Asahan'")
names = asahan.set_index("kode")["nama"]
controls = st.columns([2, 2, 3])
measure = ui.url_selectbox(t("peringkat.kendali.urut"), list(options), "urut", format_func=options.get,
                           container=controls[0], help=t("peringkat.kendali.urut_bantuan"))
group_of = ui.url_selectbox(
    t("peringkat.kendali.mirip"), [""] + list(names.index), "mirip", container=controls[1],
    format_func=lambda k: t("peringkat.kendali.mirip_semua") if not k
    else t("peringkat.kendali.mirip_kelompok", nama=names[k]),
    help=t("peringkat.kendali.mirip_bantuan"),
)

shown = benchmark.measure_table(table, ui.scorecard(periode), measure)
if measure == benchmark.COMPOSITE:
    shown = shown[shown["diperingkat"]]
if group_of:
    members = [group_of] + list(similarity.most_similar(asahan, group_of)["kode"])
    shown = shown[shown["kode_kecamatan"].isin(members)]


def colour_class(row) -> int | None:
    """1–4 for the colour of the measure column: IKM mutu, else quartile of the shown scores."""
    if measure == "ikm":
        found = ikm.mutu(row.get("ukuran_nilai"))
        if found:
            return MUTU_QUARTILE[found[0]]
    return row["_kuartil"]


def profile_url(kode: str) -> str:
    """Relative link to the profile, keeping a non-default language (the link may open a new tab)."""
    language = "" if bahasa.aktif() == bahasa.DEFAULT else f"&bahasa={bahasa.aktif()}"
    return f"profil?kecamatan={kode}{language}"


scores = shown["ukuran_skor"]
shown = shown.assign(_kuartil=np.ceil(scores.rank(ascending=False, method="min", pct=True) * 4).clip(1, 4))
measure_label = options[measure]
column = {
    "peringkat": t("istilah.peringkat"), "kecamatan": t("istilah.kecamatan"), "indeks": t("istilah.indeks_tiru"),
    "rentang": t("istilah.rentang_peringkat"), "gerak": t("istilah.gerak"), "cakupan": t("istilah.cakupan"),
    "skor_pilar": t("peringkat.kolom.skor_pilar"), "skor_indikator": t("peringkat.kolom.skor_indikator"),
    "nilai": t("istilah.nilai"), "kategori": t("istilah.kategori"), "profil": t("peringkat.kolom.profil"),
    "tanpa_data": t("istilah.tanpa_data")}
frame = pd.DataFrame({
    column["peringkat"]: [formatting.peringkat(v) if d else t("peringkat.kolom.belum")
                          for v, d in zip(shown["peringkat"], shown["diperingkat"])],
    column["kecamatan"]: shown["kecamatan"],
    column["indeks"]: [formatting.angka(v, 1) for v in shown["skor"]],
    column["rentang"]: [f"{a:.0f}–{b:.0f}" if pd.notna(a) else "—"
                        for a, b in zip(shown["peringkat_min"], shown["peringkat_max"])],
    column["gerak"]: [formatting.gerak(v) if d else "—" for v, d in zip(shown["gerak"], shown["diperingkat"])],
    column["cakupan"]: [formatting.persen(v) for v in shown["cakupan"]],
})
measure_column = column["skor_pilar"] if measure.startswith(benchmark.PILLAR_PREFIX) else column["skor_indikator"]
if measure != benchmark.COMPOSITE:
    frame[measure_column] = [formatting.angka(v, 1) for v in shown["ukuran_skor"]]
if "ukuran_nilai" in shown:
    unit = cat.indikator.loc[measure, "satuan"]
    frame[column["nilai"]] = [formatting.nilai(v, unit) for v in shown["ukuran_nilai"]]
    frame[column["kategori"]] = shown["ukuran_kategori"].to_numpy()
frame[column["profil"]] = [profile_url(k) for k in shown["kode_kecamatan"]]
coloured = column["kategori"] if column["kategori"] in frame else (
    column["indeks"] if measure == benchmark.COMPOSITE else measure_column)
classes = [colour_class(r) for _, r in shown.iterrows()]
styled = frame.style.apply(
    lambda values: [f"background-color: {CATEGORY_COLOURS[int(c)]}" if pd.notna(c) else "" for c in classes],
    subset=[coloured],
)

if measure != benchmark.COMPOSITE:
    st.markdown(t("peringkat.urut_menurut", ukuran=measure_label))
picked = st.dataframe(
    styled,
    hide_index=True,
    width="stretch",
    height=min(38 + 35 * len(frame), 920),
    on_select="rerun",
    selection_mode="single-row",
    key="baris_peringkat",
    column_config={
        column["rentang"]: st.column_config.TextColumn(
            help=t("peringkat.kolom.rentang_bantuan", undian=formatting.angka(scoring.CERTAINTY_DRAWS, 0),
                   sebaran=spread)),
        column["gerak"]: st.column_config.TextColumn(help=t("peringkat.kolom.gerak_bantuan")),
        column["cakupan"]: st.column_config.TextColumn(help=t("peringkat.kolom.cakupan_bantuan")),
        column["profil"]: st.column_config.LinkColumn(display_text=t("peringkat.kolom.profil_teks"),
                                                      help=t("peringkat.kolom.profil_bantuan")),
    },
)
legend = t("peringkat.warna.ikm") if measure == "ikm" else t("peringkat.warna.kuartil")
st.caption(t("peringkat.warna.keterangan", kolom=coloured, legenda=legend))
if picked.selection.rows:
    chosen = shown.iloc[picked.selection.rows[0]]["kode_kecamatan"]
    st.switch_page("pages/kecamatan.py", query_params={"kecamatan": chosen})
with st.container(border=True):
    st.plotly_chart(charts.composite_bars(table, periode, source), width="stretch", config={"displayModeBar": False})

st.subheader(t("peringkat.belum.judul"))
if unranked.empty:
    st.write(t("peringkat.belum.semua", ambang=threshold, bulan=month))
else:
    indicator_names = bahasa.names(cat.indikator, "nama")
    st.dataframe(
        pd.DataFrame(
            {
                column["kecamatan"]: unranked["kecamatan"],
                column["cakupan"]: [formatting.persen(v) for v in unranked["cakupan"]],
                column["tanpa_data"]: ["; ".join(indicator_names[c] for c in missing)
                                       for missing in unranked["belum_ada"]],
            }
        ),
        hide_index=True,
        width="stretch",
    )
