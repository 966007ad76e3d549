"""The Metodologi page's reference tables, headers and values in the active language: the pillars,
the indicator catalogue, the IKM grades and the kecamatan's population sources."""

from __future__ import annotations

import pandas as pd

from metrics.core import bahasa, formatting
from metrics.core.bahasa import t
from metrics.engine import ikm
from metrics.engine.benchmark import Catalog


def _value(v, decimals=1):
    return formatting.angka(v, decimals) if pd.notna(v) else "—"


def pillar_table(catalog: Catalog) -> pd.DataFrame:
    """Each pillar with its share of the weight and how many indicators it has."""
    pilar, indikator = catalog.pilar, catalog.indikator
    return pd.DataFrame(
        {
            t("istilah.pilar"): bahasa.names(pilar),
            t("metode.pilar.kolom.bobot"): [formatting.persen(b / pilar["bobot"].sum(), 0) for b in pilar["bobot"]],
            t("metode.pilar.kolom.jumlah"): [int((indikator["pilar"] == code).sum()) for code in pilar.index],
        }
    )


def catalogue_table(catalog: Catalog) -> pd.DataFrame:
    """Every indicator of the catalogue, context ones included (no pillar, no weight)."""
    indikator, pilar, weights = catalog.indikator, catalog.pilar, catalog.weights
    scored = indikator["pilar"].notna()
    kolom = {
        "kode": t("istilah.kode"), "indikator": t("istilah.indikator"), "satuan": t("istilah.satuan"),
        "arah": t("istilah.arah"), "frekuensi": t("metode.katalog.kolom.frekuensi"), "pilar": t("istilah.pilar"),
        "bobot": t("metode.katalog.kolom.bobot"), "lantai": t("istilah.lantai"), "model": t("istilah.model"),
        "model_sumber": t("metode.katalog.kolom.model_sumber"), "definisi": t("metode.katalog.kolom.definisi"),
        "sumber": t("metode.katalog.kolom.sumber")}
    return pd.DataFrame(
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
    )


def mutu_table() -> pd.DataFrame:
    """The regulation's IKM grade table: each grade runs from its lowest IKM to just below the next grade's."""
    upper = [100.0] + [lowest - 0.01 for lowest, _, _ in ikm.MUTU[:-1]]
    return pd.DataFrame(
        {
            t("metode.ikm.kolom.mutu"): [letter for _, letter, _ in ikm.MUTU],
            t("metode.ikm.kolom.kinerja"): [t(f"istilah.mutu.{letter.lower()}") for _, letter, _ in ikm.MUTU],
            t("metode.ikm.kolom.rentang"): [f"{formatting.angka(lowest, 2)}–{formatting.angka(top, 2)}"
                                            for (lowest, _, _), top in zip(ikm.MUTU, upper)],
        }
    )


def population_table(kecamatan: pd.DataFrame) -> pd.DataFrame:
    """Every kecamatan's population, its year and where it comes from."""
    return pd.DataFrame(
        {
            t("istilah.kode"): kecamatan["kode"],
            t("istilah.kecamatan"): kecamatan["nama"],
            t("metode.data.kolom.penduduk"): [formatting.angka(v, 0) for v in kecamatan["penduduk"]],
            t("istilah.tahun"): [formatting.peringkat(v) for v in kecamatan["tahun_penduduk"]],
            t("istilah.sumber"): kecamatan["sumber"],
        }
    )
