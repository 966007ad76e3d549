"""Metodologi: how every number is computed, the catalogue, and which data is real."""

import pandas as pd
import streamlit as st

from metrics.app import ui
from metrics.core import bahasa, formatting
from metrics.core.bahasa import t
from metrics.engine import adopsi, dampak, ikm, scoring, similarity, tren

catalog = ui.catalog()
indikator = catalog.indikator
pilar = catalog.pilar
weights = catalog.weights


def _latex(template: str, **words: str) -> str:
    """A formula with its words (@name) in the active language; LaTeX braces stay untouched."""
    for name, word in words.items():
        template = template.replace(f"@{name}", word)
    return template


def _value(v, decimals=1):
    return formatting.angka(v, decimals) if pd.notna(v) else "—"


st.title(t("umum.nav.metodologi"))
st.caption(t("metode.keterangan"))

st.subheader(t("metode.berlaku.judul"))
st.markdown(t("metode.berlaku.teks"))

st.subheader(t("metode.skor.judul"))
st.markdown(t("metode.skor.teks"))
words = {"lebih_tinggi": t("istilah.arah_baik.higher"), "lebih_rendah": t("istilah.arah_baik.lower"),
         "lantai": t("metode.rumus.lantai"), "model": t("metode.rumus.model"), "pilar": t("metode.rumus.pilar"),
         "indeks": t("istilah.indeks_tiru"), "cakupan": t("metode.rumus.cakupan")}
st.latex(_latex(r"\text{@lebih_tinggi: } s = 100 \cdot \operatorname{clamp}\!\left(\frac{x - \text{@lantai}}"
                r"{\text{@model} - \text{@lantai}},\,0,\,1\right)", **words))
st.latex(_latex(r"\text{@lebih_rendah: } s = 100 \cdot \operatorname{clamp}\!\left(\frac{\text{@lantai} - x}"
                r"{\text{@lantai} - \text{@model}},\,0,\,1\right)", **words))
st.markdown(t("metode.skor.seratus"))

st.subheader(t("metode.indeks.judul"))
st.latex(_latex(r"w_i = \frac{W_{\text{@pilar}(i)}}{n_{\text{@pilar}(i)}} \qquad \text{@indeks} = "
                r"\frac{\sum_{i \in A} w_i s_i}{\sum_{i \in A} w_i} \qquad \text{@cakupan} = "
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

st.subheader(t("metode.pilar.judul"))
st.dataframe(
    pd.DataFrame(
        {
            t("istilah.pilar"): bahasa.names(pilar),
            t("metode.pilar.kolom.bobot"): [formatting.persen(b / pilar["bobot"].sum(), 0) for b in pilar["bobot"]],
            t("metode.pilar.kolom.jumlah"): [int((indikator["pilar"] == code).sum()) for code in pilar.index],
        }
    ),
    hide_index=True,
)

st.subheader(t("metode.katalog.judul"))
scored = indikator["pilar"].notna()
kolom = {
    "kode": t("istilah.kode"), "indikator": t("istilah.indikator"), "satuan": t("istilah.satuan"),
    "arah": t("istilah.arah"), "frekuensi": t("metode.katalog.kolom.frekuensi"), "pilar": t("istilah.pilar"),
    "bobot": t("metode.katalog.kolom.bobot"), "lantai": t("istilah.lantai"), "model": t("istilah.model"),
    "model_sumber": t("metode.katalog.kolom.model_sumber"), "definisi": t("metode.katalog.kolom.definisi"),
    "sumber": t("metode.katalog.kolom.sumber")}
st.dataframe(
    pd.DataFrame(
        {
            kolom["kode"]: indikator.index,
            kolom["indikator"]: bahasa.names(indikator),
            kolom["satuan"]: indikator["satuan"].map(formatting.satuan),
            kolom["arah"]: indikator["arah"].map(lambda a: t(f"istilah.arah_baik.{a}")),
            kolom["frekuensi"]: indikator["frekuensi"].map(lambda f: t(f"istilah.frekuensi.{f}")),
            kolom["pilar"]: indikator["pilar"].map(bahasa.names(pilar)).fillna(t("metode.katalog.konteks")),
            kolom["bobot"]: [formatting.persen(weights.get(c, float("nan")) / weights.sum(), 1) if s else "—"
                             for c, s in zip(indikator.index, scored)],
            kolom["lantai"]: [_value(v) for v in indikator["lantai"]],
            kolom["model"]: [_value(v) for v in indikator["model"]],
            kolom["model_sumber"]: indikator["model_sumber"].fillna("—"),
            kolom["definisi"]: bahasa.names(indikator, "definisi"),
            kolom["sumber"]: indikator["sumber"],
        }
    ),
    hide_index=True,
    width="stretch",
)
st.caption(t("metode.katalog.catatan"))

st.subheader(t("metode.ikm.judul"))
st.markdown(t("metode.ikm.teks", dibulatkan=formatting.angka(0.111, 3), minimum=ikm.MIN_RESPONDENTS))
# The regulation's grade table: each grade runs from its lowest IKM to just below the next grade's.
upper = [100.0] + [lowest - 0.01 for lowest, _, _ in ikm.MUTU[:-1]]
st.dataframe(
    pd.DataFrame(
        {
            t("metode.ikm.kolom.mutu"): [letter for _, letter, _ in ikm.MUTU],
            t("metode.ikm.kolom.kinerja"): [t(f"istilah.mutu.{letter.lower()}") for _, letter, _ in ikm.MUTU],
            t("metode.ikm.kolom.rentang"): [f"{formatting.angka(lowest, 2)}–{formatting.angka(top, 2)}"
                                            for (lowest, _, _), top in zip(ikm.MUTU, upper)],
        }
    ),
    hide_index=True,
)
st.markdown(t("metode.ikm.pekppp"))

st.subheader(t("metode.mirip.judul"))
st.markdown(t("metode.mirip.teks", fitur=", ".join(f"`{feature}`" for feature in similarity.FEATURES)))

st.subheader(t("metode.adopsi.judul"))
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

st.subheader(t("metode.tren.judul"))
st.markdown(t("metode.tren.teks", jendela=tren.WINDOW_MONTHS, minimum=tren.MIN_POINTS,
              tahun=tren.HORIZON_MONTHS // 12))

st.subheader(t("metode.data.judul"))
kecamatan = ui.table("kecamatan")
asahan = kecamatan[kecamatan["wilayah"] == "Asahan"]
st.markdown(t("metode.data.tabel", jumlah=len(kecamatan), tidak_diketahui=int(asahan["penduduk"].isna().sum())))
with st.expander(t("metode.data.sumber_judul")):
    st.dataframe(
        pd.DataFrame(
            {
                t("istilah.kode"): kecamatan["kode"],
                t("istilah.kecamatan"): kecamatan["nama"],
                t("metode.data.kolom.penduduk"): [formatting.angka(v, 0) for v in kecamatan["penduduk"]],
                t("istilah.tahun"): [formatting.peringkat(v) for v in kecamatan["tahun_penduduk"]],
                t("istilah.sumber"): kecamatan["sumber"],
            }
        ),
        hide_index=True,
        width="stretch",
    )
