"""What the pages and the CLI ask of the engine: the store's data run through scoring.

Everything here is pure given a Store; the UI adds caching on top (metrics/app/ui.py). At the
end, the pages' tables as shown: the same frames with headers and values in the active language.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.core import bahasa
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.data import wilayah as daerah
from metrics.data.store import Store
from metrics.engine import ikm, scoring



def region() -> str:
    """The `wilayah` of the kecamatan that are ranked: the configured kabupaten (Asahan by default);
    the model's kabupaten (Cimahi) is context (metrics/data/wilayah.py)."""
    return daerah.ranked()


def __getattr__(name: str):
    if name == "REGION":  # benchmark.REGION reads the configuration when used, never a fixed name
        return region()
    raise AttributeError(name)

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
    """The catalogue, the model's sources in the active language where Tiru wrote them itself
    (the sample values); sources loaded by the admin are shown as written.

    `model_sumber` is what users read; `model_sumber_admin` what the admin reads on Kelola Data. They
    differ for the sample values only: their shipped source ends in an instruction to the admin
    ("ganti dengan angka materi studi tiru") that is no camat's or Bupati's business (#19)."""
    indikator = store.indikator()
    indikator["model_sumber_admin"] = bahasa.names(indikator, "model_sumber")
    sample = indikator["model_sumber_en"].notna() if "model_sumber_en" in indikator else False
    indikator["model_sumber"] = indikator["model_sumber_admin"].where(~sample, t("tolok.model_contoh_sumber"))
    return Catalog(indikator=indikator, pilar=store.pilar())


def league_table(store: Store, periode: int, draws: int = scoring.CERTAINTY_DRAWS) -> pd.DataFrame:
    """The ranking of the Asahan kecamatan in month `periode`, with their names."""
    cat = catalog(store)
    kecamatan = store.kecamatan(region())
    observasi = store.observasi(periode - LOOKBACK, periode)
    table = scoring.ranking(observasi, cat.indikator, cat.pilar, list(kecamatan["kode"]), periode, draws=draws)
    names = kecamatan.set_index("kode")["nama"]
    table.insert(1, "kecamatan", table["kode_kecamatan"].map(names))
    return table


def names(store: Store) -> pd.Series:
    """kode -> nama of every kecamatan (Asahan and Cimahi)."""
    return store.kecamatan().set_index("kode")["nama"]


def scorecard(store: Store, periode: int, wilayah: str | None = None) -> pd.DataFrame:
    """Every kecamatan × scored indicator with an as-of value in month `periode`.

    Columns: kode_kecamatan, indikator, nilai, periode_nilai (month index), sumber, batch,
    demo, pilar, model, skor (0–100), melampaui, selisih (short of the model, in the unit),
    bobot. Indicators without an as-of value have no row: missing stays missing.
    """
    cat = catalog(store)
    return with_respondents(scoring.scorecard(values(store, periode, wilayah), cat.indikator, cat.pilar), store.skm())


def with_respondents(card: pd.DataFrame, skm: pd.DataFrame) -> pd.DataFrame:
    """Add `responden`: how many answered the SKM behind an IKM value (skm_hasil of the same
    kecamatan, semester and batch); NaN for other indicators and for an IKM loaded as a number."""
    if skm is None or skm.empty or "batch" not in card:
        return card.assign(responden=np.nan)
    counts = {(k, per.from_date(pd.Timestamp(p).date()), b): int(n)
              for k, p, b, n in zip(skm["kode_kecamatan"], skm["periode"], skm["batch"], skm["responden"], strict=True)}
    return card.assign(
        responden=[
            counts.get((k, p, b), np.nan) if i == "ikm" else np.nan
            for k, p, b, i in zip(
                card["kode_kecamatan"], card["periode_nilai"], card["batch"], card["indikator"], strict=True
            )
        ]
    )


def values(store: Store, periode: int, wilayah: str | None = None) -> pd.DataFrame:
    """As-of values of every indicator, scored and context (volume_layanan), in month `periode`, of the
    kecamatan of `wilayah` (default: the ranked ones, region())."""
    observasi = store.observasi(periode - LOOKBACK, periode)
    observasi = observasi[observasi["kode_kecamatan"].isin(store.kecamatan(wilayah or region())["kode"])]
    return scoring.as_of(observasi, catalog(store).indikator, periode)


def composite_history(store: Store, dari: int, sampai: int) -> pd.DataFrame:
    """Indeks Tiru, coverage and rank of every Asahan kecamatan for each month dari…sampai.

    Columns: periode (month index), kode_kecamatan, skor, cakupan, diperingkat, peringkat.
    No rank certainty here (it is per month and costly); use league_table for that.
    """
    cat = catalog(store)
    kecamatan = list(store.kecamatan(region())["kode"])
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


