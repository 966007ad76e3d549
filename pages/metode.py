"""Metodologi: how every number is computed, the catalogue, and which data is real."""

import pandas as pd
import streamlit as st

from metrics import adopsi, formatting, ikm, scoring, similarity, tren, ui

catalog = ui.catalog()
indikator = catalog.indikator
pilar = catalog.pilar
weights = catalog.weights

st.title("Metodologi")
st.caption("Cara Tiru menghitung setiap angka, sehingga siapa pun dapat menghitung ulang dari ekspor data.")

st.subheader("1. Nilai yang berlaku (as-of)")
st.markdown(
    "Untuk bulan P dipakai observasi terakhir dengan periode ≤ P yang masih berlaku: "
    "**bulanan** hanya bulan itu sendiri, **semesteran** 6 bulan (bulan laporan dan 5 bulan sesudahnya), "
    "**tahunan** 12 bulan. Nilai yang lebih tua tidak dibawa maju: yang tidak ada ditampilkan sebagai tidak ada, "
    "tidak pernah sebagai nol."
)

st.subheader("2. Skor indikator — jarak ke batas depan (metode Bank Dunia)")
st.markdown("Model menjadi batas depan; setiap indikator punya lantai yang terdokumentasi.")
st.latex(r"\text{lebih tinggi lebih baik: } s = 100 \cdot \operatorname{clamp}\!\left(\frac{x - \text{lantai}}{\text{model} - \text{lantai}},\,0,\,1\right)")
st.latex(r"\text{lebih rendah lebih baik: } s = 100 \cdot \operatorname{clamp}\!\left(\frac{\text{lantai} - x}{\text{lantai} - \text{model}},\,0,\,1\right)")
st.markdown("Skor 100 berarti setara atau **melampaui model** (ditandai bila melampaui).")

st.subheader("3. Indeks Tiru, cakupan, dan peringkat")
st.latex(r"w_i = \frac{W_{\text{pilar}(i)}}{n_{\text{pilar}(i)}} \qquad \text{Indeks Tiru} = \frac{\sum_{i \in A} w_i s_i}{\sum_{i \in A} w_i} \qquad \text{cakupan} = \frac{\sum_{i \in A} w_i}{\sum_i w_i}")
st.markdown(
    f"A = indikator yang memiliki nilai berlaku. Kecamatan **diperingkat bila cakupan ≥ "
    f"{formatting.angka(scoring.COVERAGE_THRESHOLD, 2)}**; selain itu tercantum sebagai *belum diperingkat* "
    "beserta indikator yang belum ada. Peringkat disusun menurun menurut Indeks Tiru yang dibulatkan dua "
    "desimal (seperti yang ditampilkan); nilai sama berbagi peringkat terbaik (1, 2, 2, 4). "
    "Gerak = peringkat bulan lalu − peringkat bulan ini."
)
st.markdown(
    f"**Kepastian peringkat.** Bobot pilar diundi ulang {formatting.angka(scoring.CERTAINTY_DRAWS, 0)} kali "
    f"(setiap bobot dikali faktor acak seragam 0,5–1,5; benih tetap {scoring.CERTAINTY_SEED}), kecamatan yang "
    "sama diperingkat ulang, dan rentang persentil 5–95 peringkatnya ditampilkan di samping peringkat."
)

st.subheader("4. Pilar dan bobot")
st.dataframe(
    pd.DataFrame(
        {
            "Pilar": pilar["nama"],
            "Bobot pilar": [formatting.persen(b / pilar["bobot"].sum(), 0) for b in pilar["bobot"]],
            "Jumlah indikator": [int((indikator["pilar"] == code).sum()) for code in pilar.index],
        }
    ),
    hide_index=True,
)

st.subheader("5. Katalog indikator")
scored = indikator["pilar"].notna()
arah = {"higher": "lebih tinggi lebih baik", "lower": "lebih rendah lebih baik"}


def _value(v, decimals=1):
    return formatting.angka(v, decimals) if pd.notna(v) else "—"


st.dataframe(
    pd.DataFrame(
        {
            "Kode": indikator.index,
            "Indikator": indikator["nama"],
            "Satuan": indikator["satuan"],
            "Arah": indikator["arah"].map(arah),
            "Frekuensi": indikator["frekuensi"],
            "Pilar": indikator["pilar"].map(pilar["nama"]).fillna("konteks, tidak dinilai"),
            "Bobot indikator": [formatting.persen(weights.get(c, float("nan")) / weights.sum(), 1) if s else "—"
                                for c, s in zip(indikator.index, scored)],
            "Lantai": [_value(v) for v in indikator["lantai"]],
            "Model": [_value(v) for v in indikator["model"]],
            "Sumber nilai model": indikator["model_sumber"].fillna("—"),
            "Definisi": indikator["definisi"],
            "Sumber data": indikator["sumber"],
        }
    ),
    hide_index=True,
    width="stretch",
)
st.caption(
    "Nilai model bawaan adalah **nilai contoh** yang belum berasal dari angka resmi Kecamatan Cimahi Tengah: "
    "angka materi studi tiru tidak dipublikasikan. Bagian Organisasi menggantinya dengan angka materi studi tiru, "
    "rata-rata Cimahi, atau capaian terbaik Asahan sendiri; skor selalu memakai tabel model yang berlaku."
)

