"""The pages' tables as shown: column headers, display texts and colour classes (moved here from
engine/benchmark.py, which keeps the exact numbers). Every Indeks is tampil.indeks_teks, every
movement tampil.gerak_teks, so a table says what the brief, the pack and Excel say.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.engine import adopsi, ikm
from metrics.engine.benchmark import COMPOSITE, PILLAR_PREFIX, Catalog
from metrics.presentation import tampil

OUTLIER_MARK = "⚑"  # a value the operator confirmed although it lay outside the kecamatan's usual band
OUTLIER_MARK_PRINT = "†"  # the same in the PDF rapor (its embedded font has no ⚑)


def value_text(indikator: str, nilai, satuan: str, dikonfirmasi: bool = False, mark: str = OUTLIER_MARK) -> str:
    """A scorecard value as shown: an IKM with the decimals its grade needs (ikm.teks), others with
    their unit; a confirmed outlier with `mark`."""
    text = ikm.teks(nilai) if indikator == "ikm" else formatting.nilai(nilai, satuan)
    return f"{text} {mark}" if dikonfirmasi is True and not pd.isna(nilai) else text




# ---- the pages' tables as shown: headers and values in the active language

def profile_columns() -> dict[str, str]:
    """Headers of the Profil kecamatan's scorecard table (the page configures columns by them)."""
    return {
        "indikator": t("istilah.indikator"), "nilai": t("istilah.nilai"), "model": t("istilah.model"),
        "selisih": t("profil.kartu.selisih"), "skor": t("istilah.skor"), "kategori": t("istilah.kategori"),
        "tren": t("profil.kartu.tren"), "laporan": t("profil.kartu.laporan"), "arah": t("istilah.arah"),
        "periode_nilai": t("istilah.periode_nilai"), "sumber": t("istilah.sumber")}


def zero_note(row: pd.Series) -> str:
    """'N indikator tanpa data dihitung 0 (tanpa data = 0); atas yang dilaporkan saja: X (alat bantu,
    tidak diperingkat)' for a league-table row with missing indicators, else ''."""
    missing = row.get("belum_ada")
    if missing is None or not len(missing) or pd.isna(row.get("skor_dilaporkan")):
        return ""
    return t("tolok.tanpa_data_nol", n=len(missing), skor=tampil.indeks_teks(row["skor"]),
             dilaporkan=formatting.angka(row["skor_dilaporkan"], 1))


