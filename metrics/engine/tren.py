"""Trends of one indicator over months: series with visible gaps, the Asahan median, targets,
and a linear projection of when a kecamatan would reach the model.

Pure functions on the store's frames (no Streamlit), so every number on the Tren page can be
recomputed from `tiru export`:
- observations: kode_kecamatan, periode (month index), indikator, nilai, sumber, demo;
- one catalogue row (benchmark.Catalog.indikator.loc[code]): satuan, arah, frekuensi, model.

Missing stays missing: a month without a report is a NaN row (a gap in the line), and
semester/annual indicators are shown at their reporting months only, never carried forward.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.core import bahasa, formatting

WINDOW_MONTHS = 12  # the projection fits the last 12 months ending at the chosen month
MIN_POINTS = 6  # fewer values than this in the window: no projection
HORIZON_MONTHS = 120  # a reach month further away than 10 years is "not at the current pace"
FLAT_SLOPE = 1e-9  # |slope| below this (unit per month) counts as flat


# Projection status codes (Projection.status)
TOO_FEW = "terlalu_sedikit"
ALREADY = "sudah_mencapai"
REACHED = "tercapai"
NOT_REACHED = "tidak_tercapai"


# --------------------------------------------------------------------------- formatting
# Every text follows the active language (metrics/core/bahasa.py, catalogue metrics/core/teks/tren.toml).


def arah_teks(arah: str) -> str:
    """'lower' -> 'lebih rendah lebih baik' ('lower is better')."""
    return bahasa.t(f"istilah.arah_baik.{arah}") if arah in ("lower", "higher") else ""


def frekuensi_teks(frekuensi: str) -> str:
    """'bulanan' -> 'bulanan' ('monthly'); an unknown frequency is shown as it is."""
    key = f"istilah.frekuensi.{frekuensi}"
    return bahasa.t(key) if key in bahasa.katalog() else str(frekuensi)


def demo_source() -> str:
    """What a value's source says when it is demo data: 'DATA CONTOH' ('DEMO DATA')."""
    return bahasa.t("istilah.data_contoh")


def pace_unit(value, satuan: str) -> str:
    """A change per month: percentages change by percentage points ('1,26 poin persen')."""
    if str(satuan) == "%":
        return bahasa.t("tren.poin_persen", angka=formatting.angka(value, 2))
    return formatting.nilai(value, satuan, 2)


def laju(slope, satuan: str) -> str:
    """The signed pace: '−1,26 poin persen', '+0,50 menit', '0,00 menit' (formatting.bertanda's rule)."""
    return formatting.bertanda(slope, 2, teks=lambda v: pace_unit(v, satuan))


def unit_label(satuan: str) -> str:
    """Axis wording of the unit: 'menit', '%', 'indeks 25–100' (in the active language)."""
    return formatting.satuan(str(satuan))


def source_label(demo, sumber) -> str:
    """What a hover says about where a value comes from: a source typed into a file is escaped,
    because Plotly reads hover text as HTML."""
    if demo is True or (demo is not None and not pd.isna(demo) and bool(demo)):
        return demo_source()
    return (
        formatting.MISSING if sumber is None or pd.isna(sumber) or not str(sumber).strip() else html.escape(str(sumber))
    )


# --------------------------------------------------------------------------- series

# The Tren page's time window (?jendela=…): months shown up to the chosen month; None = all.
# "semua" is the default: a link without ?jendela keeps meaning what it meant before the window
# existed, and the projection has its own fixed window (WINDOW_MONTHS) whatever is shown.
JENDELA = {"semua": None, "24": 24, "12": 12}


def window_start(first: int, periode: int, jendela: str) -> int:
    """The first month the Tren page reads for a window ending at `periode` (not before `first`)."""
    n = JENDELA.get(jendela)
    return first if n is None else max(first, periode - n + 1)



def months_shown(observasi: pd.DataFrame, indikator: str, frekuensi: str, dari: int, sampai: int) -> list[int]:
    """The x positions of a trend: for bulanan indicators every month from the first report
    to `sampai`; for semesteran and tahunan ones only the months in which some kecamatan
    reported it (no carry-forward). Empty when nobody reported it in dari…sampai."""
    reported = observasi.loc[(observasi["indikator"] == indikator) & observasi["periode"].between(dari, sampai),
                             "periode"]
    if dari > sampai or reported.empty:
        return []
    if frekuensi == "bulanan":
        return list(range(int(reported.min()), sampai + 1))
    return sorted(int(m) for m in reported.unique())


