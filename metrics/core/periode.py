"""Months as the engine sees them: 'YYYY-MM' strings outside, integer month indexes inside.

A month index is year * 12 + (month - 1), so month arithmetic is plain integer arithmetic.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from metrics.core import bahasa

_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")

# Validity of a value in months, by reporting frequency (docs/metodologi.md "As-of value").
VALIDITY_MONTHS = {"bulanan": 1, "semesteran": 6, "tahunan": 12}


class PeriodeError(ValueError):
    """A period that is not a real month in YYYY-MM form."""


def parse(text: str) -> int:
    """'2026-09' -> month index. Raises PeriodeError with a message in the active language."""
    match = _PATTERN.match(str(text).strip())
    if not match:
        raise PeriodeError(bahasa.t("umum.periode_salah.bentuk", teks=text))
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 1900:
        raise PeriodeError(bahasa.t("umum.periode_salah.bulan", teks=text))
    return year * 12 + month - 1


def fmt(index: int) -> str:
    """Month index -> 'YYYY-MM'."""
    year, month0 = divmod(int(index), 12)
    return f"{year:04d}-{month0 + 1:02d}"


def from_date(value: dt.date) -> int:
    return value.year * 12 + value.month - 1


def to_date(index: int) -> dt.date:
    """First day of the month."""
    year, month0 = divmod(int(index), 12)
    return dt.date(year, month0 + 1, 1)


def month_end(index: int) -> dt.date:
    return to_date(index + 1) - dt.timedelta(days=1)


# --------------------------------------------------------------------------- the reporting cycle
# docs/metodologi.md "The monthly cycle": a month's report is due by day TENGGAT_HARI of the next month
# (setting TIRU_TENGGAT_HARI); a month counts as complete enough to be the default when at least
# AMBANG_LENGKAP of the kecamatan reported every monthly indicator.

AMBANG_LENGKAP = 0.8
TENGGAT_HARI = 10


HARI_INI_RENTANG = (2000, 2999)  # years TIRU_HARI_INI may name


def hari_ini() -> dt.date:
    """Today, as the reporting cycle sees it: TIRU_HARI_INI=YYYY-MM-DD (tests, rehearsals) or the
    system date. The one place the cycle reads the date."""
    text = os.environ.get("TIRU_HARI_INI", "").strip()
    if not text:
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise PeriodeError(bahasa.t("umum.pengaturan_salah.hari_ini", teks=text)) from exc
    if not HARI_INI_RENTANG[0] <= day.year <= HARI_INI_RENTANG[1]:  # month arithmetic past 9999 would fail
        raise PeriodeError(bahasa.t("umum.pengaturan_salah.hari_ini_rentang", teks=text, awal=HARI_INI_RENTANG[0],
                                    akhir=HARI_INI_RENTANG[1]))
    return day


def tenggat_hari() -> int:
    """Day of the next month by which a month's report is due (TIRU_TENGGAT_HARI, default 10)."""
    text = os.environ.get("TIRU_TENGGAT_HARI", "").strip()
    if not text:
        return TENGGAT_HARI
    if not text.isdigit() or not 1 <= int(text) <= 28:
        raise PeriodeError(bahasa.t("umum.pengaturan_salah.tenggat", teks=text))
    return int(text)


def tenggat(index: int, hari: int | None = None) -> dt.date:
    """The reporting deadline of month `index`: day `hari` (default the setting) of the next month."""
    return to_date(index + 1).replace(day=hari or tenggat_hari())


def lengkap_cukup(lengkap: int, total: int) -> bool:
    """True when `lengkap` of `total` kecamatan is at least AMBANG_LENGKAP (80 %)."""
    return total > 0 and lengkap >= AMBANG_LENGKAP * total