def profile_table(profile: pd.DataFrame, recent: pd.DataFrame, frekuensi: pd.Series,
                  demo_source: str) -> pd.DataFrame:
    """profile_scorecard() as the camat reads it, with each indicator's reports as a sparkline.

    `recent` is the kecamatan's observasi of the last 12 months; `frekuensi` the catalogue's
    frequency per indicator (how many reports a year to expect); `demo_source` names the demo
    data as the source of demo values.
    """
    # The sparkline can only draw reported months (a gap breaks it), so the count says what is missing.
    spark = {code: [float(v) for v in recent.loc[recent["indikator"] == code].sort_values("periode")["nilai"]]
             for code in profile["indikator"]}
    expected = {code: 12 // per.VALIDITY_MONTHS[f] for code, f in frekuensi.items()}
    arah = {"higher": t("profil.kartu.arah_tinggi"), "lower": t("profil.kartu.arah_rendah")}
    column = profile_columns()
    return pd.DataFrame({
        column["indikator"]: profile["nama"],
        column["nilai"]: [value_text(c, v, u, d) if pd.notna(v) else t("istilah.tidak_ada_data")
                          for c, v, u, d in zip(profile["indikator"], profile["nilai"], profile["satuan"],
                                                profile.get("dikonfirmasi", [False] * len(profile)), strict=True)],
        column["model"]: [formatting.nilai(v, u) for v, u in zip(profile["model"], profile["satuan"], strict=True)],
        column["selisih"]: [(t("profil.kartu.melampaui") if b else formatting.angka(g, 1)) if pd.notna(g) else "—"
                            for g, b in zip(profile["selisih"], profile["melampaui"], strict=True)],
        column["skor"]: [formatting.angka(v, 0) if has else t("tolok.skor_nol") for v, has in
                         zip(profile["skor"], profile["ada"], strict=True)],
        column["kategori"]: profile["kategori"],
        column["tren"]: [spark[c] for c in profile["indikator"]],
        column["laporan"]: [t("profil.kartu.laporan_nilai", ada=len(spark[c]), harapan=expected[c])
                            for c in profile["indikator"]],
        column["arah"]: profile["arah"].map(arah),
        column["periode_nilai"]: [formatting.bulan(int(m), short=True) if pd.notna(m) else "—"
                                  for m in profile["periode_nilai"]],
        column["sumber"]: [(demo_source if demo else src) if isinstance(src, str) else "—"
                           for src, demo in zip(profile["sumber"], profile["demo"], strict=True)],
    })


def stage_table(stages: pd.DataFrame, inovasi_names: pd.Series) -> pd.DataFrame:
    """One kecamatan's stage per innovation (adopsi.stage_matrix) as the profile lists it."""
    return pd.DataFrame({
        t("istilah.inovasi"): [adopsi.short_name(c, inovasi_names[c]) for c in stages["inovasi"]],
        t("istilah.tahap"): [f"{s} · {adopsi.nama_tahap(s)}" for s in stages["tahap"]],
        t("profil.tahap.sejak"): [formatting.tanggal(d) for d in stages["sejak"]],
    })


MUTU_QUARTILE = {"A": 1, "B": 2, "C": 3, "D": 4}  # IKM mutu A colours as the best quartile


def league_columns() -> dict[str, str]:
    """Headers of the Peringkat page's tables (the page configures columns by them)."""
    return {
        "peringkat": t("istilah.peringkat"), "kecamatan": t("istilah.kecamatan"), "indeks": t("istilah.indeks_tiru"),
        "rentang": t("istilah.rentang_peringkat"), "gerak": t("istilah.gerak"), "cakupan": t("istilah.cakupan"),
        "skor_pilar": t("peringkat.kolom.skor_pilar"), "skor_indikator": t("peringkat.kolom.skor_indikator"),
        "nilai": t("istilah.nilai"), "kategori": t("istilah.kategori"), "profil": t("peringkat.kolom.profil"),
        "tanpa_data": t("peringkat.kolom.tanpa_data")}


def _measure_column(measure: str, column: dict[str, str]) -> str:
    return column["skor_pilar"] if measure.startswith(PILLAR_PREFIX) else column["skor_indikator"]


def league_frame(shown: pd.DataFrame, measure: str, cat: Catalog) -> pd.DataFrame:
    """measure_table() rows as the Peringkat page lists them: rank, name, Indeks Tiru, rank range,
    movement and coverage, then the chosen measure's score (and an indicator's value and category)."""
    column = league_columns()
    frame = pd.DataFrame({
        column["peringkat"]: [formatting.peringkat(v) if d else t("peringkat.kolom.belum")
                              for v, d in zip(shown["peringkat"], shown["diperingkat"], strict=True)],
        column["kecamatan"]: shown["kecamatan"],
        column["indeks"]: [tampil.indeks_teks(v) for v in shown["skor"]],
        column["rentang"]: [f"{a:.0f}–{b:.0f}" if pd.notna(a) else "—"
                            for a, b in zip(shown["peringkat_min"], shown["peringkat_max"], strict=True)],
        column["gerak"]: [tampil.gerak_teks(c, g, s) if d else "—"
                          for c, g, s, d in zip(shown["perubahan"], shown["gerak"], shown["status_gerak"],
                                                shown["diperingkat"], strict=True)],
        column["cakupan"]: [formatting.persen(v) for v in shown["cakupan"]],
    })
    if measure != COMPOSITE:
        frame[_measure_column(measure, column)] = [formatting.angka(v, 1) for v in shown["ukuran_skor"]]
    if "ukuran_nilai" in shown:
        unit = cat.indikator.loc[measure, "satuan"]
        frame[column["nilai"]] = [value_text(measure, v, unit) for v in shown["ukuran_nilai"]]
        frame[column["kategori"]] = shown["ukuran_kategori"].to_numpy()
    return frame


def league_download(frame: pd.DataFrame, shown: pd.DataFrame) -> pd.DataFrame:
    """league_frame() for Excel: the movement in two columns, the change of the shown Indeks as a
    signed number ('+0,4', a number in the workbook) and the rank movement or 'masuk/keluar peringkat'
    beside it, instead of one text '+0,4 · ▲ 1'."""
    column = league_columns()
    out = frame.copy()
    at = list(out.columns).index(column["gerak"])
    both = shown["status_gerak"].isin(["naik", "turun", "tetap"]).to_numpy()
    change = [tampil.bertanda(c) if b else formatting.MISSING for c, b in zip(shown["perubahan"], both, strict=True)]
    rank = [formatting.gerak(g) if b else tampil.gerak_teks(None, None, s)
            for g, s, b in zip(shown["gerak"], shown["status_gerak"], both, strict=True)]
    out = out.drop(columns=column["gerak"])
    out.insert(at, t("tampil.kolom.gerak_peringkat"), rank)
    out.insert(at, t("tampil.kolom.perubahan_indeks"), change)
    return out


def coloured_column(frame: pd.DataFrame, measure: str) -> str:
    """The league_frame() column that carries the colours: the category where shown, else the measure."""
    column = league_columns()
    return column["kategori"] if column["kategori"] in frame else (
        column["indeks"] if measure == COMPOSITE else _measure_column(measure, column))


def colour_classes(shown: pd.DataFrame, measure: str) -> list:
    """Per measure_table() row, 1–4 for the colour of the measure column: IKM mutu, else the quartile
    of the shown scores (NaN where there is none)."""
    scores = shown["ukuran_skor"]
    shown = shown.assign(_kuartil=np.ceil(scores.rank(ascending=False, method="min", pct=True) * 4).clip(1, 4))

    def colour_class(row) -> int | None:
        if measure == "ikm":
            found = ikm.mutu(row.get("ukuran_nilai"))
            if found:
                return MUTU_QUARTILE[found[0]]
        return row["_kuartil"]

    return [colour_class(r) for _, r in shown.iterrows()]


def unranked_frame(unranked: pd.DataFrame, cat: Catalog) -> pd.DataFrame:
    """The kecamatan below the coverage threshold, with the indicators they lack."""
    column = league_columns()
    indicator_names = bahasa.names(cat.indikator, "nama")
    return pd.DataFrame(
        {
            column["kecamatan"]: unranked["kecamatan"],
            column["cakupan"]: [formatting.persen(v) for v in unranked["cakupan"]],
            column["tanpa_data"]: ["; ".join(indicator_names[c] for c in missing)
                                   for missing in unranked["belum_ada"]],
            column["gerak"]: [tampil.gerak_teks(None, None, s) for s in unranked["status_gerak"]],
        }
    )