def series(observasi: pd.DataFrame, indikator: str, kecamatan: list[str], months: list[int]) -> pd.DataFrame:
    """One row per (kecamatan, month) in `months`, NaN nilai where nothing was reported.

    Columns: kode_kecamatan, periode, nilai, demo, sumber, dikonfirmasi (an outlier the operator
    confirmed, metrics/engine/kewajaran.py). Ordered by kecamatan as given, then month, so a line
    drawn from it breaks exactly at the missing months.
    """
    grid = pd.MultiIndex.from_product([list(kecamatan), list(months)], names=["kode_kecamatan", "periode"])
    rows = observasi[(observasi["indikator"] == indikator) & observasi["kode_kecamatan"].isin(kecamatan)]
    columns = [c for c in ("nilai", "demo", "sumber", "dikonfirmasi") if c in rows.columns]
    found = rows.set_index(["kode_kecamatan", "periode"])[columns]
    out = found.reindex(grid).reset_index()
    for column in ("demo", "sumber", "dikonfirmasi"):
        if column not in out:
            out[column] = None
    out["nilai"] = out["nilai"].astype(float)
    out["dikonfirmasi"] = out["dikonfirmasi"].fillna(False).astype(bool)
    return out[["kode_kecamatan", "periode", "nilai", "demo", "sumber", "dikonfirmasi"]]


def median(observasi: pd.DataFrame, indikator: str, kecamatan: list[str], months: list[int]) -> pd.DataFrame:
    """Median of the given kecamatan (the 25 of Asahan) per month, over those that reported.

    Columns: periode, median (NaN when nobody reported), n (how many reported).
    """
    values = series(observasi, indikator, kecamatan, months)
    grouped = values.groupby("periode", sort=True)["nilai"]
    out = pd.DataFrame({"median": grouped.median(), "n": grouped.count()}).reindex(months)
    out["n"] = out["n"].fillna(0).astype(int)
    return out.rename_axis("periode").reset_index()


def targets(target_indikator: pd.DataFrame, indikator: str, kecamatan: list[str] | None = None,
            demo_batches: set[str] | None = None) -> pd.DataFrame:
    """Targets of one indicator: kabupaten-wide ones (no kecamatan) and those of `kecamatan`.

    Columns: periode (month index of tanggal), tanggal, nilai, kode_kecamatan (None = all),
    demo. Ordered by date.
    """
    columns = ["periode", "tanggal", "nilai", "kode_kecamatan", "demo"]
    if target_indikator is None or target_indikator.empty:
        return pd.DataFrame(columns=columns)
    rows = target_indikator[target_indikator["indikator"] == indikator].copy()
    wide = rows["kode_kecamatan"].isna()
    rows = rows[wide | rows["kode_kecamatan"].isin(kecamatan or [])]
    rows["tanggal"] = pd.to_datetime(rows["tanggal"])
    rows["periode"] = [d.year * 12 + d.month - 1 for d in rows["tanggal"]]
    batches = rows["batch"] if "batch" in rows else pd.Series("", index=rows.index)
    rows["demo"] = batches.isin(demo_batches or set())
    rows["kode_kecamatan"] = rows["kode_kecamatan"].where(rows["kode_kecamatan"].notna(), None)
    return rows.sort_values("tanggal")[columns].reset_index(drop=True)


# --------------------------------------------------------------------------- projection


@dataclass(frozen=True)
class Projection:
    """A robust (Theil–Sen) line through a kecamatan's last 12 months, read against the model.

    status: TOO_FEW, ALREADY (the latest value is at or beyond the model), REACHED (the line
    moves toward the model and reaches it in `reach`), NOT_REACHED (flat, moving away, or
    further than HORIZON_MONTHS). slope is in the indicator's unit per month; fitted_now is
    the line's value at `periode`; reason says all of it in one sentence (in the language active
    when project() ran).
    """

    status: str
    months_used: int
    slope: float | None
    fitted_now: float | None
    reach: int | None
    reason: str
    periode: int
    first: int | None = None  # first month used in the fit
    latest: float | None = None  # latest value in the window
    summary: str = ""  # a few words for a table cell: the month, or why there is none

    def fitted(self, month: float) -> float | None:
        """The line's value at a month index (None when there is no line)."""
        if self.slope is None or self.fitted_now is None:
            return None
        return self.fitted_now + self.slope * (month - self.periode)


