"""The month's state as every artefact states it: final / sementara / berjalan, how many kecamatan
reported of how many, the deadline and — for a month not yet final — whether the deadline has
passed ("terlambat n hari") or not ("belum jatuh tempo"); and the source and DATA CONTOH lines.

Today is the app's today (periode.hari_ini: TIRU_HARI_INI or the system date), the same day the
monthly cycle (engine/bulan.py) uses for the month's status.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from metrics.core import formatting
from metrics.core import periode as per
from metrics.core.bahasa import t
from metrics.data.store import Store
from metrics.engine import bulan


@dataclass(frozen=True)
class Keadaan:
    periode: int
    status: str  # final | final_contoh | sementara | berjalan (engine/bulan.STATUS)
    lengkap: int  # kecamatan that sent every monthly indicator
    total: int  # kecamatan expected
    tenggat: dt.date  # the month's reporting deadline
    hari_ini: dt.date
    demo: bool = False

    @property
    def final(self) -> bool:
        """Closed: its figures no longer change (by an admin, or by the demo's rule: final_contoh)."""
        return self.status in bulan.FINAL

    @property
    def jatuh_tempo(self) -> bool:
        """The deadline has passed (the report of anyone not yet complete is late)."""
        return self.hari_ini > self.tenggat

    @property
    def hari_terlambat(self) -> int:
        """Days past the deadline (0 until it has passed)."""
        return max(0, (self.hari_ini - self.tenggat).days)

    def status_teks(self) -> str:
        """'final' / 'sementara' / 'berjalan' in the active language."""
        return bulan.status_name(self.status)

    def tenggat_teks(self) -> str:
        """'tenggat 10 Desember 2026, belum jatuh tempo' / 'tenggat 10 Desember 2026, terlambat 5 hari'."""
        tanggal = formatting.tanggal(self.tenggat)
        if self.jatuh_tempo:
            return t("tampil.keadaan.terlambat", tanggal=tanggal, n=self.hari_terlambat)
        return t("tampil.keadaan.belum_tempo", tanggal=tanggal)

    def baris(self) -> str:
        """The status line: 'final · 22 dari 25 melapor lengkap' or 'sementara · 20 dari 25 melapor
        lengkap · tenggat 10 Desember 2026, belum jatuh tempo'."""
        parts = [t("tampil.keadaan.status", status=self.status_teks(), n=self.lengkap, total=self.total)]
        if not self.final:
            parts.append(self.tenggat_teks())
        return " · ".join(parts)

    def judul(self) -> str:
        """'November 2026 (sementara)' — the month with its status unless final."""
        month = formatting.bulan(self.periode)
        return month if self.final else t("tampil.keadaan.bulan_status", bulan=month, status=self.status_teks())

    def sumber(self) -> str:
        """'Sumber: laporan bulanan kecamatan' or 'Sumber: DATA CONTOH'."""
        return t("istilah.sumber_isi", sumber=sumber(self.demo))

    def kaki_singkat(self) -> str:
        """The footer of a chart image: 'Tiru · November 2026 · sementara · 20 dari 25 melapor lengkap ·
        Sumber: DATA CONTOH' — without the days late, which change daily while the chart is kept."""
        status = t("tampil.keadaan.status", status=self.status_teks(), n=self.lengkap, total=self.total)
        return " · ".join([f"Tiru · {formatting.bulan(self.periode)}", status, self.sumber()])

    def kaki(self) -> str:
        """The one-line footer every artefact carries: period, status, source, DATA CONTOH."""
        return " · ".join([f"Tiru · {formatting.bulan(self.periode)}", self.baris(), self.sumber()])


def sumber(demo: bool) -> str:
    """Where the numbers come from: DATA CONTOH while demo data shows, else the kecamatan's reports."""
    return t("istilah.data_contoh") if demo else t("rapat.sumber_laporan")


def dari_tabel(months: pd.DataFrame, periode: int, demo: bool = False, hari_ini: dt.date | None = None) -> Keadaan:
    """The state of `periode` from engine/bulan.month_table (a month without data is 'berjalan', 0 reported)."""
    today = hari_ini or per.hari_ini()
    rows = months[months["periode"] == periode] if len(months) else months
    if rows is None or rows.empty:
        total = int(months["total"].max()) if len(months) else 0
        return Keadaan(periode, "berjalan", 0, total, per.tenggat(periode), today, demo)
    row = rows.iloc[0]
    return Keadaan(periode, str(row["status"]), int(row["lengkap"]), int(row["total"]),
                   pd.Timestamp(row["tenggat"]).date(), today, demo)


def dari_store(store: Store, periode: int, demo: bool | None = None) -> Keadaan:
    """The state of `periode` as of the app's today."""
    today = per.hari_ini()
    return dari_tabel(bulan.month_table(store, today), periode, store.has_demo() if demo is None else demo, today)
