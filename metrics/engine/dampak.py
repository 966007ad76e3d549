"""Impact of an innovation on its linked indicators: difference in differences, its uncertainty
interval, and whether the numbers allow a verdict.

Pure functions on plain DataFrames (store_impact reads the Store, like benchmark), so every
number can be recomputed from `tiru export`. Inputs: history = adopsi.stage_history of every
Asahan kecamatan × innovation; observasi = Store.observasi() (kode_kecamatan, periode as a
month index, indikator, nilai).

Difference in differences, per innovation and linked indicator
    - An adopter's month m is the first month whose stage (end of month) is ≥ 3 (Berjalan).
    - before = mean of its observed values in months m−3 … m−1, after = mean in m+1 … m+3;
      the month m itself is left out (adoption happens during it). Months without an
      observation are skipped; a side with no observation leaves the kecamatan out.
    - Controls of that adopter: kecamatan that had not reached stage ≥ 3 by the end of
      month m+3 (first month ≥ 3 later than m+3, or never), with values on both sides over
      the same months. An adopter counts only when it has at least MIN_GROUP controls.
    - effect of one adopter = (after − before) of the adopter − mean over its controls of
      (after − before); the estimate is the mean over the adopters that count.
    - n_adopter = adopters that count, n_kontrol = distinct kecamatan used as a control.
      With fewer than MIN_GROUP on either side there is no estimate (NaN, with the reason).
    - Only months up to the viewed month are used (m + 3 ≤ viewed month).
    The effect is in the indicator's unit; whether it is an improvement depends on the
    indicator's direction (arah). It is an association, not proof of cause and effect.

Interval (why a bootstrap)
    A seeded bootstrap over kecamatan, because kecamatan are what is sampled and what differs:
    each of DRAWS draws resamples the counted adopters with replacement and, independently, the
    comparison kecamatan (the pool of all controls used) with replacement; each drawn adopter's
    control change is the mean over the drawn comparison kecamatan that are among its own
    controls (a drawn adopter with none of them is left out of that draw), and the draw's
    estimate is the mean effect of its drawn adopters. The interval is the 2.5th–97.5th
    percentile of the draws (95 %). The generator is seeded from SEED and the pair's codes, so
    the same data always gives the same interval, whatever else is computed. A permutation
    interval was not used: adoption is not random across kecamatan, so relabelling adopters
    and controls does not describe how the estimate could vary.

Verdict (kesimpulan: 'membaik' | 'memburuk' | '' = none), and why there is none (sebab)
    A verdict needs all of: an estimate; an indicator whose measurement the innovation does not
    itself change (catalogue column indikator_ukur — e.g. permohonan_daring on the share of
    online requests, the digital survey on the IKM: the number moves because the way it is
    counted changed); ≥ MIN_KESIMPULAN adopters and ≥ MIN_KESIMPULAN comparison kecamatan; an
    interval that excludes 0. Then the sign and the indicator's direction decide. Otherwise
    the estimate and its interval are still shown, with the reason (sebab: tanpa_perkiraan,
    ukur, sedikit, selang_nol).

Shared credit (juga)
    When an adopter also reached Berjalan on another innovation linked to the same indicator
    within its months m−3 … m+3, the change belongs to both: `juga` counts, per other
    innovation, the counted adopters concerned, so a table can say so instead of crediting the
    same change to each innovation silently.
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

from metrics.core import bahasa
from metrics.core import periode as per
from metrics.engine import adopsi
from metrics.engine.benchmark import region

WINDOW = 3  # months before and after the adoption month in the impact estimate
MIN_GROUP = 3  # fewest adopters and controls (per adopter) for an estimate
MIN_KESIMPULAN = 5  # fewest adopters and comparison kecamatan for a verdict
DRAWS = 2000  # bootstrap draws
SEED = 14  # fixed: the same data gives the same interval
PERSENTIL = (2.5, 97.5)

MEMBAIK, MEMBURUK = "membaik", "memburuk"  # verdicts (identifiers, as in `tiru dampak`)
# Why there is no verdict (sebab); shown through inovasi.alasan.* in the active language.
TANPA_PERKIRAAN, UKUR, SEDIKIT, SELANG_NOL = "tanpa_perkiraan", "ukur", "sedikit", "selang_nol"

CSV_COLUMNS = ["inovasi", "indikator", "n_adopsi", "n_pembanding", "selisih", "batas_bawah", "batas_atas",
               "kesimpulan"]


def _window_mean(values: pd.Series, months: range) -> float:
    present = [values[m] for m in months if m in values.index]
    return float(np.mean(present)) if present else np.nan


def impact_detail(history: pd.DataFrame, observasi: pd.DataFrame, inovasi: str, indikator: str,
                  sampai: int) -> pd.DataFrame:
    """Per adopter of `inovasi`: bulan (m), perubahan (after − before), the controls used and the effect.

    history: stage_history covering at least up to `sampai` (all kecamatan considered).
    Columns: kode_kecamatan, bulan, sebelum, sesudah, perubahan, kontrol (list of codes),
    perubahan_tiap_kontrol (their changes, same order), perubahan_kontrol (mean over controls),
    efek; adopters without values on both sides or with too few controls have NaN efek and
    `dihitung` False.
    """
    cells = history[(history["inovasi"] == inovasi) & (history["periode"] <= sampai)]
    first = adopsi.first_reached(cells).set_index("kode_kecamatan")["bulan"]
    everyone = list(dict.fromkeys(cells["kode_kecamatan"]))
    obs = observasi[observasi["indikator"] == indikator]
    series = {k: g.set_index("periode")["nilai"] for k, g in obs.groupby("kode_kecamatan")}
    empty = pd.Series(dtype=float)

    def change(kode: str, m: int) -> tuple[float, float]:
        values = series.get(kode, empty)
        return _window_mean(values, range(m - WINDOW, m)), _window_mean(values, range(m + 1, m + WINDOW + 1))

    rows = []
    for kode, m in first.sort_values().items():
        if m + WINDOW > sampai:
            continue  # the after-months are not over yet
        before, after = change(kode, int(m))
        controls, deltas = [], []
        for other in everyone:
            reached = first.get(other)
            if reached is not None and reached <= m + WINDOW:
                continue
            b, a = change(other, int(m))
            if not (np.isnan(b) or np.isnan(a)):
                controls.append(other)
                deltas.append(a - b)
        own = after - before
        counted = not np.isnan(own) and len(controls) >= MIN_GROUP
        control_change = float(np.mean(deltas)) if deltas else np.nan
        rows.append({
            "kode_kecamatan": kode, "bulan": int(m), "sebelum": before, "sesudah": after, "perubahan": own,
            "kontrol": controls, "perubahan_tiap_kontrol": deltas, "perubahan_kontrol": control_change,
            "efek": own - control_change if counted else np.nan, "dihitung": counted,
            "punya_data": not np.isnan(own),
        })
    columns = ["kode_kecamatan", "bulan", "sebelum", "sesudah", "perubahan", "kontrol", "perubahan_tiap_kontrol",
               "perubahan_kontrol", "efek", "dihitung", "punya_data"]
    return pd.DataFrame(rows, columns=columns)


def interval(counted: pd.DataFrame, key: str, draws: int = DRAWS) -> tuple[float, float]:
    """The bootstrap interval (PERSENTIL) of the estimate from impact_detail's counted rows.

    Adopters and comparison kecamatan are resampled with replacement, independently (module
    docstring); `key` (e.g. 'inovasi|indikator') seeds the generator together with SEED."""
    if counted.empty:
        return np.nan, np.nan
    pool = sorted({k for controls in counted["kontrol"] for k in controls})
    column = {k: i for i, k in enumerate(pool)}
    deltas = np.zeros((len(counted), len(pool)))
    member = np.zeros((len(counted), len(pool)))
    for i, (controls, changes) in enumerate(zip(counted["kontrol"], counted["perubahan_tiap_kontrol"], strict=True)):
        for kode, change in zip(controls, changes, strict=True):
            deltas[i, column[kode]], member[i, column[kode]] = change, 1.0
    own = counted["perubahan"].to_numpy(dtype=float)
    rng = np.random.default_rng([SEED, zlib.crc32(key.encode("utf-8"))])
    picks = rng.integers(0, len(counted), size=(draws, len(counted)))
    weights = rng.multinomial(len(pool), np.full(len(pool), 1.0 / len(pool)), size=draws)
    total, count = weights @ deltas.T, weights @ member.T  # per draw and adopter
    with np.errstate(invalid="ignore", divide="ignore"):
        effects = own[None, :] - total / count  # NaN: none of the adopter's controls drawn
    drawn = np.take_along_axis(effects, picks, axis=1)
    valid = ~np.isnan(drawn)
    n = valid.sum(axis=1)
    estimates = np.where(valid, drawn, 0.0).sum(axis=1)[n > 0] / n[n > 0]
    if not len(estimates):
        return np.nan, np.nan
    low, high = np.percentile(estimates, PERSENTIL)
    return float(low), float(high)


def _links(value) -> list:
    return list(value) if isinstance(value, (list, tuple, np.ndarray)) else []


def _verdict(efek: float, low: float, high: float, n_adopter: int, n_kontrol: int, measured: bool,
             arah: str) -> tuple[str, str]:
    """(kesimpulan, sebab): the verdict, or '' and the code of why there is none."""
    if np.isnan(efek):
        return "", TANPA_PERKIRAAN
    if measured:
        return "", UKUR
    if n_adopter < MIN_KESIMPULAN or n_kontrol < MIN_KESIMPULAN:
        return "", SEDIKIT
    if np.isnan(low) or low <= 0 <= high:
        return "", SELANG_NOL
    return (MEMBAIK if (low > 0) == (arah == "higher") else MEMBURUK), ""


def reason(sebab: str, alasan: str, n_adopter: int, n_kontrol: int) -> str:
    """Why there is no verdict, in the active language ('' with a verdict)."""
    if sebab == TANPA_PERKIRAAN:
        return alasan
    if sebab == SEDIKIT:
        return bahasa.t("inovasi.alasan.sedikit", adopsi=n_adopter, pembanding=n_kontrol, minimum=MIN_KESIMPULAN)
    return bahasa.t(f"inovasi.alasan.{sebab}") if sebab else ""


def _shared(counted: pd.DataFrame, inovasi: str, indikator: str, first: dict, links: pd.Series) -> dict:
    """Per other innovation linked to `indikator`: the counted adopters that also reached Berjalan on it
    within their months m−WINDOW … m+WINDOW (catalogue order)."""
    others = [k for k, linked in links.items() if k != inovasi and indikator in _links(linked)]
    shared = {}
    for other in others:
        n = sum(1 for kode, m in zip(counted["kode_kecamatan"], counted["bulan"], strict=True)
                if (kode, other) in first and m - WINDOW <= first[(kode, other)] <= m + WINDOW)
        if n:
            shared[other] = n
    return shared


def impact(history: pd.DataFrame, observasi: pd.DataFrame, inovasi_links: pd.Series, indikator: pd.DataFrame,
           sampai: int, ukur: pd.Series | None = None, draws: int = DRAWS) -> pd.DataFrame:
    """Difference in differences per (inovasi, linked indicator), up to month `sampai`, with its
    interval and verdict.

    inovasi_links: kode inovasi -> list of indicator codes (Store.inovasi()['indikator']);
    ukur: kode inovasi -> the linked indicators whose measurement it changes itself
    (Store.inovasi()['indikator_ukur']; none when not given). indikator: catalogue with index
    kode and column arah.
    Columns: inovasi, indikator, efek (indicator unit; NaN = no estimate), batas_bawah,
    batas_atas (the interval), n_adopter, n_kontrol, perubahan_adopter, perubahan_kontrol, arah,
    kesimpulan ('membaik' | 'memburuk' | ''), sebab (why no verdict: a code, '' with one),
    membaik (True/False with a verdict, None without), alasan (why there is no estimate, in the
    active language), alasan_kesimpulan (why there is no verdict, in the active language),
    ukur (bool), juga (other innovation -> adopters whose change it shares).
    """
    ukur = ukur if ukur is not None else pd.Series(dtype=object)
    done = history[history["periode"] <= sampai]
    first = {(r.kode_kecamatan, r.inovasi): r.bulan for r in adopsi.first_reached(done).itertuples()}
    berjalan = adopsi.nama_tahap(adopsi.BERJALAN)
    rows = []
    for inovasi, links in inovasi_links.items():
        for ind in _links(links):
            detail = impact_detail(history, observasi, inovasi, ind, sampai)
            counted = detail[detail["dihitung"].astype(bool)]
            n_data = int(detail["punya_data"].sum()) if len(detail) else 0
            n_adopter = len(counted)
            n_kontrol = len({k for controls in counted["kontrol"] for k in controls})
            arah = indikator["arah"].get(ind, "higher") if "arah" in indikator else "higher"
            alasan = ""
            if n_data < MIN_GROUP:
                alasan = bahasa.t("inovasi.alasan.sedikit_data", n=n_data, berjalan=berjalan, bulan=WINDOW,
                                  minimum=MIN_GROUP)
            elif n_adopter < MIN_GROUP:
                alasan = bahasa.t("inovasi.alasan.pembanding", n=n_adopter, minimum=MIN_GROUP)
            efek = float(counted["efek"].mean()) if not alasan else np.nan
            low, high = interval(counted, f"{inovasi}|{ind}", draws) if not alasan else (np.nan, np.nan)
            measured = ind in _links(ukur.get(inovasi))
            kesimpulan, sebab = _verdict(efek, low, high, n_adopter, n_kontrol, measured, arah)
            rows.append({
                "inovasi": inovasi, "indikator": ind, "efek": efek, "batas_bawah": low, "batas_atas": high,
                "n_adopter": n_adopter, "n_kontrol": n_kontrol,
                "perubahan_adopter": float(counted["perubahan"].mean()) if n_adopter else np.nan,
                "perubahan_kontrol": float(counted["perubahan_kontrol"].mean()) if n_adopter else np.nan,
                "arah": arah, "kesimpulan": kesimpulan, "sebab": sebab,
                "membaik": {MEMBAIK: True, MEMBURUK: False}.get(kesimpulan), "alasan": alasan,
                "alasan_kesimpulan": reason(sebab, alasan, n_adopter, n_kontrol), "ukur": measured,
                "juga": {} if np.isnan(efek) else _shared(counted, inovasi, ind, first, inovasi_links),
            })
    columns = ["inovasi", "indikator", "efek", "batas_bawah", "batas_atas", "n_adopter", "n_kontrol",
               "perubahan_adopter", "perubahan_kontrol", "arah", "kesimpulan", "sebab", "membaik", "alasan",
               "alasan_kesimpulan", "ukur", "juga"]
    return pd.DataFrame(rows, columns=columns)


def first_month(store, sampai: int) -> int:
    """The first month the impact reads stages from: the first month with data or with an event
    (an adopter's month m must not be cut off), as the Inovasi page does."""
    events = store.adopsi()
    months = store.periods()[:1] + ([per.from_date(events["tanggal"].min())] if len(events) else [])
    return min(months) if months else sampai


def store_impact(store, sampai: int) -> pd.DataFrame:
    """impact of every innovation × linked indicator on the Store's data up to month `sampai`."""
    dari = first_month(store, sampai)
    inovasi = store.inovasi()
    history = adopsi.stage_history(store.adopsi(), list(store.kecamatan(region())["kode"]), list(inovasi.index),
                                   dari, sampai)
    return impact(history, store.observasi(dari - WINDOW, sampai), inovasi["indikator"], store.indikator(), sampai,
                  inovasi["indikator_ukur"])


def csv_frame(effects: pd.DataFrame, decimals: int = 4) -> pd.DataFrame:
    """impact in `tiru dampak`'s exact columns; selisih and the bounds rounded, empty without an estimate."""
    return pd.DataFrame({
        "inovasi": effects["inovasi"], "indikator": effects["indikator"],
        "n_adopsi": effects["n_adopter"].astype(int), "n_pembanding": effects["n_kontrol"].astype(int),
        "selisih": effects["efek"].round(decimals), "batas_bawah": effects["batas_bawah"].round(decimals),
        "batas_atas": effects["batas_atas"].round(decimals), "kesimpulan": effects["kesimpulan"],
    })[CSV_COLUMNS]
