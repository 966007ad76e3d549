"""Months as the engine sees them: 'YYYY-MM' strings outside, integer month indexes inside.

A month index is year * 12 + (month - 1), so month arithmetic is plain integer arithmetic.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from metrics.core import bahasa

_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")

# Validity of a value in months, by reporting frequency (PRODUCT.md, "As-of value").
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


def hari_ini() -> dt.date:
    """Today: env TIRU_HARI_INI=YYYY-MM-DD when set (tests, a demo on a fixed day), else the real date."""
    fixed = os.environ.get("TIRU_HARI_INI")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()
