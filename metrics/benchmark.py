"""What the pages and the CLI ask of the engine: the store's data run through scoring.

Everything here is pure given a Store; the UI adds caching on top (metrics/ui.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics import scoring
from metrics.store import Store

REGION = "Asahan"  # the kecamatan that are ranked; Cimahi is the model and context
LOOKBACK = 12  # months of history needed for an as-of value (tahunan) of this and last month


@dataclass(frozen=True)
class Catalog:
    indikator: pd.DataFrame  # index kode; with model, model_sumber
    pilar: pd.DataFrame  # index kode; bobot

    @property
    def scored(self) -> pd.DataFrame:
        return scoring.scored_indicators(self.indikator)

    @property
    def weights(self) -> pd.Series:
        return scoring.indicator_weights(self.indikator, self.pilar)


def catalog(store: Store) -> Catalog:
    return Catalog(indikator=store.indikator(), pilar=store.pilar())


def league_table(store: Store, periode: int, draws: int = scoring.CERTAINTY_DRAWS) -> pd.DataFrame:
    """The ranking of the Asahan kecamatan in month `periode`, with their names."""
    cat = catalog(store)
    kecamatan = store.kecamatan(REGION)
    observasi = store.observasi(periode - LOOKBACK, periode)
    table = scoring.ranking(observasi, cat.indikator, cat.pilar, list(kecamatan["kode"]), periode, draws=draws)
    names = kecamatan.set_index("kode")["nama"]
    table.insert(1, "kecamatan", table["kode_kecamatan"].map(names))
    return table


def reported(store: Store, periode: int) -> pd.DataFrame:
    """Per Asahan kecamatan: how many indicators it reported for exactly this month."""
    kecamatan = store.kecamatan(REGION)
    month = store.observasi(periode, periode)
    counts = month.groupby("kode_kecamatan")["indikator"].nunique()
    return kecamatan[["kode", "nama"]].assign(dilaporkan=lambda k: k["kode"].map(counts).fillna(0).astype(int))


def names(store: Store) -> pd.Series:
    """kode -> nama of every kecamatan (Asahan and Cimahi)."""
    return store.kecamatan().set_index("kode")["nama"]


def scorecard(store: Store, periode: int, wilayah: str | None = REGION) -> pd.DataFrame:
    """Every kecamatan × scored indicator with an as-of value in month `periode`.

    Columns: kode_kecamatan, indikator, nilai, periode_nilai (month index), sumber, batch,
    demo, pilar, model, skor (0–100), melampaui, selisih (short of the model, in the unit),
    bobot. Indicators without an as-of value have no row: missing stays missing.
    """
    cat = catalog(store)
    observasi = store.observasi(periode - LOOKBACK, periode)
    if wilayah:
        observasi = observasi[observasi["kode_kecamatan"].isin(store.kecamatan(wilayah)["kode"])]
    values = scoring.as_of(observasi, cat.indikator, periode)
    return scoring.scorecard(values, cat.indikator, cat.pilar)


def composite_history(store: Store, dari: int, sampai: int) -> pd.DataFrame:
    """Indeks Tiru, coverage and rank of every Asahan kecamatan for each month dari…sampai.

    Columns: periode (month index), kode_kecamatan, skor, cakupan, diperingkat, peringkat.
    No rank certainty here (it is per month and costly); use league_table for that.
    """
    cat = catalog(store)
    kecamatan = list(store.kecamatan(REGION)["kode"])
    observasi = store.observasi(dari - LOOKBACK, sampai)
    months = []
    for month in range(dari, sampai + 1):
        card = scoring.scorecard(scoring.as_of(observasi, cat.indikator, month), cat.indikator, cat.pilar)
        table = scoring.composite(card, kecamatan, cat.indikator, cat.pilar)
        table["peringkat"] = scoring.shared_rank(table["skor"].where(table["diperingkat"]))
        months.append(table.assign(periode=month))
    if not months:
        return pd.DataFrame(columns=["periode", "kode_kecamatan", "skor", "cakupan", "diperingkat", "peringkat"])
    out = pd.concat(months, ignore_index=True)
    return out[["periode", "kode_kecamatan", "skor", "cakupan", "diperingkat", "peringkat"]]