def _toward(arah: str, slope: float) -> bool:
    return slope < 0 if arah == "lower" else slope > 0


def _at_or_beyond(arah: str, value: float, model: float) -> bool:
    return value <= model if arah == "lower" else value >= model


def theil_sen(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Theil–Sen line: the median of all pairwise slopes and the median intercept. Robust: one
    typo among 12 months cannot swing it (a least-squares line follows the typo)."""
    i, j = np.triu_indices(len(x), k=1)
    slope = float(np.median((y[j] - y[i]) / (x[j] - x[i])))
    return slope, float(np.median(y - slope * x))


def project(values: pd.Series, periode: int, model: float, arah: str, satuan: str = "") -> Projection:
    """Project when the model level would be reached at the pace of the last 12 months.

    `values`: nilai indexed by month index (NaN or absent = not reported). Only months
    periode−11 … periode count; at least MIN_POINTS values are needed.
    """
    window = values[(values.index > periode - WINDOW_MONTHS) & (values.index <= periode)].dropna().sort_index()
    used = len(window)
    if used < MIN_POINTS:
        return Projection(TOO_FEW, used, None, None, None,
                          bahasa.t("tren.proyeksi.sedikit", n=used, jendela=WINDOW_MONTHS, minimal=MIN_POINTS),
                          periode, first=int(window.index[0]) if used else None,
                          latest=float(window.iloc[-1]) if used else None,
                          summary=bahasa.t("tren.proyeksi.sedikit_singkat", n=used, minimal=MIN_POINTS))
    x = window.index.to_numpy(dtype=float) - periode
    y = window.to_numpy(dtype=float)
    slope, fitted_now = theil_sen(x, y)
    latest = float(y[-1])
    common = dict(months_used=used, slope=slope, fitted_now=fitted_now, periode=periode,
                  first=int(window.index[0]), latest=latest)
    pace = bahasa.t("tren.proyeksi.laju", laju=laju(slope, satuan))
    if _at_or_beyond(arah, latest, model):
        return Projection(
            ALREADY,
            reach=None,
            summary=bahasa.t("tren.proyeksi.sudah_singkat"),
            reason=bahasa.t(
                "tren.proyeksi.sudah", terakhir=formatting.nilai(latest, satuan), model=formatting.nilai(model, satuan)
            ),
            **common,
        )
    if abs(slope) < FLAT_SLOPE or not _toward(arah, slope):
        how = bahasa.t("tren.proyeksi.datar" if abs(slope) < FLAT_SLOPE else "tren.proyeksi.menjauh")
        return Projection(NOT_REACHED, reach=None, summary=bahasa.t("tren.proyeksi.tidak_singkat", arah=how),
                          reason=bahasa.t("tren.proyeksi.tidak", laju=pace, arah=how), **common)
    crossing = (model - fitted_now) / slope  # months after `periode`
    reach = periode + max(1, math.ceil(crossing - 1e-9))
    if reach - periode > HORIZON_MONTHS:
        years = HORIZON_MONTHS // 12
        return Projection(NOT_REACHED, reach=None, summary=bahasa.t("tren.proyeksi.jauh_singkat", tahun=years),
                          reason=bahasa.t("tren.proyeksi.jauh", tahun=years, laju=pace), **common)
    month = formatting.bulan(reach)
    return Projection(REACHED, reach=reach, summary=bahasa.t("tren.proyeksi.tercapai_singkat", bulan=month),
                      reason=bahasa.t("tren.proyeksi.tercapai", laju=pace, bulan=month), **common)


def projections(frame: pd.DataFrame, periode: int, model: float, arah: str, satuan: str = "") -> dict[str, Projection]:
    """project() for every kecamatan of a series() frame, keyed by kode_kecamatan."""
    return {
        kode: project(group.set_index("periode")["nilai"], periode, model, arah, satuan)
        for kode, group in frame.groupby("kode_kecamatan", sort=False)
    }


def default_kecamatan(card: pd.DataFrame, indikator: str, n: int = 3) -> list[str]:
    """The n best and n worst kecamatan on one indicator in a scorecard (by gap to the model).

    Best first, then the worst; fewer when fewer reported.
    """
    rows = card[card["indikator"] == indikator].sort_values(["selisih", "kode_kecamatan"])
    codes = list(rows["kode_kecamatan"])
    if len(codes) <= 2 * n:
        return codes
    return codes[:n] + codes[-n:]