st.subheader("6. Indeks Kepuasan Masyarakat (PermenPAN-RB 14/2017)")
st.markdown(
    "Setiap responden menilai 9 unsur dengan skala 1–4. NRR per unsur = rata-rata nilai unsur itu; indeks = "
    "rata-rata 9 NRR dengan bobot **tepat 1/9** (bukan 0,111 yang dibulatkan, yang dapat menggeser hasil "
    "hingga sekitar 1 poin); IKM = indeks × 25 (25–100). Mutu ditentukan dari IKM yang dibulatkan dua desimal. "
    f"Hasil dengan kurang dari {ikm.MIN_RESPONDENTS} responden ditandai sampel kecil."
)
st.dataframe(
    pd.DataFrame(
        {
            "Mutu": ["A", "B", "C", "D"],
            "Kinerja": ["Sangat Baik", "Baik", "Kurang Baik", "Tidak Baik"],
            "Rentang IKM": ["88,31–100,00", "76,61–88,30", "65,00–76,60", "25,00–64,99"],
        }
    ),
    hide_index=True,
)
st.markdown(
    "Indeks Pelayanan Publik (PEKPPP, PermenPAN-RB 29/2022) ditampilkan sebagai angka 0–5 tanpa kategori huruf, "
    "karena tabel kategorinya belum terverifikasi."
)

st.subheader("7. Kecamatan yang mirip")
st.markdown(
    "Lima kecamatan paling mirip dihitung dari fakta yang tersedia untuk **semua** kecamatan: jumlah desa dan "
    "kelurahan, porsi kelurahan (sifat perkotaan), dan letak titik tengah perkiraan (lintang, bujur). Setiap "
    "fakta dibakukan (skor z) lalu dihitung jarak Euklides; letak dihitung sebagai satu kelompok. Penduduk dan "
    "luas tidak dipakai karena tahunnya berbeda-beda dan tidak tersedia untuk semua kecamatan. "
    f"Fitur: {', '.join(similarity.FEATURES)}."
)

st.subheader("8. Adopsi inovasi: tahap, keterlambatan, dampak")
st.markdown(
    f"""
**Tahap** sebuah inovasi di sebuah kecamatan pada hari D adalah tahap peristiwa terakhir yang bertanggal paling
lambat D; beberapa peristiwa pada tanggal yang sama diurutkan menurut urutan pencatatan (yang dicatat terakhir
berlaku). Tahap pada suatu bulan = tahap pada hari terakhir bulan itu. Tahap: 0 Belum · 1 Direncanakan ·
2 Uji coba · 3 Berjalan · 4 Terlembaga.

**Terlambat**: pada akhir bulan yang dilihat, tanggal target sudah lewat dan tahapnya masih di bawah tahap
target. Pada hari tanggal target itu sendiri belum terlambat. Target yang menyebut satu kecamatan menggantikan
target untuk semua kecamatan bagi inovasi itu.

**Dampak (selisih dari selisih)**: untuk kecamatan yang pertama kali mencapai Berjalan pada bulan m,
perubahan rata-rata indikator terkait dari bulan m−{adopsi.WINDOW}…m−1 ke m+1…m+{adopsi.WINDOW}, dikurangi
perubahan rata-rata pada bulan yang sama di kecamatan yang belum Berjalan sampai m+{adopsi.WINDOW}. Perkiraan
hanya ditampilkan bila ada sedikitnya {adopsi.MIN_GROUP} kecamatan di tiap sisi. Ini **asosiasi, bukan bukti
sebab-akibat**: kecamatan yang lebih dulu mengadopsi bisa berbeda dengan yang belum.
"""
)

st.subheader("9. Proyeksi tren")
st.markdown(
    f"Garis lurus kuadrat terkecil melalui nilai {tren.WINDOW_MONTHS} bulan terakhir (minimal {tren.MIN_POINTS} "
    "nilai). Bila garis bergerak ke arah model, bulan ketika garis mencapai nilai model disebutkan; bila datar, "
    "menjauh, atau lebih dari "
    f"{tren.HORIZON_MONTHS // 12} tahun lagi, tertulis *tidak tercapai dengan laju saat ini*."
)

st.subheader("10. Data nyata dan data contoh")
kecamatan = ui.table("kecamatan")
asahan = kecamatan[kecamatan["wilayah"] == "Asahan"]
st.markdown(
    f"""
| data | status | sumber |
|---|---|---|
| Kode, nama, jumlah desa/kelurahan {len(kecamatan)} kecamatan | **nyata** | Kepmendagri No. 300.2.2-2138 Tahun 2025 via github.com/cahyadsn/wilayah (MIT) |
| Titik tengah perkiraan kecamatan | **nyata, perkiraan** (centroid poligon yang disederhanakan, ±1 km) | github.com/cahyadsn/wilayah_boundaries (MIT) |
| Penduduk | **nyata, tahun berbeda** (2010, 2021, 2022); {int(asahan['penduduk'].isna().sum())} kecamatan Asahan tidak diketahui | sumber per baris di tabel kecamatan |
| Kepatuhan Ombudsman RI Asahan dan Cimahi | **nyata**, tingkat kabupaten/kota | berita yang dikutip per baris |
| Indikator layanan per kecamatan per bulan, adopsi inovasi, target | **DATA CONTOH** (dibangkitkan, benih tetap) | `metrics/demo.py` |
| Nilai model | **nilai contoh** | lihat katalog di atas |
"""
)
with st.expander("Sumber fakta per kecamatan"):
    st.dataframe(
        pd.DataFrame(
            {
                "Kode": kecamatan["kode"],
                "Kecamatan": kecamatan["nama"],
                "Penduduk": [formatting.angka(v, 0) for v in kecamatan["penduduk"]],
                "Tahun": [formatting.peringkat(v) for v in kecamatan["tahun_penduduk"]],
                "Sumber": kecamatan["sumber"],
            }
        ),
        hide_index=True,
        width="stretch",
    )
