"""Profil kecamatan (?kecamatan=<kode>): the camat's page — rank, gaps, next steps."""

import pandas as pd
import streamlit as st

from metrics import adopsi, benchmark, charts, formatting, rapor, similarity, slides, ui
from metrics import periode as per

st.title("Profil kecamatan")
kecamatan = ui.table("kecamatan")
asahan = kecamatan[kecamatan["wilayah"] == "Asahan"].set_index("kode")
kode = ui.url_selectbox(
    "Kecamatan", list(asahan.index), "kecamatan",
    format_func=lambda k: f"{asahan.loc[k, 'nama']} ({k})",
    help="Simpan atau bagikan alamat halaman ini: kecamatan terpilih ada di alamatnya (?kecamatan=…).",
)
facts = asahan.loc[kode]
population = (f"penduduk {formatting.angka(facts['penduduk'], 0)} jiwa (tahun {int(facts['tahun_penduduk'])})"
              if pd.notna(facts["penduduk"]) else "penduduk: belum ada angka bersumber")
st.subheader(f"{facts['nama']} · {kode}")
st.caption(f"{int(facts['desa'])} desa, {int(facts['kelurahan'])} kelurahan · {population}. Sumber: {facts['sumber']}")

periode = ui.require_period("belum ada peringkat, skor, atau langkah berikutnya untuk kecamatan ini")

month = formatting.bulan(periode)
cat = ui.catalog()
table = ui.league_table(periode).set_index("kode_kecamatan")
row = table.loc[kode]
card_all = ui.scorecard(periode)
profile = benchmark.profile_scorecard(card_all, kode, cat)
source = "DATA CONTOH" if ui.has_demo() else "laporan kecamatan"
n_ranked = int(table["diperingkat"].sum())

if not profile["ada"].any():
    st.warning(f"{facts['nama']} belum memiliki data yang berlaku untuk {month}. Pilih periode lain di samping.",
               icon=":material/warning:")
    st.stop()

store = ui.store()  # the rapor is built on click, on another thread: no cached reads there
st.download_button(
    f"Unduh rapor {facts['nama']} (PDF, A4)", icon=":material/picture_as_pdf:", on_click="ignore",
    data=lambda: rapor.to_bytes(slides.gather(store, periode), [kode]), mime="application/pdf",
    file_name=rapor.filename(per.fmt(periode), kode),
    help="Satu halaman A4 untuk dicetak: peringkat dan rentangnya, gerak, kartu skor, tiga celah terbesar, "
         "tahap inovasi dan langkah berikutnya.",
)

# ---- rank, certainty, movement
kpis = st.columns(4)
if row["diperingkat"]:
    kpis[0].metric("Peringkat", f"{int(row['peringkat'])} dari {n_ranked}", border=True,
                   help="Rentang: peringkat persentil 5–95 bila bobot pilar diubah ±50 % (1.000 undian).")
    kpis[1].metric("Rentang peringkat", f"{int(row['peringkat_min'])}–{int(row['peringkat_max'])}", border=True)
    kpis[2].metric("Gerak dari bulan lalu", formatting.gerak(row["gerak"]), border=True,
                   help="Dibanding peringkat bulan sebelumnya.")
else:
    missing = profile.loc[~profile["ada"], "nama"]
    kpis[0].metric("Peringkat", "belum diperingkat", border=True)
    kpis[1].metric("Cakupan data", formatting.persen(row["cakupan"]), border=True, help="Perlu ≥ 70 %.")
    kpis[2].metric("Indikator tanpa data", str(len(missing)), border=True)
kpis[3].metric("Indeks Tiru", formatting.angka(row["skor"], 1), border=True,
               help="0–100; 100 = setara atau melampaui model Cimahi Tengah.")
if not row["diperingkat"]:
    st.warning(f"Belum diperingkat pada {month}: cakupan data {formatting.persen(row['cakupan'])} (< 70 %). "
               f"Belum ada data berlaku untuk: {', '.join(profile.loc[~profile['ada'], 'nama'])}.",
               icon=":material/warning:")

# ---- next steps
inovasi = ui.table("inovasi")
stages = adopsi.stage_matrix(ui.table("adopsi"), [kode], list(inovasi.index), periode)
steps = benchmark.next_steps(profile, stages, inovasi["indikator"])
with st.container(border=True):
    st.markdown(f"#### Langkah berikutnya · {month}")
    if steps.empty:
        st.write("Semua indikator yang berdata sudah setara atau melampaui model.")
    for i, step in enumerate(steps.itertuples(), start=1):
        suggestion = (", ".join(f"**{adopsi.short_name(c)}** (tahap sekarang: "
                                f"{adopsi.TAHAP[int(stages.set_index('inovasi').loc[c, 'tahap'])]})"
                                for c in step.inovasi)
                      if step.inovasi else "semua inovasi terkait sudah berjalan: perkuat pelaksanaannya")
        st.markdown(
            f"{i}. **{step.nama}**: {formatting.nilai(step.nilai, step.satuan)}, model "
            f"{formatting.nilai(step.model, step.satuan)} (skor {formatting.angka(step.skor, 0)}). "
            f"Mencapai model menambah Indeks Tiru sekitar "
            f"{formatting.angka(step.celah_berbobot / cat.weights.sum(), 1)} poin. Inovasi terkait: {suggestion}."
        )