# Bands of the Indeks Tiru for the Sekda's overview: (lowest score, label), best first.
BANDS = [(80.0, "80–100"), (60.0, "60–79"), (40.0, "40–59"), (0.0, "0–39")]


def unranked_band() -> str:
    """The label of the band of unranked kecamatan, in the active language."""
    return t("istilah.belum_diperingkat")


def band_of(skor: float, diperingkat: bool) -> str:
    if not diperingkat or pd.isna(skor):
        return unranked_band()
    return next(label for lowest, label in BANDS if skor >= lowest)


def band_counts(table: pd.DataFrame) -> pd.DataFrame:
    """How many kecamatan fall in each band (all bands listed, zero included)."""
    bands = [band_of(s, r) for s, r in zip(table["skor"], table["diperingkat"], strict=True)]
    labels = [label for _, label in BANDS] + [unranked_band()]
    counts = pd.Series(bands, dtype=str).value_counts()
    return pd.DataFrame({"pita": labels, "jumlah": [int(counts.get(label, 0)) for label in labels]})


def kabupaten_series(history: pd.DataFrame) -> pd.DataFrame:
    """Per month: median, quartiles, min and max of the ranked kecamatan's Indeks Tiru.

    Only ranked kecamatan (coverage ≥ 0,70) count, so a month with thin reporting is not
    dragged by partial scores; `n` says how many there were.
    """
    ranked = history[history["diperingkat"]]
    grouped = ranked.groupby("periode")["skor"]
    out = pd.DataFrame(
        {
            "median": grouped.median(),
            "q1": grouped.quantile(0.25),
            "q3": grouped.quantile(0.75),
            "min": grouped.min(),
            "max": grouped.max(),
            "n": grouped.size(),
        }
    )
    # From the first month in which anyone was ranked; later gaps stay visible as gaps.
    months = [m for m in sorted(history["periode"].unique()) if len(out) and m >= out.index.min()]
    return out.reindex(months).rename_axis("periode").reset_index()


