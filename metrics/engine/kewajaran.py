"""Plausibility control (docs/metodologi.md "Plausibility"): is an incoming value far outside the
kecamatan's own recent history of that indicator?

The rule, per (kecamatan, indicator, month P) of an import:

- history: the effective values of the same kecamatan and indicator in the last JENDELA reporting
  periods before P (12 months for bulanan, 72 for semesteran, 144 for tahunan), at most JENDELA
  values; the file's own earlier months count as they will be stored. Demo values (DATA CONTOH)
  are never a history. Fewer than MIN_RIWAYAT values: no check.
- usual value: the median of the history; spread: the scaled MAD (1,4826 × median absolute
  deviation, which equals the standard deviation for normal data and ignores one wild value).
- band: usual ± max(K × scaled MAD, RELATIF × |usual|, MUTLAK × the indicator's allowed range), so
  a flat series (MAD 0) does not flag every small change. For a count (a number of things: its
  allowed range is a generous ceiling, not a scale) the range term is left out: the band is
  relative to the kecamatan's own median, with at least one unit.
- the first real months (fewer than MIN_RIWAYAT values of its own): the same band, made from the
  same month's values of the other kecamatan (their real values and the file's own rows), when
  there are at least MIN_RIWAYAT of them; the escape "close to the latest value" does not apply.
- "perlu dicek" when the value lies outside the band AND also further than the same half-width
  from the latest value of the history (a level confirmed last month is the new normal: a value
  that continues a genuine step is not flagged again each month).

Pure functions; metrics/ingest calls periksa() on the rows an import would write.
"""

from __future__ import annotations

import bisect
import statistics
from dataclasses import dataclass

import pandas as pd

from metrics.core.periode import VALIDITY_MONTHS

K = 4.0  # half-width in scaled MADs
MAD_SKALA = 1.4826  # scaled MAD = standard deviation for normal data
RELATIF = 0.5  # minimum half-width relative to the usual value (50 %)
MUTLAK = 0.05  # minimum half-width relative to the indicator's allowed range (5 %)
JENDELA = 12  # reporting periods of history looked at
MIN_RIWAYAT = 6  # values needed in that window, else no check


@dataclass(frozen=True)
class Rentang:
    """The usual value (median of n values) and the band around it."""

    biasa: float
    bawah: float
    atas: float
    n: int
    terakhir: float

    def memuat(self, nilai: float) -> bool:
        """True when `nilai` is plausible: inside the band, or close to the latest value."""
        half = (self.atas - self.bawah) / 2
        return self.bawah <= nilai <= self.atas or abs(nilai - self.terakhir) <= half


def rentang(riwayat, span: float, hitungan: bool = False, jendela: int | None = JENDELA) -> Rentang | None:
    """The band of a history (values oldest first, at most `jendela` of them used: the latest);
    None with fewer than MIN_RIWAYAT values. `span` is the indicator's allowed range
    (batas_max − batas_min); `hitungan` for a count (no range term: see the module docstring)."""
    values = [float(v) for v in riwayat]
    values = values[-jendela:] if jendela else values
    if len(values) < MIN_RIWAYAT:
        return None
    biasa = statistics.median(values)
    mad = MAD_SKALA * statistics.median(abs(v - biasa) for v in values)
    floor = 1.0 if hitungan else MUTLAK * abs(float(span))
    half = max(K * mad, RELATIF * abs(biasa), floor)
    return Rentang(biasa, biasa - half, biasa + half, len(values), values[-1])


# Units of scales (percentages, indices, scores) and of durations: their allowed range is a scale.
# Anything else counts things (jenis, permohonan per bulan): its range is only a generous ceiling.
_SKALA = ("%", "indeks", "skor", "menit", "hari")


def hitungan(row) -> bool:
    """Whether a catalogue row is a count (see _SKALA); without a satuan, not."""
    satuan = row.get("satuan") if hasattr(row, "get") else None
    return isinstance(satuan, str) and bool(satuan) and not satuan.startswith(_SKALA)


COLUMNS = ["kode_kecamatan", "periode", "indikator", "nilai", "biasa", "bawah", "atas", "n"]


def periksa(masuk: pd.DataFrame, riwayat: pd.DataFrame, indikator: pd.DataFrame,
            sebaya: pd.DataFrame | None = None) -> pd.DataFrame:
    """The incoming values that need checking ("perlu dicek").

    masuk: kode_kecamatan, periode (month index), indikator, nilai — the values an import would
    write. riwayat: the same columns, the effective values to compare with (the store's, without
    demo data, overlaid with the file's own rows). indikator: the catalogue (frekuensi,
    batas_min, batas_max; satuan tells counts). sebaya: the same columns, the month's values of every
    kecamatan (real, with the file's rows), for a kecamatan with too short a history of its own.
    Returns COLUMNS, one row per value outside its band, in `masuk` order.
    """
    if masuk.empty:
        return pd.DataFrame(columns=COLUMNS)
    series: dict[tuple, tuple[list, list]] = {}
    ordered = riwayat.sort_values("periode")
    for kode, periode, ind, nilai in zip(ordered["kode_kecamatan"], ordered["periode"], ordered["indikator"],
                                         ordered["nilai"], strict=True):
        months, values = series.setdefault((kode, ind), ([], []))
        months.append(int(periode))
        values.append(float(nilai))
    month_peers: dict[tuple, dict] = {}
    if sebaya is not None:
        for kode, periode, ind, nilai in zip(sebaya["kode_kecamatan"], sebaya["periode"], sebaya["indikator"],
                                             sebaya["nilai"], strict=True):
            month_peers.setdefault((int(periode), ind), {})[kode] = float(nilai)
    found = []
    for kode, periode, ind, nilai in zip(masuk["kode_kecamatan"], masuk["periode"], masuk["indikator"],
                                         masuk["nilai"], strict=True):
        if ind not in indikator.index:
            continue
        months, values = series.get((kode, ind), ([], []))
        row = indikator.loc[ind]
        span, count = float(row["batas_max"]) - float(row["batas_min"]), hitungan(row)
        start = int(periode) - JENDELA * VALIDITY_MONTHS[row["frekuensi"]]
        lo, hi = bisect.bisect_left(months, start), bisect.bisect_left(months, int(periode))
        band = rentang(values[lo:hi], span, count)
        if band is None and hi - lo < MIN_RIWAYAT:  # the first real months: the month's other kecamatan
            others = month_peers.get((int(periode), ind), {})
            band = rentang([v for k, v in others.items() if k != kode], span, count, jendela=None)
            band = band and Rentang(band.biasa, band.bawah, band.atas, band.n, band.biasa)
        if band is not None and not band.memuat(float(nilai)):
            found.append([kode, int(periode), ind, float(nilai), band.biasa, band.bawah, band.atas, band.n])
    return pd.DataFrame(found, columns=COLUMNS)