# ---- scorecard
st.markdown(f"#### Kartu skor · {month}")
recent = ui.observasi(periode - 11, periode)
recent = recent[recent["kode_kecamatan"] == kode]
months = list(range(periode - 11, periode + 1))
# The sparkline can only draw reported months (a gap breaks it), so the count says what is missing.
spark = {code: [float(v) for v in recent.loc[recent["indikator"] == code].sort_values("periode")["nilai"]]
         for code in profile["indikator"]}
expected = {code: 12 // per.VALIDITY_MONTHS[f] for code, f in cat.indikator["frekuensi"].items()}
arah = {"higher": "↑ lebih tinggi lebih baik", "lower": "↓ lebih rendah lebih baik"}
st.dataframe(
    pd.DataFrame({
        "Indikator": profile["nama"],
        "Nilai": [formatting.nilai(v, u) if pd.notna(v) else "tidak ada data"
                  for v, u in zip(profile["nilai"], profile["satuan"])],
        "Model": [formatting.nilai(v, u) for v, u in zip(profile["model"], profile["satuan"])],
        "Selisih": [("melampaui model" if b else formatting.angka(g, 1)) if pd.notna(g) else "—"
                    for g, b in zip(profile["selisih"], profile["melampaui"])],
        "Skor": [formatting.angka(v, 0) for v in profile["skor"]],
        "Kategori": profile["kategori"],
        "12 bulan": [spark[c] for c in profile["indikator"]],
        "Laporan 12 bulan": [f"{len(spark[c])} dari {expected[c]}" for c in profile["indikator"]],
        "Arah": profile["arah"].map(arah),
        "Periode nilai": [formatting.bulan(int(m)) if pd.notna(m) else "—" for m in profile["periode_nilai"]],
        "Sumber": [("DATA CONTOH" if demo else src) if isinstance(src, str) else "—"
                   for src, demo in zip(profile["sumber"], profile["demo"])],
    }),
    hide_index=True,
    width="stretch",
    height=38 + 35 * len(profile),
    column_config={
        "12 bulan": st.column_config.LineChartColumn(
            help=f"Nilai yang dilaporkan {formatting.bulan(periode - 11, short=True)} – "
                 f"{formatting.bulan(periode, short=True)}; bulan tanpa laporan dilewati (lihat kolom berikutnya)."),
        "Selisih": st.column_config.TextColumn(help="Kekurangan terhadap model, dalam satuan indikator."),
        "Kategori": st.column_config.TextColumn(
            help="IKM: mutu resmi PermenPAN-RB 14/2017. Lainnya: kuartil relatif di antara 25 kecamatan "
                 "(Kuartil 1 = 25 % terbaik)."),
    },
)
st.caption("Model: " + "; ".join(sorted(set(profile["model_sumber"].dropna()))))

# ---- pillars and rank history
left, right = st.columns(2, gap="medium")
pillar_names = cat.pilar["nama"]
own = card_all[card_all["kode_kecamatan"] == kode].groupby("pilar")["skor"].mean()
median = card_all.groupby(["kode_kecamatan", "pilar"])["skor"].mean().groupby("pilar").median()
pillars = pd.DataFrame({"kecamatan": own, "median": median}).reindex(cat.pilar.index).set_axis(pillar_names)
with left, st.container(border=True):
    st.plotly_chart(charts.pillar_comparison(pillars, facts["nama"], periode, source), width="stretch",
                    config={"displayModeBar": False})
history = ui.composite_history()
first_ranked = history.loc[history["diperingkat"], "periode"].min()
own_history = history[(history["kode_kecamatan"] == kode) & history["periode"].between(first_ranked, periode)]
with right, st.container(border=True):
    st.plotly_chart(charts.rank_history(own_history, facts["nama"], len(asahan), source), width="stretch",
                    config={"displayModeBar": False})

# ---- similar kecamatan and innovations
left, right = st.columns(2, gap="medium")
with left, st.container(border=True):
    st.markdown("#### 5 kecamatan paling mirip")
    st.caption("Mirip menurut jumlah desa/kelurahan, porsi kelurahan, dan letak (lihat Metodologi).")
    similar = similarity.most_similar(kecamatan[kecamatan["wilayah"] == "Asahan"], kode)
    for r in similar.itertuples():
        other = table.loc[r.kode]
        standing = (f"peringkat {int(other['peringkat'])}, Indeks Tiru {formatting.angka(other['skor'], 1)}"
                    if other["diperingkat"] else "belum diperingkat")
        st.page_link("pages/kecamatan.py", label=f"{r.nama}: {standing}", query_params={"kecamatan": r.kode})
with right, st.container(border=True):
    st.markdown(f"#### Tahap inovasi · {month}")
    st.dataframe(
        pd.DataFrame({
            "Inovasi": [adopsi.short_name(c, inovasi.loc[c, "nama"]) for c in stages["inovasi"]],
            "Tahap": [f"{t} · {adopsi.TAHAP[t]}" for t in stages["tahap"]],
            "Sejak": [formatting.tanggal(d) for d in stages["sejak"]],
        }),
        hide_index=True,
        width="stretch",
    )
