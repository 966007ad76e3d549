"""Metodologi: how every number is computed, the catalogue, and which data is real.

Its reference tables are built in metrics/engine/metodologi.py.
"""

from pathlib import Path

import streamlit as st

from metrics.app import bagikan, tampilan, ui
from metrics.core import formatting
from metrics.core.bahasa import t
from metrics.data import wilayah
from metrics.engine import adopsi, dampak, ikm, kewajaran, metodologi, scoring, similarity, tren

catalog = ui.catalog()
METODE = Path(__file__).resolve().parent.parent / "docs" / "metodologi.md"  # the method written out, in the repository


def _latex(template: str, **words: str) -> str:
    """A formula with its words (@name) in the active language; LaTeX braces stay untouched."""
    for name, word in words.items():
        template = template.replace(f"@{name}", word)
    return template


st.title(t("umum.nav.metodologi"))
st.caption(t("metode.keterangan"))
st.download_button(t("metode.dokumen", berkas="docs/metodologi.md"), METODE.read_bytes(), file_name=METODE.name,
                   mime="text/markdown", on_click="ignore")

st.header(t("metode.berlaku.judul"))
st.markdown(t("metode.berlaku.teks"))

st.header(t("metode.skor.judul"))
st.markdown(t("metode.skor.teks"))
words = {"lebih_tinggi": t("istilah.arah_baik.higher"), "lebih_rendah": t("istilah.arah_baik.lower"),
         "lantai": t("metode.rumus.lantai"), "model": t("metode.rumus.model"), "pilar": t("metode.rumus.pilar"),
         "indeks": t("istilah.indeks_tiru"), "cakupan": t("metode.rumus.cakupan")}
st.latex(_latex(r"\text{@lebih_tinggi: } s = 100 \cdot \operatorname{clamp}\!\left(\frac{x - \text{@lantai}}"
                r"{\text{@model} - \text{@lantai}},\,0,\,1\right)", **words))
st.latex(_latex(r"\text{@lebih_rendah: } s = 100 \cdot \operatorname{clamp}\!\left(\frac{\text{@lantai} - x}"
                r"{\text{@lantai} - \text{@model}},\,0,\,1\right)", **words))
st.markdown(t("metode.skor.seratus"))

st.header(t("metode.indeks.judul"))
st.latex(_latex(r"w_i = \frac{W_{\text{@pilar}(i)}}{n_{\text{@pilar}(i)}} \qquad \text{@indeks} = "
                r"\frac{\sum_{i \in A} w_i s_i}{\sum_i w_i} \qquad \text{@cakupan} = "
                r"\frac{\sum_{i \in A} w_i}{\sum_i w_i}", **words))
st.markdown(t("metode.indeks.teks", ambang=formatting.angka(scoring.COVERAGE_THRESHOLD, 2)))
st.markdown(
    t(
        "metode.indeks.kepastian",
        undian=formatting.angka(scoring.CERTAINTY_DRAWS, 0),
        bawah=formatting.angka(1 - scoring.CERTAINTY_SPREAD, 1),
        atas=formatting.angka(1 + scoring.CERTAINTY_SPREAD, 1),
        benih=scoring.CERTAINTY_SEED,
    )
)

if (periode := ui.selected_period()) and (
        example := tampilan.worked_example(periode)):
    st.markdown(f"**{t('metode.contoh.judul', kecamatan=example.nama, bulan=formatting.bulan(example.periode))}**")
    st.dataframe(metodologi.worked_example_table(example), hide_index=True)
    st.markdown(t("metode.contoh.teks", skor=formatting.angka(example.skor, 1), n=len(example.frame),
                  hilang=len(example.missing), dilaporkan=formatting.angka(example.skor_dilaporkan, 1)))

st.header(t("metode.pilar.judul"))
bagikan.table(metodologi.pillar_table(catalog), "metode-pilar", t("metode.pilar.judul"), hide_index=True)

st.header(t("metode.katalog.judul"))
bagikan.table(metodologi.catalogue_table(catalog), "metode-katalog", t("metode.katalog.judul"), hide_index=True,
              width="stretch")
st.caption(t("metode.katalog.catatan"))

st.header(t("metode.ikm.judul"))
st.markdown(t("metode.ikm.teks", dibulatkan=formatting.angka(0.111, 3), minimum=ikm.MIN_RESPONDENTS))
bagikan.table(metodologi.mutu_table(), "metode-mutu-ikm", t("metode.ikm.judul"), hide_index=True)
st.markdown(t("metode.ikm.pekppp"))

st.header(t("metode.mirip.judul"))
st.markdown(t("metode.mirip.teks", fitur=", ".join(f"`{feature}`" for feature in similarity.FEATURES)))
if tampilan.similarity_without_location():
    st.markdown(t("metode.mirip.tanpa_letak"))

st.header(t("metode.adopsi.judul"))
st.markdown(
    t(
        "metode.adopsi.teks",
        tahapan=" · ".join(f"{n} {adopsi.nama_tahap(n)}" for n in sorted(adopsi.TAHAP)),
        berjalan=adopsi.nama_tahap(adopsi.BERJALAN),
        jendela=dampak.WINDOW,
        minimum=dampak.MIN_GROUP,
        kesimpulan=dampak.MIN_KESIMPULAN,
        tarikan=formatting.angka(dampak.DRAWS, 0),
    )
)

st.header(t("metode.tren.judul"))
st.markdown(t("metode.tren.teks", jendela=tren.WINDOW_MONTHS, minimum=tren.MIN_POINTS,
              tahun=tren.HORIZON_MONTHS // 12))
st.markdown(t("metode.tren.kewajaran", jendela=kewajaran.JENDELA, minimum=kewajaran.MIN_RIWAYAT,
              k=formatting.angka(kewajaran.K, 0), relatif=formatting.angka(kewajaran.RELATIF * 100, 0),
              mutlak=formatting.angka(kewajaran.MUTLAK * 100, 0)) + " " + tampilan.demo_outlier_text())

st.header(t("metode.data.judul"))
kecamatan = ui.table("kecamatan")
st.markdown(metodologi.data_table(kecamatan, ui.table("ombudsman"), metodologi.wilayah_roles(wilayah.aktif()),
                                  ui.demo_origin()))
with st.expander(t("metode.data.sumber_judul")):
    bagikan.table(metodologi.population_table(kecamatan), "metode-penduduk", t("metode.data.sumber_judul"),
                  hide_index=True, width="stretch")
