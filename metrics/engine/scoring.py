"""Scoring and ranking: the exact method of docs/metodologi.md, as pure functions.

Inputs are plain DataFrames so that anyone can recompute a result from `tiru export`:
- `indikator`: one row per indicator, index `kode`, columns arah, frekuensi, pilar, lantai,
  model (scored indicators have a pilar, a lantai and a model value);
- `pilar`: index `kode`, column `bobot` (relative weight);
- observations: kode_kecamatan, periode (month index, see metrics.core.periode), indikator, nilai,
  and optionally sumber; at most one row per (kecamatan, periode, indikator) — the store has
  already picked the latest batch.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

from metrics.core.periode import VALIDITY_MONTHS

COVERAGE_THRESHOLD = 0.70
CERTAINTY_DRAWS = 1000
CERTAINTY_SEED = 20241211
CERTAINTY_SPREAD = 0.5  # each pillar weight varies within ±50 %
SCORE_DECIMALS = 1  # ranks compare the composite as shown (one decimal), so equal shown scores share a rank


def scored_indicators(indikator: pd.DataFrame) -> pd.DataFrame:
    """Indicators that count in the composite (context indicators have no pillar)."""
    return indikator[indikator["pilar"].notna()]


def indicator_weights(indikator: pd.DataFrame, pilar: pd.DataFrame) -> pd.Series:
    """w_i = pillar weight / number of scored indicators in that pillar."""
    scored = scored_indicators(indikator)
    per_pillar = scored.groupby("pilar")["pilar"].transform("size")
    return (scored["pilar"].map(pilar["bobot"]) / per_pillar).rename("bobot")


def as_of(observasi: pd.DataFrame, indikator: pd.DataFrame, periode: int) -> pd.DataFrame:
    """Latest value per (kecamatan, indicator) valid in month `periode`.

    Valid means observed in one of the `validity` months ending at `periode`
    (bulanan 1, semesteran 6, tahunan 12). Older values are not carried forward.
    Returns kode_kecamatan, indikator, nilai, periode_nilai (+ sumber when given).
    """
    validity = indikator["frekuensi"].map(VALIDITY_MONTHS)
    window = observasi["indikator"].map(validity)
    age = periode - observasi["periode"]
    valid = observasi[(age >= 0) & (age < window)]
    latest = valid.sort_values("periode").drop_duplicates(["kode_kecamatan", "indikator"], keep="last")
    latest = latest.rename(columns={"periode": "periode_nilai"})
    return latest.sort_values(["kode_kecamatan", "indikator"]).reset_index(drop=True)


def indicator_score(nilai, arah, lantai, model):
    """Distance to frontier, 0–100; works on scalars and aligned arrays.

    higher: 100·clamp((x − floor)/(model − floor), 0, 1)
    lower:  100·clamp((floor − x)/(floor − model), 0, 1)
    """
    nilai, lantai, model = (np.asarray(v, dtype=float) for v in (nilai, lantai, model))
    higher = np.asarray(arah) == "higher"
    progress = np.where(higher, (nilai - lantai) / (model - lantai), (lantai - nilai) / (lantai - model))
    return 100.0 * np.clip(progress, 0.0, 1.0)


def beyond_model(nilai, arah, model):
    """True where the value is strictly better than the model ("melampaui model")."""
    nilai, model = np.asarray(nilai, dtype=float), np.asarray(model, dtype=float)
    return np.where(np.asarray(arah) == "higher", nilai > model, nilai < model)


def gap_to_model(nilai, arah, model):
    """How far short of the model, in the indicator's unit; negative = beyond the model."""
    nilai, model = np.asarray(nilai, dtype=float), np.asarray(model, dtype=float)
    return np.where(np.asarray(arah) == "higher", model - nilai, nilai - model)


