"""The Metodologi page's reference tables, headers and values in the active language: the pillars,
the indicator catalogue, the IKM grades, what is real and what is known for the configured region
(data_table), the kecamatan's population sources, and a worked example of the Indeks Tiru from the
engine's own numbers."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.core import bahasa, formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.data import wilayah
from metrics.engine import benchmark, ikm
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
                             for c, s in zip(indikator.index, scored, strict=True)],
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
                                            for (lowest, _, _), top in zip(ikm.MUTU, upper, strict=True)],
        }
    )


def wilayah_roles(config: wilayah.Konfigurasi) -> list[tuple[str, str]]:
    """(role, kabupaten code) of the regions in the database: the benchmarked kabupaten (Asahan, 12.09),
    then the model's (Cimahi, 32.77) unless the model lies inside."""
    roles = [(config.nama, config.kode)]
    if not config.internal:
        roles.append((config.model_wilayah, config.model_kode_kabupaten))
    return roles


def _years(values: pd.Series) -> str:
    return ", ".join(str(int(year)) for year in sorted(set(values.dropna())))


def _per_kecamatan(kecamatan: pd.DataFrame, roles, known, status) -> tuple[str, bool]:
    """Per region: `status(rows known)`, how many are unknown, or unknown for all; whether any is known."""
    parts, any_known = {}, False
    for role, _ in roles:
        rows = kecamatan[kecamatan["wilayah"] == role]
        if rows.empty:
            continue
        mask = known(rows)
        if not mask.any():
            text = t("metode.data.status.tidak_diketahui", n=len(rows))
        else:
            any_known = True
            text = status(rows[mask])
            if not mask.all():
                text += "; " + t("metode.data.status.sebagian", m=int((~mask).sum()), n=len(rows))
        parts[role] = text
    if len(set(parts.values())) == 1 and any_known:  # the same for every region: said once
        return next(iter(parts.values())), any_known
    return " · ".join(t("metode.data.status.wilayah", wilayah=role, status=text) for role, text in parts.items()), any_known


def data_table(kecamatan: pd.DataFrame, ombudsman: pd.DataFrame, roles: list[tuple[str, str]], contoh: str) -> str:
    """The "real data and demo data" table (markdown): for each region what the database holds —
    population with its years, centres, the Ombudsman series with its years — and "unknown" /
    "not available" where it holds nothing; a source only where something is known."""
    penduduk, ada_penduduk = _per_kecamatan(
        kecamatan, roles, lambda rows: rows["penduduk"].notna(),
        lambda rows: t("metode.data.status.penduduk", tahun=_years(rows["tahun_penduduk"])))
    titik, ada_titik = _per_kecamatan(kecamatan, roles, lambda rows: rows["lat"].notna() & rows["lon"].notna(),
                                      lambda rows: t("metode.data.status.titik"))
    series = []
    for role, kode in roles:
        years = _years(ombudsman.loc[ombudsman["kode"] == kode, "tahun"])
        status = t("metode.data.status.ombudsman", tahun=years) if years else t("metode.data.status.tidak_tersedia")
        series.append(t("metode.data.status.wilayah", wilayah=role, status=status))
    ada_ombudsman = bool(ombudsman["kode"].isin([kode for _, kode in roles]).any())
    return t("metode.data.tabel", jumlah=len(kecamatan), contoh=contoh,
             penduduk=penduduk, penduduk_sumber=t("metode.data.sumber.penduduk") if ada_penduduk else "—",
             titik=titik, titik_sumber=t("metode.data.sumber.titik") if ada_titik else "—",
             ombudsman=" · ".join(series), ombudsman_sumber=t("metode.data.sumber.ombudsman") if ada_ombudsman else "—")


def demo_outlier_text(store) -> str:
    """The sentence on the demo's explained outlier, naming its kecamatan, indicator and month as stored
    (another kabupaten's demo puts it on one of its own kecamatan); '' when the database holds none."""
    found = store.pencilan_contoh()
    if found.empty:
        return ""
    row = found.iloc[0]
    names = store.kecamatan().set_index("kode")["nama"]
    indikator = bahasa.names(store.indikator())
    return t("metode.tren.pencilan_contoh", kecamatan=names.get(row["kode_kecamatan"], row["kode_kecamatan"]),
             indikator=indikator.get(row["indikator"], row["indikator"]),
             bulan=formatting.bulan(per.from_date(pd.Timestamp(row["periode"]).date())))


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


# --------------------------------------------------------------------------- worked example


@dataclass(frozen=True)
class WorkedExample:
    """One kecamatan's Indeks Tiru written out: every scored indicator with its value (NaN = no data),
    score s (0 when there is no data), weight w and w·s; skor is Σ w·s / Σ w over all indicators,
    skor_dilaporkan the same over the reported ones."""

    kode: str
    nama: str
    periode: int
    frame: pd.DataFrame  # index indikator; nama, nilai, satuan, skor, bobot, w_s
    missing: list[str]
    skor: float
    skor_dilaporkan: float


def worked_example(store, periode: int) -> WorkedExample | None:
    """The month's first kecamatan with an indicator counted as 0, ranked ones first (else the
    first ranked one); None when nobody has an Indeks that month."""
    table = benchmark.league_table(store, periode, draws=0)
    scored = table[table["skor"].notna()]
    with_gaps = scored[scored["belum_ada"].map(len) > 0].sort_values("diperingkat", ascending=False, kind="stable")
    candidates = with_gaps if len(with_gaps) else scored[scored["diperingkat"]]
    if candidates.empty:
        return None
    row = candidates.iloc[0]
    cat = benchmark.catalog(store)
    scored = cat.scored.sort_values("urutan") if "urutan" in cat.scored else cat.scored
    card = benchmark.scorecard(store, periode)
    card = card[card["kode_kecamatan"] == row["kode_kecamatan"]].set_index("indikator")
    frame = pd.DataFrame({
        "nama": bahasa.names(scored),
        "nilai": card["nilai"].reindex(scored.index),
        "satuan": scored["satuan"],
        "skor": card["skor"].reindex(scored.index).fillna(0.0),  # tanpa data = 0
        "bobot": cat.weights.reindex(scored.index),
    })
    frame["w_s"] = frame["bobot"] * frame["skor"]
    return WorkedExample(row["kode_kecamatan"], row["kecamatan"], periode, frame, list(row["belum_ada"]),
                         float(row["skor"]), float(row["skor_dilaporkan"]))


def worked_example_table(example: WorkedExample) -> pd.DataFrame:
    """The worked example as shown: one row per indicator, "tanpa data = 0" where nothing was reported."""
    frame = example.frame
    return pd.DataFrame({
        t("istilah.indikator"): frame["nama"].to_numpy(),
        t("istilah.nilai"): [formatting.nilai(v, s) if pd.notna(v) else t("metode.contoh.tanpa_data")
                             for v, s in zip(frame["nilai"], frame["satuan"], strict=True)],
        t("metode.contoh.kolom.skor"): [formatting.angka(v, 1) for v in frame["skor"]],
        t("metode.contoh.kolom.bobot"): [formatting.angka(v, 4) for v in frame["bobot"]],
        "w·s": [formatting.angka(v, 2) for v in frame["w_s"]],
    })
