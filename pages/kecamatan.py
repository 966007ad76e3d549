"""Profil kecamatan (?kecamatan=<kode>): the camat's page — rank, gaps, next steps."""

import pandas as pd
import streamlit as st

from metrics.app import ui
from metrics.charts import common as charts
from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.engine import adopsi, benchmark, scoring, similarity
from metrics.reports import deck_spec, rapor

st.title(t("umum.nav.profil"))
kecamatan = ui.table("kecamatan")
asahan = kecamatan[kecamatan["wilayah"] == "Asahan"].set_index("kode")
kode = ui.url_selectbox(
    t("istilah.kecamatan"), list(asahan.index), "kecamatan",
    format_func=lambda k: t("profil.pilih.pilihan", nama=asahan.loc[k, "nama"], kode=k),
    help=t("profil.pilih.bantuan"),
)
facts = asahan.loc[kode]
population = (t("profil.fakta.penduduk", jumlah=formatting.angka(facts["penduduk"], 0),
                tahun=int(facts["tahun_penduduk"]))
              if pd.notna(facts["penduduk"]) else t("profil.fakta.penduduk_tidak_ada"))
st.subheader(f"{facts['nama']} · {kode}")
st.caption(t("profil.fakta.keterangan", desa=int(facts["desa"]), kelurahan=int(facts["kelurahan"]),
             penduduk=population, sumber=facts["sumber"]))

periode = ui.require_period(t("profil.akibat_kosong"))

month = formatting.bulan(periode)
cat = ui.catalog()
table = ui.league_table(periode).set_index("kode_kecamatan")
row = table.loc[kode]
card_all = ui.scorecard(periode)
profile = benchmark.profile_scorecard(card_all, kode, cat)
source = charts.source_label(ui.has_demo())
n_ranked = int(table["diperingkat"].sum())
threshold = formatting.persen(scoring.COVERAGE_THRESHOLD)

if not profile["ada"].any():
    st.warning(t("profil.tanpa_data_berlaku", nama=facts["nama"], bulan=month), icon=":material/warning:")
    st.stop()

store = ui.store()  # the rapor is built on click, on another thread: no cached reads there
language = bahasa.aktif()  # ... and outside this run's language: pass it on


def report_card() -> bytes:
    with bahasa.dalam(language):
        return rapor.to_bytes(deck_spec.gather(store, periode), [kode])


st.download_button(
    t("profil.rapor.tombol", nama=facts["nama"]), icon=":material/picture_as_pdf:", on_click="ignore",
    data=report_card, mime="application/pdf",
    file_name=rapor.filename(per.fmt(periode), kode),
    help=t("profil.rapor.bantuan"),
)

# ---- rank, certainty, movement
kpis = st.columns(4)
if row["diperingkat"]:
    kpis[0].metric(t("istilah.peringkat"), t("profil.kpi.peringkat_nilai", peringkat=int(row["peringkat"]),
                                                  total=n_ranked), border=True,
                   help=t("profil.kpi.peringkat_bantuan", sebaran=formatting.persen(scoring.CERTAINTY_SPREAD),
                          undian=formatting.angka(scoring.CERTAINTY_DRAWS, 0)))
    kpis[1].metric(t("istilah.rentang_peringkat"), f"{int(row['peringkat_min'])}–{int(row['peringkat_max'])}",
                   border=True)
    kpis[2].metric(t("istilah.gerak_bulan_lalu"), formatting.gerak(row["gerak"]), border=True,
                   help=t("profil.kpi.gerak_bantuan"))
else:
    missing = profile.loc[~profile["ada"], "nama"]
    kpis[0].metric(t("istilah.peringkat"), t("istilah.belum_diperingkat"), border=True)
    kpis[1].metric(t("istilah.cakupan"), formatting.persen(row["cakupan"]), border=True,
                   help=t("profil.kpi.cakupan_bantuan", ambang=threshold))
    kpis[2].metric(t("istilah.tanpa_data"), str(len(missing)), border=True)
kpis[3].metric(t("istilah.indeks_tiru"), formatting.angka(row["skor"], 1), border=True,
               help=t("profil.kpi.indeks_bantuan"))
if not row["diperingkat"]:
    st.warning(t("profil.belum_diperingkat", bulan=month, cakupan=formatting.persen(row["cakupan"]), ambang=threshold,
                 indikator=", ".join(profile.loc[~profile["ada"], "nama"])),
               icon=":material/warning:")

# ---- next steps
inovasi = ui.table("inovasi")
inovasi_names = bahasa.names(inovasi, "nama")
stages = adopsi.stage_matrix(ui.table("adopsi"), [kode], list(inovasi.index), periode)
stage_of = stages.set_index("inovasi")["tahap"]
steps = benchmark.next_steps(profile, stages, inovasi["indikator"])
with st.container(border=True):
    st.markdown(t("profil.langkah.judul", bulan=month))
    if steps.empty:
        st.write(t("profil.langkah.semua_setara"))
    for i, step in enumerate(steps.itertuples(), start=1):
        suggestion = (", ".join(t("profil.langkah.inovasi", inovasi=adopsi.short_name(c, inovasi_names[c]),
                                  tahap=adopsi.nama_tahap(int(stage_of[c])))
                                for c in step.inovasi)
                      if step.inovasi else t("profil.langkah.semua_berjalan"))
        st.markdown(t(
            "profil.langkah.butir", nomor=i, nama=step.nama, nilai=formatting.nilai(step.nilai, step.satuan),
            model=formatting.nilai(step.model, step.satuan), skor=formatting.angka(step.skor, 0),
            poin=formatting.angka(step.celah_berbobot / cat.weights.sum(), 1), saran=suggestion,
        ))