def scorecard(values: pd.DataFrame, indikator: pd.DataFrame, pilar: pd.DataFrame) -> pd.DataFrame:
    """Add score, gap, weight and pillar to as-of values of scored indicators."""
    scored = scored_indicators(indikator)
    card = values[values["indikator"].isin(scored.index)].copy()
    meta = scored.loc[card["indikator"]]
    card["pilar"] = meta["pilar"].to_numpy()
    card["model"] = meta["model"].to_numpy()
    card["skor"] = indicator_score(card["nilai"], meta["arah"], meta["lantai"], meta["model"])
    card["melampaui"] = beyond_model(card["nilai"], meta["arah"], meta["model"])
    card["selisih"] = gap_to_model(card["nilai"], meta["arah"], meta["model"])
    card["bobot"] = card["indikator"].map(indicator_weights(indikator, pilar))
    # An empty month (no as-of value at all) keeps numeric columns, so arithmetic on it still works.
    return card.astype({c: float for c in ("nilai", "model", "skor", "selisih", "bobot")})


def shared_rank(skor: pd.Series) -> pd.Series:
    """Rank descending; ties share the best rank (1, 2, 2, 4)."""
    return skor.round(SCORE_DECIMALS).rank(ascending=False, method="min")


def _pillar_matrices(card: pd.DataFrame, kecamatan: list[str], indikator, pilar):
    """A[k, p] = Σ_{i∈p, present} s_i / n_p and C[k, p] = n_present / n_p.

    With pillar weights W the composite is (A·W)/ΣW (a missing indicator adds 0), the coverage
    (C·W)/ΣW and the Indeks over the reported ones (A·W)/(C·W) — the same as Σ w_i s_i / Σ w_i
    with w_i = W_p / n_p, in a form that re-weights fast.
    """
    scored = scored_indicators(indikator)
    pillars = list(pilar.sort_values("urutan").index) if "urutan" in pilar else list(pilar.index)
    n_per_pillar = scored.groupby("pilar").size().reindex(pillars).fillna(0).to_numpy()
    grouped = card.groupby(["kode_kecamatan", "pilar"])["skor"]
    sums = grouped.sum().unstack().reindex(index=kecamatan, columns=pillars).fillna(0.0)
    counts = grouped.count().unstack().reindex(index=kecamatan, columns=pillars).fillna(0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(n_per_pillar > 0, sums.to_numpy() / n_per_pillar, 0.0)
        c = np.where(n_per_pillar > 0, counts.to_numpy() / n_per_pillar, 0.0)
    weights = pilar["bobot"].reindex(pillars).to_numpy(dtype=float)
    return a, c, weights, pillars


def composite(card: pd.DataFrame, kecamatan: list[str], indikator, pilar) -> pd.DataFrame:
    """Composite (Indeks Tiru), coverage and whether ranked, one row per kecamatan given.

    skor = Σ w_i s_i / Σ w_i over all scored indicators, a missing one counting as 0 ("tanpa
    data = 0"), so withholding a bad number never raises it; skor_dilaporkan is the same over the
    reported indicators alone, a labelled aid that is never ranked. Both are NaN when nothing at
    all was reported: no data is shown as missing, not as 0.
    """
    a, c, weights, _ = _pillar_matrices(card, kecamatan, indikator, pilar)
    covered = c @ weights
    with np.errstate(divide="ignore", invalid="ignore"):
        skor = np.where(covered > 0, (a @ weights) / weights.sum(), np.nan)
        reported = np.where(covered > 0, (a @ weights) / covered, np.nan)
    cakupan = covered / weights.sum()
    out = pd.DataFrame({"kode_kecamatan": kecamatan, "skor": skor, "skor_dilaporkan": reported, "cakupan": cakupan})
    out["diperingkat"] = _covered_enough(card, kecamatan, indikator, pilar, cakupan)
    return out


def _covered_enough(card, kecamatan, indikator, pilar, cakupan: np.ndarray) -> np.ndarray:
    """cakupan ≥ COVERAGE_THRESHOLD, decided in exact arithmetic: far from the threshold the float
    decides; within 1e-6 of it, the coverage is recomputed as a fraction of the indicator counts and
    the weights as written (0,2 is 1/5), so exactly 0,70 is covered and 0,6999999999 is not."""
    decided = cakupan >= COVERAGE_THRESHOLD
    near = np.abs(cakupan - COVERAGE_THRESHOLD) < 1e-6
    if not near.any():
        return decided
    scored = scored_indicators(indikator)
    pillars = list(pilar.sort_values("urutan").index) if "urutan" in pilar else list(pilar.index)
    n = scored.groupby("pilar").size().reindex(pillars).fillna(0).astype(int)
    present = card.groupby(["kode_kecamatan", "pilar"])["skor"].count()
    weights = {p: Fraction(repr(float(pilar.loc[p, "bobot"]))) for p in pillars}
    total = sum(weights.values())
    threshold = Fraction(repr(COVERAGE_THRESHOLD))
    for i in np.flatnonzero(near):
        k = kecamatan[i]
        exact = sum(weights[p] * Fraction(int(present.get((k, p), 0)), int(n[p])) for p in pillars if n[p] > 0)
        decided[i] = total > 0 and exact >= threshold * total
    return decided


def pillar_scores(card: pd.DataFrame) -> pd.DataFrame:
    """Mean score of the present indicators of each pillar: kode_kecamatan × pilar."""
    return card.pivot_table(index="kode_kecamatan", columns="pilar", values="skor", aggfunc="mean")


def rank_certainty(card, ranked: list[str], indikator, pilar, draws=CERTAINTY_DRAWS, seed=CERTAINTY_SEED):
    """5th and 95th percentile rank of each ranked kecamatan under random pillar weights.

    Each draw multiplies every pillar weight by an independent U(1 − 0,5, 1 + 0,5) factor
    (seeded, so the range is reproducible); the set of ranked kecamatan stays fixed.
    Percentiles use the 'inverted_cdf' method, so both ends are ranks that occurred.
    """
    if not ranked or draws <= 0:
        return pd.DataFrame({"kode_kecamatan": ranked, "peringkat_min": np.nan, "peringkat_max": np.nan})
    a, c, weights, _ = _pillar_matrices(card, ranked, indikator, pilar)
    rng = np.random.default_rng(seed)
    factors = rng.uniform(1 - CERTAINTY_SPREAD, 1 + CERTAINTY_SPREAD, size=(draws, len(weights)))
    drawn = (factors * weights).T  # pillars × draws
    skor = pd.DataFrame((a @ drawn) / drawn.sum(axis=0))  # kecamatan × draws; missing counts as 0
    ranks = skor.round(SCORE_DECIMALS).rank(axis=0, ascending=False, method="min").to_numpy()
    return pd.DataFrame(
        {
            "kode_kecamatan": ranked,
            "peringkat_min": np.quantile(ranks, 0.05, axis=1, method="inverted_cdf").astype(int),
            "peringkat_max": np.quantile(ranks, 0.95, axis=1, method="inverted_cdf").astype(int),
        }
    )


def _rank_month(observasi, indikator, pilar, kecamatan, periode):
    card = scorecard(as_of(observasi, indikator, periode), indikator, pilar)
    table = composite(card, kecamatan, indikator, pilar)
    ranked = table["diperingkat"]
    table["peringkat"] = pd.Series(np.nan, index=table.index)
    table.loc[ranked, "peringkat"] = shared_rank(table.loc[ranked, "skor"])
    return card, table


MOVEMENT_STATUS = ("naik", "turun", "tetap", "masuk", "keluar")


def movement(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """Movement since the previous month: the one rule (docs/metodologi.md "Movement") every view follows.

    `now` and `before` are composite() rows (kode_kecamatan, skor, diperingkat) of two consecutive
    months. Movement is read from the Indeks change first: perubahan = shown Indeks now − shown
    Indeks before (one decimal), and status_gerak is naik / turun / tetap by its sign. The rank
    movement beside it (gerak, positive = up) compares ranks among the kecamatan ranked in BOTH
    months, re-ranked within that set each month, so nobody rises because another dropped out.
    Kecamatan entering or leaving the ranking are "masuk" / "keluar" (no perubahan, no gerak);
    status_gerak is None for one ranked in neither month. One row per row of `now`, same order.
    """
    prev = before.set_index("kode_kecamatan")
    was = now["kode_kecamatan"].map(prev["diperingkat"]).eq(True).to_numpy()
    is_ = now["diperingkat"].eq(True).to_numpy()
    both = was & is_
    skor_before = now["kode_kecamatan"].map(prev["skor"]).to_numpy(dtype=float)
    out = pd.DataFrame({"kode_kecamatan": now["kode_kecamatan"].to_numpy()}, index=now.index)
    out["skor_sebelumnya"] = np.where(both, skor_before, np.nan)
    change = np.round(np.round(now["skor"].to_numpy(dtype=float), SCORE_DECIMALS)
                      - np.round(skor_before, SCORE_DECIMALS), SCORE_DECIMALS)
    out["perubahan"] = np.where(both, change, np.nan)
    out["peringkat_bersama"] = np.nan
    out["peringkat_bersama_sebelumnya"] = np.nan
    if both.any():
        out.loc[both, "peringkat_bersama"] = shared_rank(now.loc[both, "skor"]).to_numpy()
        out.loc[both, "peringkat_bersama_sebelumnya"] = shared_rank(pd.Series(skor_before[both])).to_numpy()
    out["gerak"] = out["peringkat_bersama_sebelumnya"] - out["peringkat_bersama"]
    status = np.select([both & (change > 0), both & (change < 0), both, is_ & ~was, was & ~is_],
                       ["naik", "turun", "tetap", "masuk", "keluar"], default="")
    out["status_gerak"] = pd.Series(status, index=now.index).replace("", None)
    return out


def ranking(observasi, indikator, pilar, kecamatan: list[str], periode: int, draws=CERTAINTY_DRAWS):
    """The league table for one month.

    Columns: kode_kecamatan, skor (0–100, NaN when nothing to score), cakupan (0–1),
    diperingkat, peringkat, peringkat_min, peringkat_max, peringkat_sebelumnya (last month's
    published rank), skor_sebelumnya, perubahan, gerak, status_gerak (see movement()),
    belum_ada (scored indicators without an as-of value, in catalogue order). Sorted by rank, then unranked by coverage.
    """
    card, table = _rank_month(observasi, indikator, pilar, kecamatan, periode)
    _, previous = _rank_month(observasi, indikator, pilar, kecamatan, periode - 1)
    table["peringkat_sebelumnya"] = previous["peringkat"].to_numpy()  # last month's published rank
    moved = movement(table, previous)
    for column in ("skor_sebelumnya", "perubahan", "gerak", "status_gerak"):
        table[column] = moved[column]
    ranked_codes = list(table.loc[table["diperingkat"], "kode_kecamatan"])
    certainty = rank_certainty(card, ranked_codes, indikator, pilar, draws=draws)
    table = table.merge(certainty, on="kode_kecamatan", how="left")
    order = list(scored_indicators(indikator).sort_values("urutan").index) if "urutan" in indikator else list(
        scored_indicators(indikator).index
    )
    present = card.groupby("kode_kecamatan")["indikator"].agg(set)
    table["belum_ada"] = [
        [code for code in order if code not in present.get(kec, set())] for kec in table["kode_kecamatan"]
    ]
    table = table.sort_values(["peringkat", "cakupan", "kode_kecamatan"], ascending=[True, False, True])
    return table.reset_index(drop=True)