def movers(history: pd.DataFrame, periode: int, n: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Biggest improvers and decliners of the Indeks Tiru since the previous month.

    scoring.movement() decides: only kecamatan ranked in both months, by the change of the shown
    Indeks. Returns (naik, turun), each with kode_kecamatan, skor, skor_sebelumnya, perubahan,
    peringkat (this month's published rank), gerak, peringkat_bersama, peringkat_bersama_sebelumnya
    (ranks among the kecamatan ranked in both months).
    """
    now = history[history["periode"] == periode].reset_index(drop=True)
    before = history[history["periode"] == periode - 1]
    change = pd.concat([now[["skor", "peringkat"]], scoring.movement(now, before)], axis=1)
    columns = ["kode_kecamatan", "skor", "skor_sebelumnya", "perubahan", "peringkat", "gerak", "peringkat_bersama",
               "peringkat_bersama_sebelumnya"]
    up = change[change["status_gerak"] == "naik"].sort_values(["perubahan", "kode_kecamatan"],
                                                                ascending=[False, True])
    down = change[change["status_gerak"] == "turun"].sort_values(["perubahan", "kode_kecamatan"])
    return up.head(n)[columns].reset_index(drop=True), down.head(n)[columns].reset_index(drop=True)


def reporting_status(observasi: pd.DataFrame, kecamatan: pd.DataFrame, periode: int,
                     frekuensi: pd.Series) -> pd.DataFrame:
    """Per Asahan kecamatan: how many monthly indicators it sent for `periode`, and since when
    it has been silent.

    `observasi` must reach back far enough to find each one's last report. Columns: kode,
    nama, dilaporkan (monthly indicators sent for this month), diharapkan (monthly indicators
    in the catalogue), terakhir (last month with any monthly value, month index, or None),
    bulan_tanpa_laporan (months since then, 0 when it reported this month; None = never in
    the window), keadaan (lengkap | sebagian | belum).
    """
    monthly_codes = frekuensi[frekuensi == "bulanan"].index
    monthly = observasi[observasi["indikator"].isin(monthly_codes) & (observasi["periode"] <= periode)]
    last = monthly.groupby("kode_kecamatan")["periode"].max()
    sent = monthly[monthly["periode"] == periode].groupby("kode_kecamatan")["indikator"].nunique()
    out = kecamatan[["kode", "nama"]].copy()
    out["dilaporkan"] = out["kode"].map(sent).fillna(0).astype(int)
    out["diharapkan"] = len(monthly_codes)
    out["terakhir"] = out["kode"].map(last)
    out["bulan_tanpa_laporan"] = periode - out["terakhir"]
    # One word per kecamatan, so every count and list of the same month agrees (#13): a tile
    # of those not complete counts exactly the silent and the partial ones listed beside it.
    out["keadaan"] = ["lengkap" if n >= len(monthly_codes) else "sebagian" if n else "belum"
                      for n in out["dilaporkan"]]
    return out.reset_index(drop=True)


def relative_quartile(card: pd.DataFrame) -> pd.Series:
    """Quartile (1 = best 25 %) of each row's score among the kecamatan with a score for that
    indicator in `card` (benchmark.scorecard of all Asahan kecamatan). Ties take the better
    quartile. Index aligned with `card`."""
    share_better = card.groupby("indikator")["skor"].rank(ascending=False, method="min", pct=True)
    return pd.Series(np.ceil(share_better * 4).clip(1, 4).astype(int), index=card.index)


def category(indikator: str, nilai: float, kuartil: int | None, responden=None) -> str:
    """Official category where one exists (IKM mutu, with "sampel kecil" when fewer than
    ikm.MIN_RESPONDENTS answered), otherwise the relative quartile; in the active language."""
    if indikator == "ikm":
        found = ikm.mutu(nilai)
        if not found:
            return "—"
        text = t("tolok.mutu", huruf=found[0], nama=ikm.nama_mutu(found[0]))
        if responden is not None and not pd.isna(responden) and responden < ikm.MIN_RESPONDENTS:
            text += " · " + t("tolok.sampel_kecil", n=int(responden))
        return text
    return "—" if kuartil is None or pd.isna(kuartil) else t("tolok.kuartil", n=int(kuartil))


def profile_scorecard(card_all: pd.DataFrame, kode: str, cat: Catalog) -> pd.DataFrame:
    """One row per scored indicator (catalogue order) for kecamatan `kode`, missing included.

    `card_all` is scorecard() of all Asahan kecamatan (for the relative quartiles).
    Columns: indikator, nama, satuan, arah, pilar, bobot, model, model_sumber, ada (False =
    no as-of value), nilai, selisih, skor, melampaui, kategori, periode_nilai, sumber, demo.
    `nama` and `kategori` are in the active language; `satuan` stays the catalogue's
    Indonesian unit (formatting.nilai shows it per language).
    """
    quartiles = relative_quartile(card_all) if len(card_all) else pd.Series(dtype=int)
    own = card_all.assign(kuartil=quartiles)
    own = own[own["kode_kecamatan"] == kode].set_index("indikator")
    scored = cat.scored
    out = pd.DataFrame(
        {
            "indikator": scored.index,
            "nama": bahasa.names(scored, "nama").to_numpy(),
            "satuan": scored["satuan"].to_numpy(),
            "arah": scored["arah"].to_numpy(),
            "pilar": scored["pilar"].to_numpy(),
            "bobot": cat.weights.reindex(scored.index).to_numpy(),
            "model": scored["model"].to_numpy(),
            "model_sumber": scored["model_sumber"].to_numpy(),
        }
    )
    out["ada"] = out["indikator"].isin(own.index)
    for column in ("nilai", "selisih", "skor", "melampaui", "periode_nilai", "sumber", "demo", "kuartil",
                   "responden", "dikonfirmasi"):
        out[column] = out["indikator"].map(own[column]) if column in own else None
    out["melampaui"] = out["melampaui"].eq(True)  # missing (or an all-missing float column) is not beyond
    out["dikonfirmasi"] = out["dikonfirmasi"].eq(True)  # a confirmed outlier (kewajaran)
    out["kategori"] = [category(c, v, q, n) if has else t("istilah.tidak_ada_data")
                       for c, v, q, n, has in zip(out["indikator"], out["nilai"], out["kuartil"], out["responden"],
                                                  out["ada"], strict=True)]
    return out.drop(columns="kuartil")


def next_steps(profile: pd.DataFrame, stages: pd.DataFrame, links: pd.Series, n: int = 3) -> pd.DataFrame:
    """The largest weighted gaps of one kecamatan and the innovations expected to close them.

    `profile` is profile_scorecard(); `stages` the kecamatan's stage per innovation
    (columns inovasi, tahap); `links` innovation -> linked indicator codes. The weighted gap
    is bobot × (100 − skor): what closing the indicator would add to the Indeks Tiru (times
    the total weight). A missing indicator counts as the 0 it scores ("tanpa data = 0"), so
    reporting it is often the biggest lever (#19). Suggested innovations are linked ones not yet
    Berjalan (stage < 3). Columns: indikator, nama, ada, nilai, model, skor, selisih, satuan,
    celah_berbobot, inovasi (list of innovation codes, most advanced first).
    """
    gaps = profile.copy()
    gaps["skor"] = gaps["skor"].where(gaps["ada"], 0.0).astype(float)
    gaps["celah_berbobot"] = gaps["bobot"] * (100 - gaps["skor"])
    top = gaps[gaps["celah_berbobot"] > 0].sort_values(["celah_berbobot", "indikator"],
                                                       ascending=[False, True]).head(n)
    stage = stages.set_index("inovasi")["tahap"]
    suggestions = []
    for code in top["indikator"]:
        linked = [inov for inov, codes in links.items() if code in codes and stage.get(inov, 0) < 3]
        suggestions.append(sorted(linked, key=lambda inov: (-stage.get(inov, 0), inov)))
    top["inovasi"] = suggestions
    return top[["indikator", "nama", "ada", "nilai", "model", "skor", "selisih", "satuan", "celah_berbobot",
                "inovasi"]].reset_index(drop=True)


COMPOSITE = "indeks"
PILLAR_PREFIX = "pilar:"


def measures(cat: Catalog) -> dict[str, str]:
    """What a table can be sorted or coloured by: code -> label in the active language,
    composite first."""
    options = {COMPOSITE: t("istilah.indeks_tiru")}
    options.update({f"{PILLAR_PREFIX}{code}": t("tolok.pilar", nama=name)
                    for code, name in bahasa.names(cat.pilar, "nama").items()})
    options.update(dict(bahasa.names(cat.scored, "nama").items()))
    return options


def measure_table(table: pd.DataFrame, card_all: pd.DataFrame, measure: str) -> pd.DataFrame:
    """league_table() with the chosen measure's score (and value and category for an indicator),
    sorted best first; kecamatan without the measure come last.

    Adds columns ukuran_skor (0–100), ukuran_nilai and ukuran_kategori (indicator only).
    """
    out = table.copy()
    if measure == COMPOSITE:
        out["ukuran_skor"] = out["skor"].where(out["diperingkat"])
    elif measure.startswith(PILLAR_PREFIX):
        pillars = scoring.pillar_scores(card_all) if len(card_all) else pd.DataFrame()
        column = measure[len(PILLAR_PREFIX):]
        own = pillars[column] if column in pillars else pd.Series(dtype=float)
        out["ukuran_skor"] = out["kode_kecamatan"].map(own)
    else:
        rows = card_all.assign(kuartil=relative_quartile(card_all) if len(card_all) else [])
        rows = rows[rows["indikator"] == measure].set_index("kode_kecamatan")
        out["ukuran_skor"] = out["kode_kecamatan"].map(rows["skor"])
        out["ukuran_nilai"] = out["kode_kecamatan"].map(rows["nilai"])
        out["ukuran_kategori"] = [
            category(measure, rows.loc[k, "nilai"], rows.loc[k, "kuartil"], rows.loc[k].get("responden"))
            if k in rows.index
            else t("istilah.tidak_ada_data")
            for k in out["kode_kecamatan"]
        ]
    rank_key = out["peringkat"] if measure == COMPOSITE else -out["ukuran_skor"].round(scoring.SCORE_DECIMALS)
    out = out.assign(_kunci=rank_key).sort_values(["_kunci", "kecamatan"], na_position="last")
    return out.drop(columns="_kunci").reset_index(drop=True)


def pillar_comparison(card_all: pd.DataFrame, kode: str, cat: Catalog) -> pd.DataFrame:
    """Mean score per pillar of kecamatan `kode` (column kecamatan) beside the median kecamatan's
    (column median); indexed by the pillars' names in the active language, catalogue order."""
    pillar_names = bahasa.names(cat.pilar, "nama")
    own = card_all[card_all["kode_kecamatan"] == kode].groupby("pilar")["skor"].mean()
    median = card_all.groupby(["kode_kecamatan", "pilar"])["skor"].mean().groupby("pilar").median()
    return pd.DataFrame({"kecamatan": own, "median": median}).reindex(cat.pilar.index).set_axis(pillar_names)


def rank_history(history: pd.DataFrame, kode: str, periode: int) -> pd.DataFrame:
    """composite_history() of kecamatan `kode` from the first month anyone was ranked to `periode`."""
    first_ranked = history.loc[history["diperingkat"], "periode"].min()
    return history[(history["kode_kecamatan"] == kode) & history["periode"].between(first_ranked, periode)]