# ---- scorecard
st.markdown(t("profil.kartu.judul", bulan=month))
recent = ui.observasi(periode - 11, periode)
recent = recent[recent["kode_kecamatan"] == kode]
months = list(range(periode - 11, periode + 1))
# The sparkline can only draw reported months (a gap breaks it), so the count says what is missing.
spark = {code: [float(v) for v in recent.loc[recent["indikator"] == code].sort_values("periode")["nilai"]]
         for code in profile["indikator"]}
expected = {code: 12 // per.VALIDITY_MONTHS[f] for code, f in cat.indikator["frekuensi"].items()}
arah = {"higher": t("profil.kartu.arah_tinggi"), "lower": t("profil.kartu.arah_rendah")}
demo_source = charts.source_label(True)
column = {
    "indikator": t("istilah.indikator"), "nilai": t("istilah.nilai"), "model": t("istilah.model"),
    "selisih": t("profil.kartu.selisih"), "skor": t("istilah.skor"), "kategori": t("istilah.kategori"),
    "tren": t("profil.kartu.tren"), "laporan": t("profil.kartu.laporan"), "arah": t("istilah.arah"),
    "periode_nilai": t("istilah.periode_nilai"), "sumber": t("istilah.sumber")}
st.dataframe(
    pd.DataFrame({
        column["indikator"]: profile["nama"],
        column["nilai"]: [formatting.nilai(v, u) if pd.notna(v) else t("istilah.tidak_ada_data")
                          for v, u in zip(profile["nilai"], profile["satuan"])],
        column["model"]: [formatting.nilai(v, u) for v, u in zip(profile["model"], profile["satuan"])],
        column["selisih"]: [(t("profil.kartu.melampaui") if b else formatting.angka(g, 1)) if pd.notna(g) else "—"
                            for g, b in zip(profile["selisih"], profile["melampaui"])],
        column["skor"]: [formatting.angka(v, 0) for v in profile["skor"]],
        column["kategori"]: profile["kategori"],
        column["tren"]: [spark[c] for c in profile["indikator"]],
        column["laporan"]: [t("profil.kartu.laporan_nilai", ada=len(spark[c]), harapan=expected[c])
                            for c in profile["indikator"]],
        column["arah"]: profile["arah"].map(arah),
        column["periode_nilai"]: [formatting.bulan(int(m)) if pd.notna(m) else "—" for m in profile["periode_nilai"]],
        column["sumber"]: [(demo_source if demo else src) if isinstance(src, str) else "—"
                           for src, demo in zip(profile["sumber"], profile["demo"])],
    }),
    hide_index=True,
    width="stretch",
    height=38 + 35 * len(profile),
    column_config={
        column["tren"]: st.column_config.LineChartColumn(
            help=t("profil.kartu.tren_bantuan", dari=formatting.bulan(periode - 11, short=True),
                   sampai=formatting.bulan(periode, short=True))),
        column["selisih"]: st.column_config.TextColumn(help=t("profil.kartu.selisih_bantuan")),
        column["kategori"]: st.column_config.TextColumn(help=t("profil.kartu.kategori_bantuan")),
    },
)
st.caption(t("profil.kartu.model_sumber", sumber="; ".join(sorted(set(profile["model_sumber"].dropna())))))

# ---- pillars and rank history
left, right = st.columns(2, gap="medium")
pillar_names = bahasa.names(cat.pilar, "nama")
own = card_all[card_all["kode_kecamatan"] == kode].groupby("pilar")["skor"].mean()
median = card_all.groupby(["kode_kecamatan", "pilar"])["skor"].mean().groupby("pilar").median()
pillars = pd.DataFrame({"kecamatan": own, "median": median}).reindex(cat.pilar.index).set_axis(pillar_names)
with left, st.container(border=True):
    st.plotly_chart(ui.figure(charts.pillar_comparison, pillars, facts["nama"], periode, source), width="stretch",
                    config={"displayModeBar": False})
history = ui.composite_history()
first_ranked = history.loc[history["diperingkat"], "periode"].min()
own_history = history[(history["kode_kecamatan"] == kode) & history["periode"].between(first_ranked, periode)]
with right, st.container(border=True):
    st.plotly_chart(ui.figure(charts.rank_history, own_history, facts["nama"], len(asahan), source), width="stretch",
                    config={"displayModeBar": False})

# ---- similar kecamatan and innovations
left, right = st.columns(2, gap="medium")
with left, st.container(border=True):
    st.markdown(t("profil.mirip.judul"))
    st.caption(t("profil.mirip.keterangan"))
    similar = similarity.most_similar(kecamatan[kecamatan["wilayah"] == "Asahan"], kode)
    for r in similar.itertuples():
        other = table.loc[r.kode]
        standing = (t("profil.mirip.diperingkat", peringkat=int(other["peringkat"]),
                      skor=formatting.angka(other["skor"], 1))
                    if other["diperingkat"] else t("istilah.belum_diperingkat"))
        st.page_link("pages/kecamatan.py", label=t("profil.mirip.tautan", nama=r.nama, keadaan=standing),
                     query_params={"kecamatan": r.kode})
with right, st.container(border=True):
    st.markdown(t("profil.tahap.judul", bulan=month))
    st.dataframe(
        pd.DataFrame({
            t("istilah.inovasi"): [adopsi.short_name(c, inovasi_names[c]) for c in stages["inovasi"]],
            t("istilah.tahap"): [f"{s} · {adopsi.nama_tahap(s)}" for s in stages["tahap"]],
            t("profil.tahap.sejak"): [formatting.tanggal(d) for d in stages["sejak"]],
        }),
        hide_index=True,
        width="stretch",
    )
